package io.odoogitops.gitops.manifest;

import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ApplicationSpec;
import io.odoogitops.config.HelmPaths;
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
      String registry = paths.registry() == null ? "" : lookup(root, paths.registry()).map(YamlSource::text)
          .orElse("");
      if (!registry.isEmpty()) {
        repository = registry + "/" + repository;
      }
      String tag = paths.tag() == null ? null : lookup(root, paths.tag()).map(YamlSource::text).orElse(null);
      String digest = paths.digest() == null ? null : lookup(root, paths.digest()).map(YamlSource::text)
          .filter(d -> !d.isEmpty()).orElse(null);
      if (paths.digest() == null && tag != null && tag.contains("@")) {
        // tag@digest in the tag field: the whole is one reference, read with the one grammar
        return DeployedImage.parse(repository + (tag.startsWith("@") ? "" : ":") + tag, source.where(repo));
      }
      return DeployedImage.of(repository, tag, digest, source.where(repo));
    }

    @Override
    public void write(ImageRef image) {
      Node repo = lookup(root, paths.repository()).orElseThrow();
      if (paths.digest() == null && paths.tag() == null) {
        throw noDigestField(repo);
      }
      if (paths.digest() == null && image.tag() == null) {
        throw ReleaseException.badInput(source.where(repo) + ": helm.digest is empty, so the digest can only ride"
            + " in the tag field '" + paths.tag() + "', but " + image.pinned() + " has no tag; set"
            + " applications.<app>.helm.digest to the chart's digest field in odoo-gitops.yaml or promote a tagged"
            + " reference");
      }
      if (paths.registry() != null) {
        ImageRef.Written written = ImageRef.split(image.repository()).orElseThrow();
        set(paths.registry(), written.registry());
        set(paths.repository(), written.path());
      } else {
        set(paths.repository(), image.repository());
      }
      if (paths.digest() != null) {
        set(paths.digest(), image.digest().value());
        if (paths.tag() != null && image.tag() != null) {
          set(paths.tag(), image.tag());
        }
      } else {
        set(paths.tag(), image.tag() + "@" + image.digest());
      }
    }

    private ReleaseException noDigestField(Node repo) {
      String written = YamlSource.text(repo);
      String holds = written.contains(":") || written.contains("@")
          ? "helm value '" + paths.repository() + "' holds the whole reference '" + written + "', and " : "";
      return ReleaseException.badInput(source.where(repo) + ": " + holds + "no field can hold the digest:"
          + " helm.tag and helm.digest are both empty in odoo-gitops.yaml, and a promotion pins a digest; point"
          + " applications.<app>.helm.repository, .tag and .digest at the chart's separate fields (e.g."
          + " image.repository, image.tag, image.digest), or set .tag to carry tag@digest");
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
