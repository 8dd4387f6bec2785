package io.odoogitops.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes image archives by hand, in the {@code docker save} format, so that tests can hold what no well-behaved
 * build writes: whiteouts, links, entries climbing out of the root, layers that do not match their digests.
 */
public final class TestImages {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One layer's entries, in order. */
  public static final class Layer {
    private final List<TarArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();
    private boolean gzip;

    public Layer file(String name, String content) {
      return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public Layer file(String name, byte[] content) {
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setSize(content.length);
      entries.add(entry);
      contents.add(content);
      return this;
    }

    public Layer directory(String name) {
      entries.add(new TarArchiveEntry(name.endsWith("/") ? name : name + "/"));
      contents.add(null);
      return this;
    }

    public Layer symlink(String name, String target) {
      return link(name, target, TarArchiveEntry.LF_SYMLINK);
    }

    public Layer hardlink(String name, String target) {
      return link(name, target, TarArchiveEntry.LF_LINK);
    }

    private Layer link(String name, String target, byte type) {
      TarArchiveEntry entry = new TarArchiveEntry(name, type);
      entry.setLinkName(target);
      entries.add(entry);
      contents.add(null);
      return this;
    }

    public Layer gzip() {
      this.gzip = true;
      return this;
    }

    byte[] tar() throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (int i = 0; i < entries.size(); i++) {
          tar.putArchiveEntry(entries.get(i));
          if (contents.get(i) != null) {
            tar.write(contents.get(i));
          }
          tar.closeArchiveEntry();
        }
      }
      return bytes.toByteArray();
    }
  }

  private TestImages() {
  }

  public static Layer layer() {
    return new Layer();
  }

  /** A {@code docker save} archive of {@code layers} (lowest first) with the given {@code Env}. */
  public static Path dockerSave(Path out, List<String> env, Layer... layers) throws IOException {
    return dockerSave(out, env, false, layers);
  }

  /** As {@link #dockerSave}, but with a configuration whose first layer digest is wrong when {@code tamper}. */
  public static Path dockerSave(Path out, List<String> env, boolean tamper, Layer... layers) throws IOException {
    ObjectNode config = JSON.createObjectNode();
    ArrayNode envNode = config.putObject("config").putArray("Env");
    env.forEach(envNode::add);
    ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    List<byte[]> stored = new ArrayList<>();
    for (Layer layer : layers) {
      byte[] tar = layer.tar();
      diffIds.add(RegistryApi.sha256(tar));
      if (layer.gzip) {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out2 = new GZIPOutputStream(gz)) {
          out2.write(tar);
        }
        stored.add(gz.toByteArray());
      } else {
        stored.add(tar);
      }
    }
    if (tamper) {
      diffIds.set(0, JSON.getNodeFactory().textNode("sha256:" + "0".repeat(64)));
    }
    byte[] configBytes = JSON.writeValueAsBytes(config);
    String configName = RegistryApi.sha256(configBytes).substring(7) + ".json";
    ObjectNode entry = JSON.createObjectNode();
    entry.put("Config", configName);
    entry.putArray("RepoTags").add("test/image:1");
    ArrayNode layerNames = entry.putArray("Layers");
    for (int i = 0; i < stored.size(); i++) {
      layerNames.add("layer" + i + "/layer.tar");
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(out))) {
      put(tar, "manifest.json", JSON.writeValueAsBytes(JSON.createArrayNode().add(entry)));
      put(tar, configName, configBytes);
      for (int i = 0; i < stored.size(); i++) {
        put(tar, "layer" + i + "/layer.tar", stored.get(i));
      }
    }
    return out;
  }

  private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }
}
