package io.odoogitops.dryrun.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.ReleaseException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The image archive {@code odoo-gitops build} wrote (an OCI image layout tar), or a {@code docker save} archive,
 * read without Docker: which image it holds, so that the container runs exactly the image the dry-run judges.
 *
 * @param file the archive
 * @param format {@code oci} or {@code docker}
 * @param manifestDigest the manifest digest of an OCI layout (what the image is pinned by), empty for a
 *     {@code docker save} archive, which holds no manifest
 * @param configDigest the configuration's digest: Docker's image ID once loaded
 * @param name the name recorded in the archive, if any
 */
record ImageArchive(Path file, String format, Optional<String> manifestDigest, String configDigest,
    Optional<String> name) {

  /** Index, manifests and configurations are small; a larger JSON member is not one of them. */
  private static final long MAX_JSON_BYTES = 4L * 1024 * 1024;
  /** Manifests and configurations are a few KiB; a blob beyond this is a layer, never read into memory. */
  private static final long MAX_BLOB_BYTES = 256L * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads the archive's index or manifest.
   *
   * @throws ReleaseException bad input when the file is not a regular file, not a tar, or not an image archive
   *     holding exactly one image
   */
  static ImageArchive read(Path file) {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw ReleaseException.badInput("image archive " + file + " does not exist or is not a regular file; give the"
          + " archive odoo-gitops build --to oci:PATH wrote");
    }
    Map<String, byte[]> members = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
        if (entry.isFile() && entry.getSize() <= MAX_JSON_BYTES && (name.endsWith(".json") || name.equals("oci-layout")
            || name.startsWith("blobs/sha256/") && entry.getSize() <= MAX_BLOB_BYTES)) {
          members.put(name, tar.readAllBytes());
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw ReleaseException.badInput("image archive " + file + " is not a readable tar file (" + e.getMessage()
          + ")");
    }
    if (members.containsKey("index.json")) {
      return oci(file, members);
    }
    if (members.containsKey("manifest.json")) {
      return docker(file, members);
    }
    throw ReleaseException.badInput("image archive " + file + " has neither index.json (OCI layout) nor"
        + " manifest.json (docker save); give the archive odoo-gitops build wrote");
  }

  private static ImageArchive oci(Path file, Map<String, byte[]> members) {
    JsonNode manifests = json(file, "index.json", members.get("index.json")).path("manifests");
    if (!manifests.isArray() || manifests.size() != 1) {
      throw ReleaseException.badInput("image archive " + file + " holds " + manifests.size()
          + " images; the upgrade runs exactly one");
    }
    String manifestDigest = manifests.get(0).path("digest").asText("");
    JsonNode manifest = json(file, manifestDigest, blob(file, members, manifestDigest));
    String configDigest = manifest.at("/config/digest").asText("");
    blob(file, members, configDigest);
    String name = manifests.get(0).at("/annotations/org.opencontainers.image.ref.name").asText("");
    return new ImageArchive(file, "oci", Optional.of(manifestDigest), configDigest,
        name.isEmpty() ? Optional.empty() : Optional.of(name));
  }

  private static ImageArchive docker(Path file, Map<String, byte[]> members) {
    JsonNode entries = json(file, "manifest.json", members.get("manifest.json"));
    if (!entries.isArray() || entries.size() != 1) {
      throw ReleaseException.badInput("image archive " + file + " holds " + (entries.isArray() ? entries.size()
          : "no list of") + " images; the upgrade runs exactly one");
    }
    String configPath = entries.get(0).path("Config").asText("");
    byte[] config = members.get(configPath);
    if (config == null) {
      throw ReleaseException.badInput("image archive " + file + " lacks the configuration '" + configPath
          + "' its manifest.json names; the archive is incomplete");
    }
    JsonNode tags = entries.get(0).path("RepoTags");
    Optional<String> name = tags.isArray() && !tags.isEmpty() ? Optional.of(tags.get(0).asText())
        : Optional.empty();
    return new ImageArchive(file, "docker", Optional.empty(), sha256(config), name);
  }

  /** The references Docker may know the loaded image by, most specific first. */
  List<String> loadedReferences() {
    return name.map(n -> List.of(configDigest, n)).orElse(List.of(configDigest));
  }

  private static byte[] blob(Path file, Map<String, byte[]> members, String digest) {
    byte[] bytes = digest.matches("sha256:[0-9a-f]{64}") ? members.get("blobs/" + digest.replace(':', '/')) : null;
    if (bytes == null) {
      throw ReleaseException.badInput("image archive " + file + " lacks the blob " + digest
          + " its index names; the archive is incomplete");
    }
    if (!sha256(bytes).equals(digest)) {
      throw ReleaseException.badInput("blob " + digest + " of image archive " + file + " does not hash to its"
          + " digest; the archive is corrupt or was altered");
    }
    return bytes;
  }

  private static JsonNode json(Path file, String member, byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw ReleaseException.badInput(member + " in image archive " + file + " is not valid JSON");
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Opens the archive for {@code docker load}. */
  InputStream open() throws IOException {
    return new BufferedInputStream(Files.newInputStream(file));
  }
}
