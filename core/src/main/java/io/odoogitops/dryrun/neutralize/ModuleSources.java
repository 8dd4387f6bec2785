package io.odoogitops.dryrun.neutralize;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.image.RegistryCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the code of the release being judged can be read, to find each installed module's
 * {@code data/neutralize.sql}: addons directories (one subdirectory per module, as {@code --addons} takes them),
 * image archives (an OCI image layout or {@code docker save} tar) and images in a registry pinned by digest. Images
 * are read layer by layer without running them: Odoo's own addons live in the base image's layers, the release's
 * in the layers {@code odoo-gitops build} adds.
 *
 * <p>A module is taken from the first source holding it: the addons directories in the order given, then each
 * image archive, then each registry image, each image in Odoo's own order (the directory of Odoo's bundled addons,
 * then the {@code addons_path} of the image's {@code odoo.conf}).
 */
public record ModuleSources(List<Path> addonsDirs, List<Path> imageArchives, List<RegistryImage> registryImages) {

  /**
   * An image read from its registry, layer by layer, without pulling or running it.
   *
   * @param reference {@code registry/repository@sha256:…}: pinned, as the dry-run judges one exact image
   * @param insecure allow plain HTTP to a registry that is not on this machine
   */
  public record RegistryImage(ImageRef reference, Optional<RegistryCredentials> credentials, boolean insecure) {
    public RegistryImage {
      Objects.requireNonNull(reference, "reference");
      credentials = credentials == null ? Optional.empty() : credentials;
    }

    /** Reads {@code reference} with the one grammar ({@link ImageRef#parse}); it must be pinned by digest. */
    public RegistryImage(String reference, Optional<RegistryCredentials> credentials, boolean insecure) {
      this(pinned(reference), credentials, insecure);
    }

    // A tag where the digest belongs gets the dry-run's own words; any other refusal is the grammar's.
    private static ImageRef pinned(String reference) {
      if (reference != null && ImageRef.split(reference.trim()).filter(w -> w.digest() == null).isPresent()) {
        throw ReleaseException.badInput("image '" + reference + "' is not pinned by digest; give"
            + " registry/repository@sha256:<digest>, the image the dry-run judges");
      }
      return ImageRef.parse(reference);
    }

    /** Never prints the credentials. */
    @Override
    public String toString() {
      return reference.pinned();
    }
  }

  /**
   * @throws ReleaseException bad input for an addons directory that is not a directory or an archive that is not a
   *     regular file, so that the mistake is found before anything is cloned
   */
  public ModuleSources {
    addonsDirs = List.copyOf(addonsDirs);
    imageArchives = List.copyOf(imageArchives);
    registryImages = registryImages == null ? List.of() : List.copyOf(registryImages);
    for (Path dir : addonsDirs) {
      if (!Files.isDirectory(dir)) {
        throw ReleaseException.badInput("addons directory " + dir + " does not exist or is not a directory");
      }
    }
    for (Path archive : imageArchives) {
      if (!Files.isRegularFile(archive) || !Files.isReadable(archive)) {
        throw ReleaseException.badInput("image archive " + archive + " does not exist or is not a readable file;"
            + " give the OCI archive 'odoo-gitops build --oci-archive' wrote, or a 'docker save' tar");
      }
    }
  }

  public static ModuleSources of(List<Path> addonsDirs, List<Path> imageArchives) {
    return new ModuleSources(addonsDirs, imageArchives, List.of());
  }

  public static ModuleSources addonsDirs(Path... dirs) {
    return of(List.of(dirs), List.of());
  }

  public ModuleSources withAddonsDir(Path dir) {
    List<Path> dirs = new ArrayList<>(addonsDirs);
    dirs.add(dir);
    return new ModuleSources(dirs, imageArchives, registryImages);
  }

  public ModuleSources withImageArchive(Path archive) {
    List<Path> archives = new ArrayList<>(imageArchives);
    archives.add(archive);
    return new ModuleSources(addonsDirs, archives, registryImages);
  }

  /** Adds an image read from its registry (after the archives); see {@link RegistryImage}. */
  public ModuleSources withRegistryImage(String reference, Optional<RegistryCredentials> credentials,
      boolean insecure) {
    List<RegistryImage> images = new ArrayList<>(registryImages);
    images.add(new RegistryImage(reference, credentials, insecure));
    return new ModuleSources(addonsDirs, imageArchives, images);
  }

  public boolean isEmpty() {
    return addonsDirs.isEmpty() && imageArchives.isEmpty() && registryImages.isEmpty();
  }

  /**
   * Checks that every OCI image archive and registry image is the image of {@code imageDigest} (its manifest digest),
   * so that the neutralization files come from the release being judged. A {@code docker save} archive holds no
   * manifest and is known only by its configuration digest, so it cannot be matched to a registry digest and is not
   * checked. Reads only the archives' index and manifest: call it before cloning.
   *
   * @throws ReleaseException bad input naming the archive and both digests
   */
  public void requireImage(ImageDigest imageDigest) {
    for (Path archive : imageArchives) {
      io.odoogitops.image.ImageArchive image = io.odoogitops.image.ImageArchive.open(archive);
      if (image.manifestDigest() && !image.digest().equals(imageDigest)) {
        throw ReleaseException.badInput("image archive " + archive + " holds image " + image.digest()
            + ", not the image " + imageDigest + " this dry-run is for; give the archive of that image");
      }
    }
    for (RegistryImage image : registryImages) {
      if (!image.reference().digest().equals(imageDigest)) {
        throw ReleaseException.badInput("image " + image.reference() + " is not the image " + imageDigest
            + " this dry-run is for");
      }
    }
  }

  /** Reads the image archives' layers once; addons directories are looked into on demand. */
  ModuleCatalog open() {
    return ModuleCatalog.open(this);
  }
}
