package io.odoogitops.jenkins.step;

import java.util.Arrays;
import java.util.List;

/**
 * Multi-valued step parameters are comma-separated strings, as in {@code archiveArtifacts} and {@code junit}: the
 * Snippet Generator can render them as one text field, and a Pipeline writes {@code 'a, b'}.
 */
public final class CommaList {

  private CommaList() {}

  /** The non-blank, trimmed items of {@code text}; empty for null. */
  public static List<String> split(String text) {
    return text == null ? List.of()
        : Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
