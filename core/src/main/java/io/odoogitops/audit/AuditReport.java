package io.odoogitops.audit;

import java.util.List;

/**
 * The audit of one environment: unsanctioned changes first (newest first), then every sanctioned one.
 *
 * @param repository the GitOps repository as shown to people (credentials removed)
 * @param head the branch head the audit read
 * @param since the start of the audited period as asked ({@code null}: the whole history)
 * @param firstChange the time of the oldest change audited, null when none
 * @param lastChange the time of the newest change audited, null when none
 * @param notices what the reader must know besides the entries (claimed commit times, a missing trust root)
 */
public record AuditReport(
    int schemaVersion,
    String repository,
    String branch,
    String head,
    String environment,
    String application,
    String since,
    String firstChange,
    String lastChange,
    Counts counts,
    List<String> notices,
    List<AuditEntry> unsanctioned,
    List<AuditEntry> sanctioned) {

  public static final int SCHEMA_VERSION = 1;

  public AuditReport {
    notices = List.copyOf(notices);
    unsanctioned = List.copyOf(unsanctioned);
    sanctioned = List.copyOf(sanctioned);
  }

  /** Exit status of the command: 1 when anything is unsanctioned. */
  public boolean clean() {
    return unsanctioned.isEmpty();
  }

  /**
   * @param changes every commit audited
   * @param promotions sanctioned promotions
   * @param rollbacks sanctioned rollbacks
   * @param overrides sanctioned changes made during a freeze by emergency override
   * @param notChecked sanctioned changes with at least one question the audit could not answer
   */
  public record Counts(int changes, int unsanctioned, int promotions, int rollbacks, int overrides,
      int notChecked) {}
}
