package io.odoogitops.config;

import io.odoogitops.ReleaseException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The rules every YAML text of the product is read with — configuration, manifests, values files — so a YAML bomb or
 * a mis-encoded file is refused the same way wherever it enters.
 */
public final class YamlText {

  /** Alias expansion is how YAML bombs grow; real files use a handful of anchors at most. */
  private static final int MAX_ALIASES = 50;
  private static final int MAX_DEPTH = 50;

  private YamlText() {}

  /** SnakeYAML limits: aliases, size (code points), nesting depth, no duplicate or recursive keys. */
  public static LoaderOptions loaderOptions(int maxCodePoints) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    options.setCodePointLimit(maxCodePoints);
    options.setNestingDepthLimit(MAX_DEPTH);
    return options;
  }

  /** Strict UTF-8: a file that is not valid UTF-8 is refused rather than silently mangled and written back. */
  public static String decodeUtf8(byte[] bytes, String file) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw ReleaseException.badInput(file + ": not valid UTF-8; save the file as UTF-8");
    }
  }
}
