package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may sign votes, as written under {@code allowedSigners:} — either inline, voter id to public keys:
 *
 * <pre>
 * allowedSigners:
 *   carol: ssh-ed25519 AAAA... carol@laptop
 *   dave:
 *     - sk-ssh-ed25519@openssh.com AAAA... dave@yubikey
 *     - ecdsa-sha2-nistp256 AAAA... dave@desktop
 * </pre>
 *
 * or the path of an {@code allowed_signers} file (ssh-keygen's format) in the GitOps repository:
 * {@code allowedSigners: .odoo-gitops/allowed_signers}. The {@code policy} package turns either into the signers the
 * gate verifies votes against.
 *
 * @param keys voter id to public key lines; empty when {@link #file} is set
 * @param file repository path of an allowed_signers file; {@code null} when the keys are inline
 */
public record AllowedSignersSpec(Map<String, List<String>> keys, String file) {

  public AllowedSignersSpec {
    keys = keys == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(keys));
  }

  /** Binds both shapes; a wrong shape is reported by the loader with its line. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static AllowedSignersSpec of(JsonNode node) {
    if (node.isTextual()) {
      return new AllowedSignersSpec(null, node.asText());
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("allowedSigners is either the path of an allowed_signers file in the"
          + " GitOps repository or a mapping of voter id to public keys");
    }
    Map<String, List<String>> keys = new LinkedHashMap<>();
    node.fields().forEachRemaining(field -> {
      List<String> lines = new ArrayList<>();
      JsonNode value = field.getValue();
      if (value.isTextual()) {
        lines.add(value.asText());
      } else if (value.isArray()) {
        value.forEach(item -> {
          if (!item.isTextual()) {
            throw new IllegalArgumentException("allowedSigners." + field.getKey() + ": each key is one line such"
                + " as 'ssh-ed25519 AAAA... comment'");
          }
          lines.add(item.asText());
        });
      } else {
        throw new IllegalArgumentException("allowedSigners." + field.getKey() + ": give a public key line or a list"
            + " of them");
      }
      keys.put(field.getKey(), List.copyOf(lines));
    });
    return new AllowedSignersSpec(keys, null);
  }
}
