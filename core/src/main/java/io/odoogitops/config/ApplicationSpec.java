package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An application whose image the environments run: usually the Odoo image built from the module repositories.
 *
 * @param name the key under {@code applications:}; what users pass as {@code --app}
 * @param image the repository its images are pushed to, e.g. {@code registry.example.com/acme/odoo}
 * @param container manifest layout: the container to edit (default: the application name)
 * @param kustomizeName kustomize layout: the {@code images[].name} entry to edit (default: {@code image})
 * @param helm helm layout: where repository, tag and digest live in the values file
 */
public record ApplicationSpec(
    @JsonIgnore String name,
    @JsonProperty("image") String image,
    @JsonProperty("container") String container,
    @JsonProperty("kustomizeName") String kustomizeName,
    @JsonProperty("helm") HelmPaths helm) {

  public ApplicationSpec {
    helm = helm == null ? HelmPaths.DEFAULT : helm;
  }

  ApplicationSpec named(String key) {
    return new ApplicationSpec(key, image, container, kustomizeName, helm);
  }

  public String containerName() {
    return container != null ? container : name;
  }

  public String kustomizeImageName() {
    return kustomizeName != null ? kustomizeName : image;
  }
}
