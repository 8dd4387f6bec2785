package io.odoogitops.jenkins.trust;

import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import io.odoogitops.signing.AllowedSigners;
import io.odoogitops.trust.TrustRoot;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The trust root of the global configuration as it travels to the agent that opens the GitOps repository: its text,
 * where it came from, and the armored OpenPGP public keys it names (read on the controller, where the file is).
 * Public keys only, nothing secret. Parsed again by the core's {@link TrustRoot#parse} wherever it is used.
 *
 * @param keyFiles armored public key files by the name the trust root gives them
 */
public record TrustRootText(String text, String source, Map<String, String> keyFiles) implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  public TrustRootText {
    keyFiles = new HashMap<>(keyFiles); // serializable whatever map the caller gave
  }

  /**
   * Reads the setting on the controller: an absolute path of a trust root file there (its OpenPGP key files next to
   * it), or the trust root's text itself; null or blank: no trust root.
   *
   * @throws ReleaseException with the core parser's message when the trust root is not valid
   */
  public static TrustRootText of(String setting) {
    if (setting == null || setting.isBlank()) {
      return null;
    }
    String value = setting.strip();
    if (!value.contains("\n") && value.startsWith("/")) {
      Path file = Path.of(value);
      String text = InputFiles.readUtf8(file, "trust root", AllowedSigners.MAX_BYTES);
      Function<String, byte[]> nextToIt = TrustRoot.keyFilesNextTo(file);
      Map<String, String> keys = new HashMap<>();
      TrustRoot.parse(text, file.toString(), name -> {
        byte[] bytes = nextToIt.apply(name);
        keys.put(name, new String(bytes, StandardCharsets.UTF_8));
        return bytes;
      });
      return new TrustRootText(text, file.toString(), keys);
    }
    TrustRootText inline = new TrustRootText(value + "\n", "the Jenkins global configuration (trustRoot)", Map.of());
    inline.parse();
    return inline;
  }

  /** The core's trust root. */
  public TrustRoot parse() {
    return TrustRoot.parse(text, source, name -> {
      String armored = keyFiles.get(name);
      if (armored == null) {
        throw ReleaseException.badInput(source + " names the OpenPGP key file '" + name + "': a trust root pasted"
            + " into the global configuration cannot name files; give the path of the trust root file on the"
            + " controller instead, with its key files next to it");
      }
      return armored.getBytes(StandardCharsets.UTF_8);
    });
  }
}
