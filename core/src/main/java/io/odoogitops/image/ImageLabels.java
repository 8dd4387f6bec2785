package io.odoogitops.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels a built image carries: the OCI annotations for provenance and a label listing the modules with their
 * versions and checksums, so that a dry-run or an auditor can tell what an image holds from its configuration
 * alone, without pulling its layers.
 */
public final class ImageLabels {

  public static final String REVISION = "org.opencontainers.image.revision";
  public static final String SOURCE = "org.opencontainers.image.source";
  public static final String VERSION = "org.opencontainers.image.version";
  public static final String BASE_DIGEST = "org.opencontainers.image.base.digest";
  public static final String BASE_NAME = "org.opencontainers.image.base.name";
  /** JSON object: module name -> {"version": …, "checksum": …}, keys sorted. */
  public static final String MODULES = "io.odoogitops.modules";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageLabels() {}

  static Map<String, String> of(String revision, String source, String version, BaseImage base,
      List<BuiltModule> modules) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (revision != null) {
      labels.put(REVISION, revision);
    }
    if (source != null) {
      labels.put(SOURCE, source);
    }
    if (version != null) {
      labels.put(VERSION, version);
    }
    base.labelName().ifPresent(name -> labels.put(BASE_NAME, name));
    labels.put(BASE_DIGEST, base.digest().value());
    labels.put(MODULES, modulesJson(modules));
    return labels;
  }

  static String modulesJson(List<BuiltModule> modules) {
    Map<String, Map<String, String>> byName = new TreeMap<>();
    for (BuiltModule module : modules) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("version", module.version());
      entry.put("checksum", module.checksum());
      byName.put(module.name(), entry);
    }
    try {
      return JSON.writeValueAsString(byName);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }
}
