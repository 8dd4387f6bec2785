package io.odoogitops.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.odoo.OdooModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds the image of a release from addons directories: modules parsed and ordered, one layer per module
 * (dependencies first) under {@link OdooConfig#addonsRoot()}, a small layer with the generated {@code odoo.conf},
 * the base (from a registry or a local archive) pinned by digest, provenance labels; then written to the registry
 * under tags that are never moved, or to an OCI archive. With an archive base and an OCI archive output no registry
 * is contacted at all. User, entrypoint, command and environment are the base image's.
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
    ImageReference target = repositoryOf(request.image());
    ReleaseContents contents = ReleaseContents.of(request);
    List<String> tags = contents.tags(request.tags());
    request.progress().accept("found " + contents.modules().size() + " installable modules"
        + (contents.graph().notInstallable().isEmpty() ? "" : " (left out, not installable: "
            + contents.graph().notInstallable().stream().map(OdooModule::name).collect(Collectors.joining(", "))
            + ")"));

    RegistryAccess targetAccess = RegistryAccess.to(target.getRegistry(), request.registryCredentials(),
        request.insecureRegistry());
    BaseImage base = BaseImage.resolve(request.baseImage(), request.strictBase(),
        registry -> registry.equals(target.getRegistry()) ? targetAccess
            : RegistryAccess.to(registry, request.baseCredentials(), request.insecureRegistry()));
    request.progress().accept("base " + request.baseImage() + " pinned at " + base.digest());
    List<RegistryAccess> jibRegistries = new ArrayList<>(); // the registries jib itself talks to
    if (base instanceof BaseImage.InRegistry registryBase) {
      jibRegistries.add(registryBase.access());
    }
    if (request.target() instanceof ImageTarget.Registry) {
      jibRegistries.add(targetAccess);
    }

    Path workDir = createWorkDir();
    try {
      JibContainerBuilder container = container(request, contents, base, workDir);
      ContainerizerSettings settings = ContainerizerSettings.forRegistries(request.cacheDirectory(), jibRegistries,
          request.progress());
      Publication publication = request.target() instanceof ImageTarget.OciArchive archive
          ? OciArchivePublisher.publish(container, archive, target, tags, settings)
          : new RegistryPublisher(targetAccess, target, request.progress()).publish(container, tags, settings);
      request.progress().accept("built " + ImageName.repositoryOf(target) + "@" + publication.digest()
          + (publication.createdTags().isEmpty() ? " (all tags already pointed at it)" : ""));
      return new BuildResult(ImageName.repositoryOf(target), publication.digest(), tags,
          publication.createdTags(), request.target().toString(), request.baseImage(), base.digest(),
          contents.series().orElse(null), contents.revision().orElse(null), contents.builtModules(),
          List.copyOf(contents.graph().fromBase()));
    } finally {
      deleteQuietly(workDir);
    }
  }

  /** What a publisher reports: the manifest digest and the tags it wrote. */
  record Publication(ImageDigest digest, List<String> createdTags) {}

  /** The image definition: pinned base, fixed creation time, labels, module layers, then odoo.conf. */
  private static JibContainerBuilder container(BuildRequest request, ReleaseContents contents, BaseImage base,
      Path workDir) {
    JibContainerBuilder container = from(base)
        .setFormat(ImageFormat.OCI)
        .setCreationTime(Instant.EPOCH)
        .setLabels(ImageLabels.of(contents.revision().orElse(null), contents.source().orElse(null),
            contents.version().orElse(null), base, contents.builtModules()));
    for (LayerPlan.Layer layer : LayerPlan.of(contents.modules(), request.maxModuleLayers()).layers()) {
      container.addFileEntriesLayer(AddonLayers.of(layer, request.odooConfig().addonsRoot()));
    }
    Path conf = workDir.resolve("odoo.conf");
    try {
      Files.writeString(conf, request.odooConfig().render(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot write " + conf + " (" + e.getMessage() + ")", e);
    }
    return container.addFileEntriesLayer(AddonLayers.singleFile("odoo.conf", conf, request.odooConfig().path()));
  }

  private static JibContainerBuilder from(BaseImage base) {
    if (base instanceof BaseImage.InRegistry registry) {
      return Jib.from(withCredentials(RegistryImage.named(registry.pinned()), registry.access()));
    }
    // jib uses the name of a tar base only in its messages; not "scratch", which jib would take literally.
    return Jib.from(TarImage.at(((BaseImage.InArchive) base).archive().file())
        .named(ImageReference.of(null, "base-archive", null, null)));
  }

  /** The target repository; a tag or digest in it is refused, because tags are chosen by {@code --tag} only. */
  private static ImageReference repositoryOf(String image) {
    String lastSegment = image.substring(image.lastIndexOf('/') + 1);
    if (lastSegment.contains(":") || lastSegment.contains("@")) {
      throw ReleaseException.badInput("image '" + image + "' carries a tag or digest; give the repository "
          + "alone and the tags with --tag");
    }
    return ImageName.parse(image, "image");
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
