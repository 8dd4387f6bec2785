package io.odoogitops.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real git and gpg, run with a private home, git configuration and GnuPG home so that nothing of the machine's
 * user leaks in: the oracles the product's commit signatures are checked against.
 */
public final class Tools {

  /** What one run printed. */
  public record Run(int exit, String stdout, String stderr) {
    public Run requireSuccess(List<String> args) throws IOException {
      if (exit != 0) {
        throw new IOException(args + " failed with exit " + exit + ": " + stderr + stdout);
      }
      return this;
    }
  }

  private final Path home;
  private final Path gnupgHome;

  public Tools(Path dir) throws IOException {
    this.home = Files.createDirectories(dir.resolve("home"));
    // gpg-agent's socket path must stay short
    this.gnupgHome = Files.createTempDirectory("gpg");
    Files.setPosixFilePermissions(gnupgHome, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
  }

  public Path gnupgHome() {
    return gnupgHome;
  }

  public Run git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    return run(dir, command, null);
  }

  public Run gpg(byte[] stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--pinentry-mode", "loopback"));
    command.addAll(List.of(args));
    return run(home, command, stdin);
  }

  /** Generates an ed25519 OpenPGP signing key; returns its fingerprint. */
  public String generateGpgKey(String userId, String passphrase) throws IOException, InterruptedException {
    gpg(null, "--passphrase", passphrase, "--quick-gen-key", userId, "ed25519", "sign", "never")
        .requireSuccess(List.of("gpg --quick-gen-key"));
    String colons = gpg(null, "--with-colons", "--list-secret-keys", userId).stdout();
    for (String line : colons.split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":")[9];
      }
    }
    throw new IOException("no fingerprint for " + userId + ": " + colons);
  }

  public Path exportPublic(String fingerprint, Path file) throws IOException, InterruptedException {
    Files.writeString(file, gpg(null, "--armor", "--export", fingerprint).requireSuccess(List.of("gpg --export"))
        .stdout());
    return file;
  }

  public Path exportSecret(String fingerprint, String passphrase, Path file) throws IOException,
      InterruptedException {
    Files.writeString(file, gpg(null, "--passphrase", passphrase, "--armor", "--export-secret-keys", fingerprint)
        .requireSuccess(List.of("gpg --export-secret-keys")).stdout());
    return file;
  }

  /** Stops the gpg-agent this GnuPG home started and removes the home. */
  public void close() throws IOException, InterruptedException {
    run(home, List.of("gpgconf", "--kill", "gpg-agent"), null);
    try (var files = Files.walk(gnupgHome)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  public Run run(Path dir, List<String> command, byte[] stdin) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.put("HOME", home.toString());
    env.put("GNUPGHOME", gnupgHome.toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_AUTHOR_NAME", "Tester");
    env.put("GIT_AUTHOR_EMAIL", "tester@example.com");
    env.put("GIT_COMMITTER_NAME", "Tester");
    env.put("GIT_COMMITTER_EMAIL", "tester@example.com");
    Process process = builder.start();
    if (stdin != null) {
      process.getOutputStream().write(stdin);
    }
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(command + " hung");
    }
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }
}
