package io.odoogitops.gitops.manifest;

import io.odoogitops.config.ApplicationSpec;
import io.odoogitops.ImageRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Plain manifests: the {@code image:} of the container named after the application, in any workload kind. */
final class WorkloadEditor extends YamlImageEditor {

  private static final Set<String> POD_TEMPLATE_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job",
      "ReplicaSet");

  @Override
  String describeTarget(ApplicationSpec app) {
    return "container '" + app.containerName() + "' (in a Deployment, StatefulSet, DaemonSet, Job or CronJob)";
  }

  @Override
  List<Site> locate(YamlSource source, ApplicationSpec app) {
    List<Site> sites = new ArrayList<>();
    for (Node doc : source.documents()) {
      String kind = YamlSource.scalar(doc, "kind").orElse("");
      Optional<Node> podSpec = Optional.empty();
      if (POD_TEMPLATE_KINDS.contains(kind)) {
        podSpec = path(doc, "spec", "template", "spec");
      } else if (kind.equals("CronJob")) {
        podSpec = path(doc, "spec", "jobTemplate", "spec", "template", "spec");
      }
      podSpec.ifPresent(spec -> {
        for (String list : List.of("initContainers", "containers")) {
          YamlSource.get(spec, list).filter(SequenceNode.class::isInstance).ifPresent(seq -> {
            for (Node container : ((SequenceNode) seq).getValue()) {
              if (YamlSource.scalar(container, "name").filter(app.containerName()::equals).isPresent()
                  && YamlSource.get(container, "image").orElse(null) instanceof ScalarNode image) {
                sites.add(new ContainerSite(source, (MappingNode) container, image));
              }
            }
          });
        }
      });
    }
    return sites;
  }

  private static Optional<Node> path(Node node, String... keys) {
    Optional<Node> current = Optional.of(node);
    for (String key : keys) {
      current = current.flatMap(n -> YamlSource.get(n, key));
    }
    return current;
  }

  private record ContainerSite(YamlSource source, MappingNode container, ScalarNode image) implements Site {
    @Override
    public DeployedImage read() {
      return DeployedImage.parse(image.getValue(), source.where(image));
    }

    @Override
    public void write(ImageRef ref) {
      source.setScalar(image, ref.pinned());
    }
  }
}
