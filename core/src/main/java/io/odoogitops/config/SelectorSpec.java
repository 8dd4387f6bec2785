package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Selects environments by their {@code labels}, as Kubernetes label selectors do: every {@code matchLabels} pair and
 * every {@code matchExpressions} entry must hold.
 */
public record SelectorSpec(
    @JsonProperty("matchLabels") Map<String, String> matchLabels,
    @JsonProperty("matchExpressions") List<Expression> matchExpressions) {

  /** The operators of {@code matchExpressions}. */
  public static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  public SelectorSpec {
    matchLabels = matchLabels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(matchLabels));
    matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
  }

  /** Whether an environment with {@code labels} is selected; expects a validated selector. */
  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
      if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
        return false;
      }
    }
    return matchExpressions.stream().allMatch(e -> e.matches(labels));
  }

  /**
   * One requirement on a label.
   *
   * @param operator {@code In}, {@code NotIn} (a missing label is not in any set), {@code Exists} or
   *     {@code DoesNotExist}
   */
  public record Expression(
      @JsonProperty("key") String key,
      @JsonProperty("operator") String operator,
      @JsonProperty("values") List<String> values) {

    public Expression {
      values = values == null ? List.of() : List.copyOf(values);
    }

    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> throw new IllegalStateException("unvalidated selector operator " + operator);
      };
    }
  }
}
