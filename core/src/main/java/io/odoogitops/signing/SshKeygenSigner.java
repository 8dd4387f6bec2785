package io.odoogitops.signing;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Signs through {@code ssh-keygen -Y sign}, for keys this process cannot use itself: hardware keys (the token signs,
 * after a touch) and keys held by ssh-agent. ssh-keygen talks to the user on the terminal; the signature it prints is
 * parsed and checked before anyone uses it.
 */
public final class SshKeygenSigner {

  /** Long enough to find the token and touch it; a hung ssh-keygen must not hang a release forever. */
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  private SshKeygenSigner() {}

  /**
   * @param keyFile the private key (or, for a hardware or agent key, its public key file) ssh-keygen signs with
   */
  public static SshSignature sign(Path keyFile, byte[] message, String namespace) {
    ProcessBuilder builder = new ProcessBuilder(List.of("ssh-keygen", "-q", "-Y", "sign", "-n", namespace, "-f",
        keyFile.toString()))
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot run ssh-keygen to sign (" + e.getClass().getSimpleName()
          + "); install OpenSSH 8.2 or later, or sign with a key file without --sign-with ssh-keygen", e);
    }
    try {
      try (OutputStream in = process.getOutputStream()) {
        in.write(message);
      }
      byte[] out;
      try (InputStream stdout = process.getInputStream()) {
        out = stdout.readNBytes(SshSignature.MAX_ARMORED_CHARS + 1);
      }
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw ReleaseException.infrastructure("ssh-keygen did not sign within " + TIMEOUT.toSeconds() + "s (was the"
            + " hardware key touched?); nothing was signed", null);
      }
      if (process.exitValue() != 0) {
        throw ReleaseException.refused("ssh-keygen -Y sign failed with exit " + process.exitValue() + " (see its"
            + " message above); nothing was signed");
      }
      return SshSignature.parseArmored(new String(out, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw ReleaseException.infrastructure("ssh-keygen printed no usable signature: " + e.getMessage(), e);
    } catch (IOException e) {
      process.destroyForcibly();
      throw ReleaseException.infrastructure("talking to ssh-keygen failed (" + e.getClass().getSimpleName() + ")", e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw ReleaseException.infrastructure("interrupted while ssh-keygen was signing; nothing was signed", e);
    }
  }
}
