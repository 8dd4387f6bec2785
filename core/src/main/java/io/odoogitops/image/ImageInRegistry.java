package io.odoogitops.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An image in a registry, read without running or pulling it: its manifest (the {@code linux/amd64} one of a
 * multi-platform index), configuration and layers are fetched by digest and checked against them, so the files read
 * are exactly those of the pinned digest. Each layer is streamed once; nothing is written to disk.
 */
public final class ImageInRegistry {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String pinned;
  private final String repository;
  private final RegistryApi api;
  private final ImageDigest digest;
  private final Map<String, String> environment;
  private final List<ImageArchive.Layer> layers;

  private ImageInRegistry(String pinned, String repository, RegistryApi api, ImageDigest digest,
      Map<String, String> environment, List<ImageArchive.Layer> layers) {
    this.pinned = pinned;
    this.repository = repository;
    this.api = api;
    this.digest = digest;
    this.environment = Map.copyOf(environment);
    this.layers = List.copyOf(layers);
  }

  /**
   * Reads the manifest and configuration of {@code reference}, which must be pinned by digest
   * ({@code registry/repository@sha256:…}): a dry-run judges one exact image.
   *
   * @param insecure allow plain HTTP to a registry that is not on this machine
   * @throws ReleaseException bad input for an unpinned or malformed reference or image; infrastructure when the
   *     registry cannot be reached or refuses
   */
  public static ImageInRegistry open(String reference, Optional<RegistryCredentials> credentials, boolean insecure) {
    ImageReference parsed = ImageName.parse(reference, "image");
    ImageDigest pinned = ImageDigest.parse(parsed.getDigest().orElseThrow(() -> ReleaseException.badInput("image '"
        + reference + "' is not pinned by digest; give registry/repository@sha256:<digest>, the image the dry-run"
        + " judges")), "the digest of image " + reference);
    String pinnedDigest = pinned.value();
    RegistryApi api = new RegistryApi(RegistryAccess.to(parsed.getRegistry(), credentials, insecure));
    String repository = parsed.getRepository();
    String where = "image " + reference;
    RegistryApi.RawManifest raw = api.manifest(repository, pinnedDigest);
    if (!raw.digest().equals(pinnedDigest)) {
      throw ReleaseException.badInput(where + ": the registry answered a manifest that does not hash to "
          + pinnedDigest + "; refusing it");
    }
    JsonNode manifest = json(raw.body(), where);
    if (manifest.has("manifests")) {
      String platform = platformManifest(manifest, where);
      RegistryApi.RawManifest chosen = api.manifest(repository, platform);
      if (!chosen.digest().equals(platform)) {
        throw ReleaseException.badInput(where + ": the manifest for linux/amd64 does not hash to " + platform);
      }
      manifest = json(chosen.body(), where);
    }
    String configDigest = ImageArchive.checkedDigest(where, manifest.path("config").path("digest").asText(""));
    byte[] configBytes;
    try (InputStream in = api.blob(repository, configDigest)) {
      configBytes = in.readNBytes(ImageArchive.MAX_METADATA_BYTES);
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot read the configuration of " + reference + " ("
          + e.getMessage() + ")", e);
    }
    if (!RegistryApi.sha256(configBytes).equals(configDigest)) {
      throw ReleaseException.badInput(where + ": its configuration does not hash to " + configDigest);
    }
    JsonNode config = json(configBytes, where);
    JsonNode descriptors = manifest.path("layers");
    List<String> diffIds = ImageArchive.diffIds(where, config, descriptors.size());
    List<ImageArchive.Layer> layers = new ArrayList<>();
    for (int i = 0; i < descriptors.size(); i++) {
      String layerDigest = ImageArchive.digestOf(where, descriptors.get(i));
      layers.add(new ImageArchive.Layer(layerDigest, layerDigest, diffIds.get(i)));
    }
    return new ImageInRegistry(reference, repository, api, pinned, ImageArchive.environment(config), layers);
  }

  /** The manifest digest, as pinned. */
  public ImageDigest digest() {
    return digest;
  }

  public Map<String, String> environment() {
    return environment;
  }

  /** The selected files of the image's root file system; see {@link ImageFiles}. */
  public ImageFiles files(Predicate<String> presence, Predicate<String> content) {
    try {
      return ImageFiles.read("image " + pinned, layers, layer -> api.blob(repository, layer.blobDigest()), presence,
          content);
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot read the layers of image " + pinned + " from its registry ("
          + e.getMessage() + ")", e);
    }
  }

  private static String platformManifest(JsonNode index, String where) {
    JsonNode manifests = index.path("manifests");
    if (manifests.size() == 1) {
      return ImageArchive.digestOf(where, manifests.get(0));
    }
    for (JsonNode entry : manifests) {
      if ("linux".equals(entry.at("/platform/os").asText()) && "amd64".equals(entry.at("/platform/architecture")
          .asText())) {
        return ImageArchive.digestOf(where, entry);
      }
    }
    throw ReleaseException.badInput(where + " is a multi-platform index without a linux/amd64 image; pin the"
        + " digest of the platform's own manifest");
  }

  private static JsonNode json(byte[] bytes, String where) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw ReleaseException.badInput(where + ": the registry answered a document that is not JSON");
    }
  }

  /** For messages; never carries credentials. */
  @Override
  public String toString() {
    return "image " + pinned;
  }
}
