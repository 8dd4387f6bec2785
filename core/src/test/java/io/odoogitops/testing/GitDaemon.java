package io.odoogitops.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A real {@code git daemon} on 127.0.0.1 serving every repository under a base directory, with push enabled. */
public final class GitDaemon implements AutoCloseable {

  private final Path base;
  private final int port;
  private Process process;

  private GitDaemon(Path base, int port) {
    this.base = base;
    this.port = port;
  }

  public static GitDaemon start(Path base) throws IOException {
    return start(base, freePort());
  }

  public static GitDaemon start(Path base, int port) throws IOException {
    GitDaemon daemon = new GitDaemon(base, port);
    daemon.startProcess();
    return daemon;
  }

  private void startProcess() throws IOException {
    Path git = Prerequisites.require(Prerequisites.Tool.GIT);
    process = new ProcessBuilder(git.toString(), "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
        "--base-path=" + base, "--listen=127.0.0.1", "--port=" + port, "--informative-errors", base.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    waitUntilListening();
  }

  /** Stops the server, as a crash would: connections in flight are cut. */
  public void stop() {
    if (process != null) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Starts it again on the same port. */
  public void restart() throws IOException {
    stop();
    startProcess();
  }

  public String url(String repository) {
    return "git://127.0.0.1:" + port + "/" + repository;
  }

  private void waitUntilListening() throws IOException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    while (Instant.now().isBefore(deadline)) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (!process.isAlive()) {
          throw new IOException("git daemon exited with " + process.exitValue());
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException(ie);
        }
      }
    }
    throw new IOException("git daemon did not listen on port " + port);
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
