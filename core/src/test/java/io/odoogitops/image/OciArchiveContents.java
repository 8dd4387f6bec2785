package io.odoogitops.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads an OCI image layout tar in plain Java (index, manifest, configuration), so that tests of OCI archive output
 * never depend on skopeo alone. Also checks that the manifest and configuration hash to the digests naming them.
 */
public record OciArchiveContents(String manifestDigest, JsonNode manifest, JsonNode config) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static OciArchiveContents read(Path archive) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new BufferedInputStream(Files.newInputStream(archive)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        if (entry.isFile() && (entry.getName().endsWith(".json") || entry.getSize() < 1_000_000)) {
          files.put(entry.getName(), tar.readAllBytes());
        }
      }
    }
    if (!files.containsKey("oci-layout") || !files.containsKey("index.json")) {
      throw new IOException(archive + " is not an OCI image layout: " + files.keySet());
    }
    JsonNode index = JSON.readTree(files.get("index.json"));
    String manifestDigest = index.at("/manifests/0/digest").asText();
    byte[] manifestBytes = blob(files, manifestDigest);
    JsonNode manifest = JSON.readTree(manifestBytes);
    JsonNode config = JSON.readTree(blob(files, manifest.at("/config/digest").asText()));
    return new OciArchiveContents(manifestDigest, manifest, config);
  }

  public String label(String name) {
    return config.at("/config/Labels").path(name).asText(null);
  }

  public int layerCount() {
    return manifest.get("layers").size();
  }

  private static byte[] blob(Map<String, byte[]> files, String digest) throws IOException {
    byte[] bytes = files.get("blobs/" + digest.replace(':', '/'));
    if (bytes == null) {
      throw new IOException("blob " + digest + " missing");
    }
    if (!RegistryApi.sha256(bytes).equals(digest)) {
      throw new IOException("blob " + digest + " does not hash to its digest");
    }
    return bytes;
  }
}
