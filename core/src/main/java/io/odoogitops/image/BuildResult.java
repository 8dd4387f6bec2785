package io.odoogitops.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.odoogitops.ImageDigest;
import java.util.List;

/**
 * What a build produced, the input of every later step (dry-run, promotion): promotions refer to {@link #digest()},
 * never to a tag.
 *
 * @param image repository, e.g. {@code registry.example.com/acme/odoo}
 * @param digest manifest digest, {@code sha256:…}
 * @param tags tags that now point at the digest
 * @param createdTags the subset of {@code tags} this build wrote (the others already pointed at the same digest)
 * @param target {@code registry} or {@code oci:PATH}
 * @param modules in layer order, dependencies first
 * @param modulesFromBase dependencies expected from the base image
 */
public record BuildResult(
    String image,
    ImageDigest digest,
    List<String> tags,
    List<String> createdTags,
    String target,
    String baseImage,
    ImageDigest baseDigest,
    String odooSeries,
    String revision,
    List<BuiltModule> modules,
    List<String> modulesFromBase) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public BuildResult {
    tags = List.copyOf(tags);
    createdTags = List.copyOf(createdTags);
    modules = List.copyOf(modules);
    modulesFromBase = List.copyOf(modulesFromBase);
  }

  /** {@code image@digest}: the reference a deployment should use. */
  public String pinnedReference() {
    return image + "@" + digest;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a build result always serialises", e);
    }
  }
}
