package io.odoogitops.jenkins.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** SSH keys made by the real {@code ssh-keygen}, for the plugin's signing tests. */
public final class TestKeys {

  private TestKeys() {}

  /** A new unencrypted ed25519 key {@code dir/name} (public key in {@code name.pub}). */
  public static Path ed25519(Path dir, String name) throws IOException, InterruptedException {
    Path key = dir.resolve(name);
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString())
        .redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("ssh-keygen failed: " + new String(p.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8));
    }
    return key;
  }

  /** {@code TYPE BASE64} of the key's public half, without its comment. */
  public static String publicKey(Path key) throws IOException {
    String[] words = Files.readString(Path.of(key + ".pub")).strip().split(" ");
    return words[0] + " " + words[1];
  }
}
