package io.odoogitops.dryrun.neutralize;

import io.odoogitops.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the code of the release being judged can be read, to find each installed module's
 * {@code data/neutralize.sql}: addons directories (one subdirectory per module, as {@code --addons} takes them) and
 * image archives (an OCI image layout or {@code docker save} tar, read layer by layer without running the image:
 * Odoo's own addons live in the base image's layers, the release's in the layers {@code odoo-gitops build} adds).
 *
 * <p>A module is taken from the first source holding it: the addons directories in the order given, then each
 * image in Odoo's own order (the directory of Odoo's bundled addons, then the {@code addons_path} of the image's
 * {@code odoo.conf}).
 */
public record ModuleSources(List<Path> addonsDirs, List<Path> imageArchives) {

  /**
   * @throws ReleaseException bad input for an addons directory that is not a directory or an archive that is not a
   *     regular file, so that the mistake is found before anything is cloned
   */
  public ModuleSources {
    addonsDirs = List.copyOf(addonsDirs);
    imageArchives = List.copyOf(imageArchives);
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
    return new ModuleSources(addonsDirs, imageArchives);
  }

  public static ModuleSources addonsDirs(Path... dirs) {
    return new ModuleSources(List.of(dirs), List.of());
  }

  public ModuleSources withAddonsDir(Path dir) {
    List<Path> dirs = new ArrayList<>(addonsDirs);
    dirs.add(dir);
    return new ModuleSources(dirs, imageArchives);
  }

  public ModuleSources withImageArchive(Path archive) {
    List<Path> archives = new ArrayList<>(imageArchives);
    archives.add(archive);
    return new ModuleSources(addonsDirs, archives);
  }

  public boolean isEmpty() {
    return addonsDirs.isEmpty() && imageArchives.isEmpty();
  }

  /**
   * Checks that every OCI image archive holds the image of {@code imageDigest} (its manifest digest), so that the
   * neutralization files come from the release being judged. A {@code docker save} archive holds no manifest and is
   * known only by its configuration digest, so it cannot be matched to a registry digest and is not checked. Reads
   * only the archives' index and manifest: call it before cloning.
   *
   * @throws ReleaseException bad input naming the archive and both digests
   */
  public void requireImage(String imageDigest) {
    for (Path archive : imageArchives) {
      io.odoogitops.image.ImageArchive image = io.odoogitops.image.ImageArchive.open(archive);
      if (image.manifestDigest() && !image.digest().equals(imageDigest)) {
        throw ReleaseException.badInput("image archive " + archive + " holds image " + image.digest()
            + ", not the image " + imageDigest + " this dry-run is for; give the archive of that image");
      }
    }
  }

  /** Reads the image archives' layers once; addons directories are looked into on demand. */
  ModuleCatalog open() {
    return ModuleCatalog.open(this);
  }
}
