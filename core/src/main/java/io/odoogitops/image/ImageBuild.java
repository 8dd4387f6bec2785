package io.odoogitops.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.odoogitops.ReleaseException;
import io.odoogitops.odoo.ModuleDiscovery;
import io.odoogitops.odoo.ModuleGraph;
import io.odoogitops.odoo.OdooModule;
import io.odoogitops.odoo.OdooSeries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds the image of a release from addons directories: modules parsed and ordered, one layer per module
 * (dependencies first) under {@link OdooConfig#addonsRoot()}, a small layer with the generated {@code odoo.conf},
 * the base pinned by digest, provenance labels; then written to the registry under tags that are never moved, or
 * to an OCI archive. User, entrypoint, command and environment are the base image's.
 *
 * <p>The same inputs give the same digest on any machine: file times, owners and order are fixed, the image creation
 * time is the epoch, and nothing about the build machine (paths, clock, user) reaches the image.
 */
public final class ImageBuild {

  /**
   * Recorded as the image's creator next to the tool name; bumped only when the layout of built images changes,
   * so that upgrading odoo-gitops alone does not change digests.
   */
  static final String IMAGE_LAYOUT_VERSION = "1";

  private ImageBuild() {}

  /**
   * Runs one build.
   *
   * @throws ReleaseException bad input (manifests, graph, references), refused (tag collision), infrastructure
   *     (registry unreachable or refusing)
   */
  public static BuildResult run(BuildRequest request) {
    List<OdooModule> discovered = new ModuleDiscovery(request.checksumRules()).discover(request.addonsDirs());
    ModuleGraph graph = ModuleGraph.resolve(discovered, request.baseModules());
    List<OdooModule> modules = graph.inDependencyOrder();
    if (modules.isEmpty()) {
      throw ReleaseException.badInput("no installable module in " + request.addonsDirs()
          + "; an addons directory holds one subdirectory per module, each with a __manifest__.py");
    }
    request.progress().accept("found " + modules.size() + " installable modules"
        + (graph.notInstallable().isEmpty() ? "" : " (left out, not installable: "
            + graph.notInstallable().stream().map(OdooModule::name).collect(Collectors.joining(", ")) + ")"));
    Optional<String> series = OdooSeries.of(modules);
    SourceInfo git = SourceInfo.of(request.addonsDirs().get(0));
    Optional<String> revision = request.revision().or(git::revision);
    Optional<String> source = request.source().or(git::url);
    Optional<String> version = series.flatMap(s -> revision.map(r -> s + "-" + shortRevision(r)));
    List<String> tags = tagsOf(request, series, revision, version);

    ImageReference target = ImageName.parse(request.image(), "image");
    String lastSegment = request.image().substring(request.image().lastIndexOf('/') + 1);
    if (lastSegment.contains(":") || lastSegment.contains("@")) {
      throw ReleaseException.badInput("image '" + request.image() + "' carries a tag or digest; give the repository "
          + "alone and the tags with --tag");
    }
    RegistryAccess targetAccess = RegistryAccess.to(target.getRegistry(), request.registryCredentials(),
        request.insecureRegistry());
    ImageReference baseReference = ImageName.parse(request.baseImage(), "base image");
    RegistryAccess baseAccess = baseReference.getRegistry().equals(target.getRegistry()) ? targetAccess
        : RegistryAccess.to(baseReference.getRegistry(), request.baseCredentials(), request.insecureRegistry());
    BaseImage base = BaseImage.resolve(request.baseImage(), request.strictBase(), baseAccess);
    request.progress().accept("base " + request.baseImage() + " pinned at " + base.digest());

    List<BuiltModule> built = modules.stream()
        .map(m -> new BuiltModule(m.name(), m.version(), m.checksum()))
        .toList();
    Path workDir = createWorkDir();
    try {
      JibContainerBuilder container = Jib.from(withCredentials(RegistryImage.named(base.pinned()), baseAccess))
          .setFormat(ImageFormat.OCI)
          .setCreationTime(Instant.EPOCH)
          .setLabels(ImageLabels.of(revision.orElse(null), source.orElse(null), version.orElse(null), base, built));
      for (LayerPlan.Layer layer : LayerPlan.of(modules, request.maxModuleLayers()).layers()) {
        container.addFileEntriesLayer(AddonLayers.of(layer, request.odooConfig().addonsRoot()));
      }
      Path conf = Files.writeString(workDir.resolve("odoo.conf"), request.odooConfig().render(),
          StandardCharsets.UTF_8);
      container.addFileEntriesLayer(AddonLayers.singleFile("odoo.conf", conf, request.odooConfig().path()));

      ContainerizerSettings settings = new ContainerizerSettings(request.cacheDirectory(),
          targetAccess.insecureAllowed() || baseAccess.insecureAllowed(), request.progress());
      Publication publication = request.target() instanceof ImageTarget.OciArchive archive
          ? OciArchivePublisher.publish(container, archive, target, tags, settings)
          : new RegistryPublisher(targetAccess, target, request.progress()).publish(container, tags, settings);
      request.progress().accept("built " + ImageName.repositoryOf(target) + "@" + publication.digest()
          + (publication.createdTags().isEmpty() ? " (all tags already pointed at it)" : ""));
      return new BuildResult(ImageName.repositoryOf(target), publication.digest(), tags,
          publication.createdTags(), request.target().toString(), request.baseImage(), base.digest(),
          series.orElse(null), revision.orElse(null), built, List.copyOf(graph.fromBase()));
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot write build files in " + workDir + " (" + e.getMessage() + ")",
          e);
    } finally {
      deleteQuietly(workDir);
    }
  }

  /** What a publisher reports: the manifest digest and the tags it wrote. */
  record Publication(String digest, List<String> createdTags) {}

  private static List<String> tagsOf(BuildRequest request, Optional<String> series, Optional<String> revision,
      Optional<String> version) {
    List<String> tags = request.tags().isEmpty() ? version.map(List::of).orElseThrow(() ->
        ReleaseException.badInput("no --tag given and the default tag <odoo-series>-<short-revision> is unknown: "
            + (series.isEmpty() ? "no module version names its Odoo series (e.g. 17.0.1.0.0)"
                : "the revision is unknown (not a git checkout; pass --revision)")
            + "; pass --tag"))
        : request.tags().stream().distinct().toList();
    for (String tag : tags) {
      if (!ImageReference.isValidTag(tag)) {
        throw ReleaseException.badInput("'" + tag + "' is not a valid tag (letters, digits, '_', '.', '-'; at most "
            + "128 characters, not starting with '.' or '-')");
      }
    }
    return tags;
  }

  static String shortRevision(String revision) {
    return revision.length() > 7 ? revision.substring(0, 7) : revision;
  }

  static RegistryImage withCredentials(RegistryImage image, RegistryAccess access) {
    access.credentials().ifPresent(c -> image.addCredential(c.username(), c.password()));
    return image;
  }

  private static Path createWorkDir() {
    try {
      return Files.createTempDirectory("odoo-gitops-build");
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot create a temporary directory (" + e.getMessage() + ")", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary file is not worth failing a finished build for
    }
  }
}
