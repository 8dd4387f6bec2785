package io.odoogitops.signing;

import io.odoogitops.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code ssh-keygen}: the oracle the product's signatures are checked against, in both directions. */
public final class SshKeygen {

  /** What one run printed. */
  public record Run(int exit, String stdout, String stderr) {}

  private SshKeygen() {}

  public static void require() {
    Prerequisites.require(Prerequisites.Tool.SSH_KEYGEN);
  }

  /** Generates an unencrypted key, e.g. {@code ("ed25519", null)} or {@code ("rsa", "3072")}. */
  public static Path generate(Path dir, String name, String type, String bits, String passphrase)
      throws IOException, InterruptedException {
    Path key = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N",
        passphrase == null ? "" : passphrase, "-C", name, "-f", key.toString()));
    if (bits != null) {
      args.addAll(List.of("-b", bits));
    }
    Run run = run(args, null);
    if (run.exit() != 0) {
      throw new IOException("ssh-keygen failed: " + run.stderr());
    }
    return key;
  }

  /** {@code ssh-keygen -Y sign -n NAMESPACE -f KEY < message}: the armored signature. */
  public static String sign(Path key, String namespace, byte[] message) throws IOException, InterruptedException {
    Run run = run(List.of("ssh-keygen", "-q", "-Y", "sign", "-n", namespace, "-f", key.toString()), message);
    if (run.exit() != 0) {
      throw new IOException("ssh-keygen -Y sign failed: " + run.stderr());
    }
    return run.stdout();
  }

  /** {@code ssh-keygen -Y verify -n NS -I ID -f allowed_signers -s sig < message}. */
  public static Run verify(Path allowedSigners, String identity, String namespace, String signature, byte[] message,
      Path dir) throws IOException, InterruptedException {
    Path sig = Files.createTempFile(dir, "sig", ".sig");
    Files.writeString(sig, signature);
    return run(List.of("ssh-keygen", "-Y", "verify", "-n", namespace, "-I", identity, "-f",
        allowedSigners.toString(), "-s", sig.toString()), message);
  }

  public static Run run(List<String> args, byte[] stdin) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(args).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin);
    }
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("ssh-keygen hung: " + args);
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  /** The public key line of {@code key}.pub. */
  public static String publicKey(Path key) throws IOException {
    return Files.readString(Path.of(key + ".pub")).strip();
  }
}
