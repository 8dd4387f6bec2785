package io.odoogitops.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One status condition as Kubernetes objects report them ({@code type}, {@code status}, {@code reason},
 * {@code message}); Argo CD's application conditions have no status and use {@code type}/{@code message} only.
 */
public record Condition(String type, String status, String reason, String message) {

  @JsonIgnore // derived from status; not a field of the report
  public boolean isTrue() {
    return "True".equals(status);
  }

  @JsonIgnore
  public boolean isFalse() {
    return "False".equals(status);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(type);
    if (status != null) {
      text.append('=').append(status);
    }
    if (reason != null && !reason.isBlank()) {
      text.append(" (").append(reason).append(')');
    }
    if (message != null && !message.isBlank()) {
      text.append(": ").append(message);
    }
    return text.toString();
  }

  /** Reads the untyped {@code conditions} list of a custom resource; entries that are not maps are ignored. */
  static List<Condition> fromUntyped(Object conditions) {
    List<Condition> result = new ArrayList<>();
    if (conditions instanceof List<?> list) {
      for (Object entry : list) {
        if (entry instanceof Map<?, ?> map) {
          result.add(new Condition(text(map.get("type")), text(map.get("status")), text(map.get("reason")),
              text(map.get("message"))));
        }
      }
    }
    return List.copyOf(result);
  }

  static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
