package io.odoogitops.gitops.manifest;

import io.odoogitops.ImageRef;
import io.odoogitops.config.ApplicationSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code kustomization.yaml}: the {@code images:} entry whose {@code name} is the application's image name. Kustomize
 * lets {@code digest} win over {@code newTag}, so the digest is always written and a tag only kept in step with it.
 */
final class KustomizeEditor extends YamlImageEditor {

  @Override
  String describeTarget(ApplicationSpec app) {
    return "kustomize images entry with name '" + app.kustomizeImageName() + "'";
  }

  @Override
  List<Site> locate(YamlSource source, ApplicationSpec app) {
    List<Site> sites = new ArrayList<>();
    for (Node doc : source.documents()) {
      Optional<Node> images = YamlSource.get(doc, "images");
      if (images.isEmpty() || !(images.get() instanceof SequenceNode seq)) {
        continue;
      }
      for (Node item : seq.getValue()) {
        if (item instanceof MappingNode entry
            && YamlSource.scalar(entry, "name").filter(app.kustomizeImageName()::equals).isPresent()) {
          sites.add(new EntrySite(source, entry));
        }
      }
    }
    return sites;
  }

  private record EntrySite(YamlSource source, MappingNode entry) implements Site {

    @Override
    public DeployedImage read() {
      String name = YamlSource.scalar(entry, "newName").orElseGet(() -> YamlSource.scalar(entry, "name").orElseThrow());
      return DeployedImage.of(name, YamlSource.scalar(entry, "newTag").orElse(null),
          YamlSource.scalar(entry, "digest").orElse(null), source.where(entry));
    }

    @Override
    public void write(ImageRef image) {
      String name = YamlSource.scalar(entry, "name").orElseThrow();
      if (YamlSource.get(entry, "newName").isPresent() || !name.equals(image.repository())) {
        set("newName", image.repository());
      }
      if (image.tag() != null) {
        set("newTag", image.tag());
      } else {
        // A tag that no longer matches the digest would mislead whoever reads the file.
        source.removeEntry(entry, "newTag");
      }
      set("digest", image.digest().value());
    }

    private void set(String key, String value) {
      Optional<Node> node = YamlSource.get(entry, key);
      if (node.isPresent() && node.get() instanceof ScalarNode scalar) {
        source.setScalar(scalar, value);
      } else if (node.isEmpty()) {
        source.addEntry(entry, key, value);
      } else {
        throw io.odoogitops.ReleaseException.badInput(source.where(node.get()) + ": '" + key
            + "' must be a plain value");
      }
    }
  }
}
