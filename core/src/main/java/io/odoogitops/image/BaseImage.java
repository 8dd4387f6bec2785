package io.odoogitops.image;

import com.google.cloud.tools.jib.api.ImageReference;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The image the build starts from, pinned by a digest that is recorded as
 * {@value ImageLabels#BASE_DIGEST}: a registry image by its manifest digest, an archive by its configuration
 * digest (see {@link BaseArchive} for why). A tag is looked up once, before anything is built, and from then on
 * only the digest is used.
 */
public sealed interface BaseImage {

  /** Written before a path in {@code --base} to read the base from a {@code docker save} archive. */
  String DOCKER_ARCHIVE = "docker-archive:";
  /**
   * Accepted as well, because Docker 25 and later save an OCI layout that also carries the {@code docker save}
   * manifest jib reads; a pure OCI layout (skopeo, jib) is refused by {@link BaseArchive#read} with the command
   * that converts it.
   */
  String OCI_ARCHIVE = "oci-archive:";

  /** What the user wrote, e.g. {@code odoo:17.0} or {@code docker-archive:base.tar}. */
  String requested();

  /** {@code sha256:…}. */
  ImageDigest digest();

  /** The name recorded as {@value ImageLabels#BASE_NAME}; never a build machine path, which would vary the digest. */
  Optional<String> labelName();

  /**
   * A registry image.
   *
   * @param pinned the requested repository at the resolved manifest digest
   * @param access how to reach its registry
   */
  record InRegistry(String requested, ImageReference pinned, RegistryAccess access) implements BaseImage {

    @Override
    public ImageDigest digest() {
      return ImageDigest.parse(pinned.getDigest().orElseThrow(), "the digest of base image " + requested);
    }

    @Override
    public Optional<String> labelName() {
      return Optional.of(requested);
    }
  }

  /** A {@code docker save} archive on the build machine; it is content-addressed, so strict mode accepts it. */
  record InArchive(String requested, BaseArchive archive) implements BaseImage {

    @Override
    public ImageDigest digest() {
      return archive.configDigest();
    }

    @Override
    public Optional<String> labelName() {
      return archive.name();
    }
  }

  /**
   * Pins {@code reference}: {@code docker-archive:PATH} (or {@code oci-archive:PATH}), {@code name@sha256:…} or
   * {@code name:tag}.
   *
   * @param strict refuse a registry reference that is not already pinned by digest
   * @param accessFor how to reach a registry, by its host name
   * @throws ReleaseException bad input for an invalid, unpinned (strict) or missing base or an unreadable archive;
   *     infrastructure when the registry cannot be asked
   */
  static BaseImage resolve(String reference, boolean strict, Function<String, RegistryAccess> accessFor) {
    for (String prefix : new String[] {DOCKER_ARCHIVE, OCI_ARCHIVE}) {
      if (reference.startsWith(prefix)) {
        return new InArchive(reference, BaseArchive.read(archivePath(reference, prefix)));
      }
    }
    ImageReference parsed = ImageName.parse(reference, "base image");
    RegistryAccess access = accessFor.apply(parsed.getRegistry());
    Optional<String> digest = parsed.getDigest();
    if (digest.isPresent()) {
      return new InRegistry(reference, ImageReference.of(parsed.getRegistry(), parsed.getRepository(), null,
          digest.get()), access);
    }
    if (strict) {
      throw ReleaseException.badInput("base image '" + reference + "' is not pinned by digest, which strict mode "
          + "requires; use " + ImageName.repositoryOf(parsed) + "@sha256:<digest> (e.g. from 'skopeo inspect') "
          + "or a local archive, docker-archive:PATH");
    }
    String tag = parsed.getTag().orElse("latest");
    String found = new RegistryApi(access).digestOf(parsed.getRepository(), tag)
        .orElseThrow(() -> ReleaseException.badInput("base image '" + reference + "' does not exist: "
            + parsed.getRegistry() + " has no " + parsed.getRepository() + ":" + tag));
    return new InRegistry(reference, ImageReference.of(parsed.getRegistry(), parsed.getRepository(), null, found),
        access);
  }

  private static Path archivePath(String reference, String prefix) {
    String path = reference.substring(prefix.length());
    if (path.isBlank()) {
      throw ReleaseException.badInput("base '" + reference + "' names no file; write " + prefix + "PATH");
    }
    return Path.of(path);
  }
}
