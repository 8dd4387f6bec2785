package io.odoogitops.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * An image kept in a tar file, read without running it: the OCI image layout {@code odoo-gitops build} writes
 * ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/…}) or the {@code docker save} format
 * ({@code manifest.json}). Every step from the index to the layers is checked against its digest, so the files read
 * are exactly those of {@link #digest()}.
 *
 * @param file the archive
 * @param digest the manifest digest for an OCI layout (what a registry would answer for the pushed image); the
 *     configuration digest (Docker's image ID) for a {@code docker save} archive, which holds no manifest
 * @param manifestDigest whether {@code digest} is a manifest digest, comparable to a registry's
 * @param configDigest the configuration's digest: Docker's image ID once the archive is loaded
 * @param name the name the archive records for the image (the OCI {@code org.opencontainers.image.ref.name}
 *     annotation, the first of {@code docker save}'s {@code RepoTags}), or null
 * @param environment the image's {@code Env}, as {@code NAME → value}
 * @param layers the layers, lowest first
 */
public record ImageArchive(Path file, ImageDigest digest, boolean manifestDigest, ImageDigest configDigest, String name,
    Map<String, String> environment, List<Layer> layers) {

  /** Archive members read whole (index, manifests, configuration) are JSON documents of a few KiB. */
  static final int MAX_METADATA_BYTES = 4 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

  /**
   * One layer.
   *
   * @param member the archive member holding it
   * @param blobDigest the digest of the member's bytes as stored, or null when the format records none
   * @param diffId the digest of the uncompressed tar ({@code rootfs.diff_ids})
   */
  public record Layer(String member, String blobDigest, String diffId) {
  }

  public ImageArchive {
    environment = Map.copyOf(environment);
    layers = List.copyOf(layers);
  }

  /**
   * Reads the archive's index, manifest and configuration.
   *
   * @throws ReleaseException bad input for a missing, unreadable, compressed or malformed archive, or one whose
   *     members do not hash to the digests naming them
   */
  public static ImageArchive open(Path file) {
    // Not followed: what a link points at can change between this check and the run that uses the image.
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw ReleaseException.badInput("image archive " + file + " does not exist or is not a regular file (a"
          + " symbolic link is not followed); give the archive file itself");
    }
    try (TarFile tar = new TarFile(file.toFile())) {
      Map<String, TarArchiveEntry> members = members(tar);
      if (members.containsKey("index.json")) {
        return oci(file, tar, members);
      }
      if (members.containsKey("manifest.json")) {
        return dockerSave(file, tar, members);
      }
      throw ReleaseException.badInput("image archive " + file + " has neither index.json (OCI image layout, as "
          + "'odoo-gitops build --oci-archive' writes) nor manifest.json (docker save); it is not an image archive");
    } catch (IOException e) {
      throw ReleaseException.badInput("image archive " + file + " is not a readable tar file (" + e.getMessage()
          + "); a compressed archive must be decompressed first");
    }
  }

  /** {@code oci} for an OCI image layout, {@code docker} for a {@code docker save} archive. */
  public String format() {
    return manifestDigest ? "oci" : "docker";
  }

  /** The references a Docker engine may know the loaded image by, most specific first. */
  public List<String> loadedReferences() {
    return name == null ? List.of(configDigest.value()) : List.of(configDigest.value(), name);
  }

  /** The archive's bytes, e.g. for {@code docker load}. */
  public InputStream content() throws IOException {
    return new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
  }

  /** The selected files of the image's root file system; see {@link ImageFiles}. */
  public ImageFiles files(Predicate<String> presence, Predicate<String> content) {
    return ImageFiles.read(this, presence, content);
  }

  private static ImageArchive oci(Path file, TarFile tar, Map<String, TarArchiveEntry> members) throws IOException {
    JsonNode index = json(file, tar, members, "index.json", null);
    JsonNode descriptor = single(file, index.path("manifests"), "index.json");
    String mediaType = descriptor.path("mediaType").asText("");
    if (mediaType.contains("index") || mediaType.contains("manifest.list")) {
      JsonNode nested = json(file, tar, members, blobMember(file, descriptor), digestOf("image archive " + file, descriptor));
      descriptor = single(file, nested.path("manifests"), "the image index " + digestOf("image archive " + file, descriptor));
    }
    String manifestDigest = digestOf("image archive " + file, descriptor);
    JsonNode manifest = json(file, tar, members, blobMember(file, descriptor), manifestDigest);
    String manifestType = manifest.path("mediaType").asText(descriptor.path("mediaType").asText(OCI_MANIFEST));
    if (!manifestType.equals(OCI_MANIFEST) && !manifestType.equals(DOCKER_MANIFEST)) {
      throw ReleaseException.badInput("image archive " + file + " holds a manifest of type '" + manifestType
          + "', which is not an image manifest");
    }
    JsonNode configDescriptor = manifest.path("config");
    String configDigest = digestOf("image archive " + file, configDescriptor);
    JsonNode config = json(file, tar, members, blobMember(file, configDescriptor), configDigest);
    JsonNode layerDescriptors = manifest.path("layers");
    List<String> diffIds = diffIds("image archive " + file, config, layerDescriptors.size());
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < layerDescriptors.size(); i++) {
      JsonNode layer = layerDescriptors.get(i);
      String type = layer.path("mediaType").asText("");
      if (type.contains("zstd")) {
        throw ReleaseException.badInput("image archive " + file + " has a zstd-compressed layer, which odoo-gitops "
            + "cannot read; convert it with skopeo copy --dest-compress-format gzip");
      }
      String member = blobMember(file, layer);
      requireMember(file, members, member);
      layers.add(new Layer(member, digestOf("image archive " + file, layer), diffIds.get(i)));
    }
    String name = index.path("manifests").get(0).at("/annotations/org.opencontainers.image.ref.name").asText("");
    return new ImageArchive(file, new ImageDigest(manifestDigest), true, new ImageDigest(configDigest),
        name.isEmpty() ? null : name,
        environment(config), layers);
  }

  private static ImageArchive dockerSave(Path file, TarFile tar, Map<String, TarArchiveEntry> members)
      throws IOException {
    JsonNode entry = single(file, json(file, tar, members, "manifest.json", null), "manifest.json");
    String configMember = memberName(file, entry.path("Config").asText(""));
    JsonNode config = json(file, tar, members, configMember, null);
    String configDigest = RegistryApi.sha256(read(file, tar, members, configMember));
    JsonNode layerMembers = entry.path("Layers");
    List<String> diffIds = diffIds("image archive " + file, config, layerMembers.size());
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < layerMembers.size(); i++) {
      String member = memberName(file, layerMembers.get(i).asText(""));
      requireMember(file, members, member);
      layers.add(new Layer(member, null, diffIds.get(i)));
    }
    JsonNode tags = entry.path("RepoTags");
    String name = tags.isArray() && !tags.isEmpty() ? tags.get(0).asText(null) : null;
    ImageDigest id = new ImageDigest(configDigest);
    return new ImageArchive(file, id, false, id, name, environment(config), layers);
  }

  /** Regular-file members by name, without a leading {@code ./}. */
  private static Map<String, TarArchiveEntry> members(TarFile tar) {
    Map<String, TarArchiveEntry> members = new HashMap<>();
    for (TarArchiveEntry entry : tar.getEntries()) {
      if (entry.isFile()) {
        members.put(entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName(), entry);
      }
    }
    return members;
  }

  static JsonNode single(Path file, JsonNode list, String where) {
    if (!list.isArray() || list.size() != 1) {
      throw ReleaseException.badInput("image archive " + file + ": " + where + " lists " + (list.isArray()
          ? list.size() : "no") + " images; an image archive for a dry-run must hold exactly one image");
    }
    return list.get(0);
  }

  static List<String> diffIds(String where, JsonNode config, int layers) {
    JsonNode ids = config.path("rootfs").path("diff_ids");
    if (!ids.isArray() || ids.size() != layers) {
      throw ReleaseException.badInput(where + ": the configuration lists " + (ids.isArray()
          ? ids.size() : "no") + " layer digests for " + layers + " layers; the archive is inconsistent");
    }
    List<String> result = new ArrayList<>();
    ids.forEach(id -> result.add(checkedDigest(where, id.asText(""))));
    return result;
  }

  static Map<String, String> environment(JsonNode config) {
    Map<String, String> env = new LinkedHashMap<>();
    config.path("config").path("Env").forEach(pair -> {
      String text = pair.asText("");
      int eq = text.indexOf('=');
      if (eq > 0) {
        env.put(text.substring(0, eq), text.substring(eq + 1));
      }
    });
    return env;
  }

  static String digestOf(String where, JsonNode descriptor) {
    return checkedDigest(where, descriptor.path("digest").asText(""));
  }

  static String checkedDigest(String where, String digest) {
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw ReleaseException.badInput(where + " names a blob by '" + abbreviate(digest)
          + "', which is not sha256:<64 hex>");
    }
    return digest;
  }

  private static String blobMember(Path file, JsonNode descriptor) {
    return "blobs/" + digestOf("image archive " + file, descriptor).replace(':', '/');
  }

  /** A member named inside the archive's own metadata; never one that climbs out of it. */
  private static String memberName(Path file, String name) {
    String normalized = name.startsWith("./") ? name.substring(2) : name;
    if (normalized.isEmpty() || normalized.startsWith("/") || List.of(normalized.split("/")).contains("..")) {
      throw ReleaseException.badInput("image archive " + file + " names the member '" + abbreviate(name)
          + "', which is not a plain path inside the archive");
    }
    return normalized;
  }

  private static void requireMember(Path file, Map<String, TarArchiveEntry> members, String member) {
    if (!members.containsKey(member)) {
      throw ReleaseException.badInput("image archive " + file + " lacks " + member
          + ", which its manifest names; the archive is incomplete");
    }
  }

  private static JsonNode json(Path file, TarFile tar, Map<String, TarArchiveEntry> members, String member,
      String expectedDigest) throws IOException {
    byte[] bytes = read(file, tar, members, member);
    if (expectedDigest != null && !RegistryApi.sha256(bytes).equals(expectedDigest)) {
      throw ReleaseException.badInput("image archive " + file + ": " + member + " does not hash to the digest "
          + "naming it; the archive is corrupt or was altered");
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw ReleaseException.badInput("image archive " + file + ": " + member + " is not valid JSON");
    }
  }

  private static byte[] read(Path file, TarFile tar, Map<String, TarArchiveEntry> members, String member)
      throws IOException {
    requireMember(file, members, member);
    TarArchiveEntry entry = members.get(member);
    if (entry.getSize() > MAX_METADATA_BYTES) {
      throw ReleaseException.badInput("image archive " + file + ": " + member + " is " + entry.getSize()
          + " bytes, more than any image metadata needs (" + MAX_METADATA_BYTES + ")");
    }
    try (InputStream in = tar.getInputStream(entry)) {
      return in.readNBytes(MAX_METADATA_BYTES);
    }
  }

  static TarArchiveEntry member(TarFile tar, String name) {
    for (TarArchiveEntry entry : tar.getEntries()) {
      String normalized = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
      if (entry.isFile() && normalized.equals(name)) {
        return entry;
      }
    }
    throw new IllegalStateException(name + " was checked to exist when the archive was opened");
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }
}
