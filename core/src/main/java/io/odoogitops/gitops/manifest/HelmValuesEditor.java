package io.odoogitops.gitops.manifest;

import io.odoogitops.ReleaseException;
import io.odoogitops.config.ApplicationSpec;
import io.odoogitops.config.HelmPaths;
import io.odoogitops.gitops.ImageRef;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A Helm values file: repository, tag and digest at the dotted paths configured for the application. A chart without
 * a digest field gets {@code tag: <tag>@<digest>}, which {@code repository:tag} templates turn into a pinned ref.
 */
final class HelmValuesEditor extends YamlImageEditor {

  @Override
  String describeTarget(ApplicationSpec app) {
    return "helm value '" + app.helm().repository() + "'";
  }

  @Override
  List<Site> locate(YamlSource source, ApplicationSpec app) {
    if (source.documents().isEmpty()) {
      return List.of();
    }
    Node root = source.documents().get(0);
    HelmPaths paths = app.helm();
    return lookup(root, paths.repository())
        .filter(ScalarNode.class::isInstance)
        .<Site>map(repo -> new ValuesSite(source, root, paths))
        .map(List::of).orElse(List.of());
  }

  static Optional<Node> lookup(Node root, String dotted) {
    Node node = root;
    for (String key : dotted.split("\\.")) {
      Optional<Node> next = YamlSource.get(node, key);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      node = next.get();
    }
    return Optional.of(node);
  }

  private record ValuesSite(YamlSource source, Node root, HelmPaths paths) implements Site {

    @Override
    public DeployedImage read() {
      Node repo = lookup(root, paths.repository()).orElseThrow();
      String repository = ((ScalarNode) repo).getValue();
      String tag = paths.tag() == null ? null : lookup(root, paths.tag()).map(YamlSource::text).orElse(null);
      String digest = paths.digest() == null ? null : lookup(root, paths.digest()).map(YamlSource::text)
          .filter(d -> !d.isEmpty()).orElse(null);
      if (paths.digest() == null && tag != null && tag.contains("@")) {
        digest = tag.substring(tag.indexOf('@') + 1);
        tag = tag.substring(0, tag.indexOf('@'));
      }
      return new DeployedImage(repository, tag, digest, source.where(repo));
    }

    @Override
    public void write(ImageRef image) {
      set(paths.repository(), image.repository());
      if (paths.digest() != null) {
        set(paths.digest(), image.digest());
        if (paths.tag() != null && image.tag() != null) {
          set(paths.tag(), image.tag());
        }
      } else if (paths.tag() != null && image.tag() != null) {
        set(paths.tag(), image.tag() + "@" + image.digest());
      } else {
        throw ReleaseException.badInput(source.where(root) + ": this chart has no digest path configured and "
            + image.pinned() + " has no tag to carry the digest; set applications.<app>.helm.digest in"
            + " odoo-gitops.yaml or promote a tagged reference");
      }
    }

    private void set(String dotted, String value) {
      Optional<Node> node = lookup(root, dotted);
      if (node.isPresent() && node.get() instanceof ScalarNode scalar) {
        source.setScalar(scalar, value);
        return;
      }
      int dot = dotted.lastIndexOf('.');
      Optional<Node> parent = dot < 0 ? Optional.of(root) : lookup(root, dotted.substring(0, dot));
      if (node.isEmpty() && parent.isPresent() && parent.get() instanceof MappingNode mapping) {
        source.addEntry(mapping, dotted.substring(dot + 1), value);
        return;
      }
      throw ReleaseException.badInput(source.file() + ": helm value '" + dotted + "' is missing or not a plain"
          + " value; add it to the values file or fix applications.<app>.helm in odoo-gitops.yaml");
    }
  }
}
