package io.odoogitops.gitops;

import io.odoogitops.policy.Trailer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A commit that records a fact about releases (a verification, a halt) rather than changing what runs: small files
 * under {@link #RECORDS_DIRECTORY}, outside every environment, and a subject with trailers that {@code git log}
 * reads. Such commits are signed like promotions, so under a trust root an unsigned one proves nothing.
 *
 * @param files paths under {@link #RECORDS_DIRECTORY} and their new bytes
 */
public record RecordCommit(Map<String, byte[]> files, String subject, List<Trailer> trailers) {

  /** Where records live: a directory no environment layout reads manifests from. */
  public static final String RECORDS_DIRECTORY = ".odoo-gitops";

  public RecordCommit {
    Objects.requireNonNull(subject, "subject");
    files = new LinkedHashMap<>(files);
    trailers = List.copyOf(trailers);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("a record commit writes at least one file");
    }
    for (String path : files.keySet()) {
      if (!path.startsWith(RECORDS_DIRECTORY + "/") || path.contains("..") || path.contains("//")
          || path.endsWith("/")) {
        throw new IllegalArgumentException("record path " + path + " is not a file under " + RECORDS_DIRECTORY);
      }
    }
    if (subject.contains("\n")) {
      throw new IllegalArgumentException("a subject is one line");
    }
  }

  String message() {
    StringBuilder message = new StringBuilder(subject).append("\n\n");
    trailers.forEach(t -> message.append(t).append('\n'));
    return message.toString();
  }
}
