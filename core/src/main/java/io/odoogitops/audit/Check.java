package io.odoogitops.audit;

import java.util.List;

/**
 * One question the audit asked of one commit, and its answer.
 *
 * @param name stable id: {@code history}, {@code release-signature}, {@code policy}, {@code promote-from},
 *     {@code dry-run}, {@code votes}, {@code freeze}
 * @param detail one sentence: what was checked and what was found
 * @param notes supporting facts, such as each vote that was not counted and why
 */
public record Check(String name, Status status, String detail, List<String> notes) {

  /** {@code FAILED} makes the commit unsanctioned; {@code NOT_CHECKED} says the audit could not answer. */
  public enum Status { PASSED, FAILED, NOT_APPLICABLE, NOT_CHECKED }

  public Check {
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  public static Check passed(String name, String detail) {
    return new Check(name, Status.PASSED, detail, List.of());
  }

  public static Check failed(String name, String detail) {
    return new Check(name, Status.FAILED, detail, List.of());
  }

  public static Check notChecked(String name, String detail) {
    return new Check(name, Status.NOT_CHECKED, detail, List.of());
  }

  public boolean failed() {
    return status == Status.FAILED;
  }
}
