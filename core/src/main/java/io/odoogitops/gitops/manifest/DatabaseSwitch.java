package io.odoogitops.gitops.manifest;

import io.odoogitops.ReleaseException;
import io.odoogitops.config.YamlText;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Switches an environment to a restored database: the one scalar at a dotted path of a YAML file's first document is
 * replaced, keeping its quoting, and every other byte of the file stays as it was. The key must already be there:
 * where the database is named is the environment's own layout, never guessed.
 */
public final class DatabaseSwitch {

  private DatabaseSwitch() {}

  /**
   * {@code content} with the scalar at {@code dotted} set to {@code value}; the result is parsed again and must read
   * back as {@code value}.
   *
   * @param file the file's repository path, for messages
   */
  public static byte[] set(String file, byte[] content, String dotted, String value) {
    YamlSource source = YamlSource.parse(file, YamlText.decodeUtf8(content, file));
    Node scalar = source.documents().isEmpty() ? null
        : HelmValuesEditor.lookup(source.documents().get(0), dotted).orElse(null);
    if (!(scalar instanceof ScalarNode node)) {
      throw ReleaseException.badInput(file + ": no scalar at '" + dotted + "' (restore.switch.path in"
          + " odoo-gitops.yaml); name the key that holds the database's name or host in the environment's manifests");
    }
    source.setScalar(node, value);
    String result = source.result();
    Node back = YamlSource.parse(file, result).documents().stream().findFirst()
        .flatMap(root -> HelmValuesEditor.lookup(root, dotted)).orElse(null);
    if (!(back instanceof ScalarNode reread) || !reread.getValue().equals(value)) {
      throw ReleaseException.badInput(file + ": after the edit '" + dotted + "' does not read back as " + value
          + "; switch the database by hand");
    }
    return result.getBytes(StandardCharsets.UTF_8);
  }

  /** The scalar at {@code dotted}, if the file has one there. */
  public static java.util.Optional<String> read(String file, byte[] content, String dotted) {
    YamlSource source = YamlSource.parse(file, YamlText.decodeUtf8(content, file));
    return source.documents().stream().findFirst().flatMap(root -> HelmValuesEditor.lookup(root, dotted))
        .filter(ScalarNode.class::isInstance).map(YamlSource::text);
  }
}
