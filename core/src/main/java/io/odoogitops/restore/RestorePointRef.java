package io.odoogitops.restore;

import io.odoogitops.ReleaseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a promotion commit records of its restore point: the trailer {@code Restore-Point: <kind> <id> <time>}, e.g.
 * {@code Restore-Point: cloudnativepg odoo-gitops-production-shop-1a2b3c4d5e6f-20261130t021500z
 * 2026-11-30T02:15:07Z}. Kind and id find the point again, the time bounds the data a restore loses. Parsing is
 * strict: a commit message is input like any other.
 *
 * @param takenAt the moment the database state of the point was fixed, to the second
 */
public record RestorePointRef(RestorePointKind kind, String id, Instant takenAt) {

  /** The trailer key, for the GitOps engine's trailer list. */
  public static final String TRAILER = "Restore-Point";
  /** Kubernetes object names and directory names both fit; no space, no slash, nothing a shell or YAML reads. */
  static final Pattern ID = Pattern.compile("[a-z0-9][a-zA-Z0-9._-]{0,252}");

  public RestorePointRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(takenAt, "takenAt");
    if (id == null || !ID.matcher(id).matches()) {
      throw ReleaseException.badInput("restore point id '" + printable(id) + "' is not valid: letters, digits, '.',"
          + " '_' and '-', starting with a lower-case letter or digit");
    }
    takenAt = takenAt.truncatedTo(ChronoUnit.SECONDS);
  }

  /** The trailer's value: {@code <kind> <id> <time>}. */
  public String trailerValue() {
    return kind.word() + " " + id + " " + takenAt;
  }

  /** The whole trailer line. */
  public String trailer() {
    return TRAILER + ": " + trailerValue();
  }

  /** Reads a trailer value (without the key) back. */
  public static RestorePointRef parse(String value) {
    String[] words = value == null ? new String[0] : value.strip().split(" ");
    if (words.length != 3) {
      throw ReleaseException.badInput("malformed " + TRAILER + " trailer '" + printable(value) + "'; expected"
          + " '<kind> <id> <time>', e.g. 'dump production-shop-1a2b3c4d5e6f-20261130T021500Z 2026-11-30T02:15:00Z'");
    }
    Instant at;
    try {
      at = Instant.parse(words[2]);
    } catch (DateTimeParseException e) {
      throw ReleaseException.badInput("malformed " + TRAILER + " trailer: '" + printable(words[2])
          + "' is not a UTC time such as 2026-11-30T02:15:00Z");
    }
    return new RestorePointRef(RestorePointKind.parse(words[0]), words[1], at);
  }

  @Override
  public String toString() {
    return trailerValue();
  }

  /** Input echoed in a message is cut and stripped of control characters, so it cannot forge lines. */
  static String printable(String text) {
    if (text == null) {
      return "";
    }
    String flat = text.replaceAll("\\p{Cntrl}", "?");
    return flat.length() > 80 ? flat.substring(0, 80) + "…" : flat;
  }
}
