package io.odoogitops.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A base image kept in a local file, so that builds need no registry (demos, air-gapped CI agents).
 *
 * <p>The format is the one {@code docker save} writes and {@code docker load} reads: a plain tar with a
 * {@code manifest.json} naming the image configuration and the layer files. That is the only archive format jib
 * (0.27) reads as a base image; an OCI image layout ({@code index.json}, e.g. from {@code skopeo copy …
 * oci-archive:}) is refused by {@link #read} with the command that converts it.
 *
 * <p>The archive is identified by its <em>configuration digest</em> (Docker's image ID): the SHA-256 of the
 * configuration file, stored verbatim in the archive. The configuration lists the digest of every uncompressed layer
 * ({@code rootfs.diff_ids}), so this one digest pins the whole file system and the runtime settings. A registry
 * manifest digest would not do: a {@code docker save} archive holds no manifest, and the one jib makes up depends
 * on how the layers happen to be compressed.
 *
 * @param file the archive
 * @param name the image name recorded in the archive ({@code RepoTags}), if any
 * @param configDigest {@code sha256:…} of the image configuration
 */
public record BaseArchive(Path file, Optional<String> name, ImageDigest configDigest) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FilePermissions DIRECTORY = FilePermissions.fromOctalString("755");

  /**
   * Writes a single-layer image holding the files under {@code rootfs} (as {@code /…}) with the given runtime
   * settings, in the format {@link #read} accepts. Reproducible: entries sorted, every time
   * 1970-01-01T00:00:01Z, owner {@code 0:0}, mode 755 for directories and executables, 644 otherwise, image
   * creation time the epoch; the same directory content and settings always give the same {@link #configDigest()}.
   *
   * @param name the image name recorded in the archive, e.g. {@code odoo-gitops/demo-base:17.0}
   * @throws ReleaseException bad input for an unreadable root, a symbolic link (image layers written by jib
   *     cannot hold links) or an invalid name; infrastructure when the archive cannot be written
   */
  public static BaseArchive write(Path rootfs, String name, ImageConfig config, Path out) {
    if (!Files.isDirectory(rootfs)) {
      throw ReleaseException.badInput("root file system " + rootfs + " is not a directory");
    }
    ImageReference reference = ImageName.parse(name, "base archive image name");
    JibContainerBuilder image = Jib.fromScratch()
        .setFormat(ImageFormat.Docker)
        .setCreationTime(Instant.EPOCH)
        .addFileEntriesLayer(rootLayer(rootfs));
    config.user().ifPresent(image::setUser);
    image.setEntrypoint(config.entrypoint().isEmpty() ? null : config.entrypoint());
    image.setProgramArguments(config.command().isEmpty() ? null : config.command());
    image.setEnvironment(config.environment());
    config.workingDirectory().ifPresent(dir -> image.setWorkingDirectory(config.workingDirectoryPath()));
    image.setLabels(config.labels());
    Path file = out.toAbsolutePath();
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot create the directory of " + file + " (" + e.getMessage() + ")");
    }
    Containerizer containerizer = Containerizer.to(TarImage.at(file).named(reference))
        .setToolName("odoo-gitops")
        .setToolVersion(ImageBuild.IMAGE_LAYOUT_VERSION);
    JibFailures.run(() -> image.containerize(containerizer), "write " + file);
    return read(file);
  }

  /**
   * Reads the archive's manifest and configuration digest.
   *
   * @throws ReleaseException bad input when the file is missing, compressed, an OCI layout, or holds other than
   *     exactly one image
   */
  public static BaseArchive read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw ReleaseException.badInput("base image archive " + file + " does not exist or is not a file");
    }
    if (isGzipped(file)) {
      throw ReleaseException.badInput("base image archive " + file + " is gzip-compressed; jib reads plain tar "
          + "only. Decompress it first (gunzip -k, or save without '| gzip')");
    }
    TarScan scan = TarScan.find(file, "manifest.json");
    if (scan.member().isEmpty() && scan.ociLayout()) {
      throw ReleaseException.badInput("base image archive " + file + " is an OCI image layout without the "
          + "manifest.json of docker save, and jib reads base images from docker save archives only; convert it "
          + "with: skopeo copy oci-archive:" + file + " docker-archive:" + dockerSibling(file)
          + ":NAME:TAG, then pass --base docker-archive:" + dockerSibling(file));
    }
    if (scan.member().isEmpty()) {
      throw ReleaseException.badInput("base image archive " + file + " has no manifest.json, so it is not a "
          + "docker save archive; create one with 'docker save IMAGE -o FILE' or 'skopeo copy docker://IMAGE "
          + "docker-archive:FILE:NAME:TAG'");
    }
    JsonNode entries = parseJson(scan.member().get(), file, "manifest.json");
    if (!entries.isArray() || entries.size() != 1) {
      throw ReleaseException.badInput("base image archive " + file + " holds " + (entries.isArray()
          ? entries.size() : "no list of") + " images; a base archive must hold exactly one (docker save IMAGE)");
    }
    JsonNode entry = entries.get(0);
    String configPath = entry.path("Config").asText("");
    if (configPath.isEmpty()) {
      throw ReleaseException.badInput("manifest.json of base image archive " + file + " names no Config file");
    }
    byte[] config = TarScan.find(file, configPath).member().orElseThrow(() ->
        ReleaseException.badInput("base image archive " + file + " lacks the configuration " + configPath
            + " its manifest.json names; the archive is incomplete"));
    JsonNode tags = entry.path("RepoTags");
    Optional<String> name = tags.isArray() && tags.size() > 0 ? Optional.of(tags.get(0).asText())
        : Optional.empty();
    return new BaseArchive(file, name, new ImageDigest(RegistryApi.sha256(config)));
  }

  private static String dockerSibling(Path file) {
    String name = file.getFileName().toString();
    return file.resolveSibling(name.replaceFirst("(\\.tar)?$", "") + "-docker.tar").toString();
  }

  private static JsonNode parseJson(byte[] bytes, Path file, String member) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw ReleaseException.badInput(member + " in base image archive " + file + " is not valid JSON ("
          + e.getMessage() + ")");
    }
  }

  private static boolean isGzipped(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read base image archive " + file + " (" + e.getMessage() + ")");
    }
  }

  /** One file of the archive, read in one pass, plus whether the archive is an OCI image layout. */
  private record TarScan(Optional<byte[]> member, boolean ociLayout) {

    static TarScan find(Path file, String wanted) {
      byte[] found = null;
      boolean oci = false;
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(
          Files.newInputStream(file)))) {
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
          String entryName = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
          oci |= entryName.equals("index.json") || entryName.equals("oci-layout");
          if (found == null && entryName.equals(wanted) && entry.isFile()) {
            found = tar.readAllBytes();
          }
        }
      } catch (IOException e) {
        throw ReleaseException.badInput("base image archive " + file + " is not a readable tar file ("
            + e.getMessage() + ")");
      }
      return new TarScan(Optional.ofNullable(found), oci);
    }
  }

  /** The whole root file system as one layer; directories get entries too, so empty ones survive. */
  private static FileEntriesLayer rootLayer(Path rootfs) {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("rootfs");
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(rootfs)) {
      walk.filter(path -> !path.equals(rootfs)).forEach(paths::add);
    } catch (IOException | UncheckedIOException e) {
      throw ReleaseException.badInput("cannot list " + rootfs + " (" + e.getMessage() + "); check its permissions");
    }
    paths.sort((a, b) -> unixPath(rootfs, a).compareTo(unixPath(rootfs, b)));
    for (Path path : paths) {
      if (Files.isSymbolicLink(path)) {
        throw ReleaseException.badInput(path + " is a symbolic link; the layers odoo-gitops writes hold regular "
            + "files and directories only. Replace it with a copy");
      }
      boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
      layer.addEntry(new FileEntry(path, AbsoluteUnixPath.get("/" + unixPath(rootfs, path)),
          directory ? DIRECTORY : AddonLayers.permissionsOf(path), AddonLayers.FILE_TIME, AddonLayers.OWNERSHIP));
    }
    return layer.build();
  }

  private static String unixPath(Path root, Path path) {
    Path relative = root.relativize(path);
    return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
  }
}
