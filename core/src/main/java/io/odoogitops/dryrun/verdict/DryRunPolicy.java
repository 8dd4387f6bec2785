package io.odoogitops.dryrun.verdict;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.lint.LintRule;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Thresholds that turn measurements into a verdict. Defaults suit an Odoo used during office hours: five seconds of
 * ACCESS EXCLUSIVE on a table of 100k rows is already visible to users as frozen screens.
 *
 * @param maxTotalDuration all migrations together
 * @param maxAccessExclusive longest a single migration may hold ACCESS EXCLUSIVE on a large table
 * @param largeTableRows from how many rows a table counts as large
 * @param forbiddenRules lint rule ids that fail the run wherever they appear
 * @param requireRollbackSafe fail (instead of warn) when a rollback would need a restore
 * @param requireOdooUpgrade fail (instead of warn) when the plan upgrades or installs modules and no runner ran
 *     {@code odoo -u}, so their schema and data changes were not measured
 * @param maxRowsRewritten share of a large table's rows that one upgrade may update before it is reported as a
 *     stored-field recompute or mass update (0.5: half of them)
 * @param lockSampleInterval how often the locks of {@code odoo -u} are sampled; holds are exact to one interval
 * @param maxWriteBlocking longest a lock that blocks writers (SHARE and stronger, e.g. a non-concurrent
 *     {@code CREATE INDEX}) may be held on a large table, directly or through one of its indexes; ACCESS EXCLUSIVE,
 *     which blocks readers too, keeps its own stricter {@code maxAccessExclusive}
 */
public record DryRunPolicy(Duration maxTotalDuration, Duration maxAccessExclusive, long largeTableRows,
    Set<String> forbiddenRules, boolean requireRollbackSafe, boolean requireOdooUpgrade, double maxRowsRewritten,
    Duration lockSampleInterval, Duration maxWriteBlocking) {

  public static final Duration MAX_LOCK_SAMPLE_INTERVAL = Duration.ofMillis(200);

  public DryRunPolicy {
    forbiddenRules = Set.copyOf(forbiddenRules);
    for (String rule : forbiddenRules) {
      if (LintRule.byId(rule).isEmpty()) {
        throw ReleaseException.badInput("unknown lint rule '" + rule + "' in forbidden rules; known rules: "
            + java.util.Arrays.stream(LintRule.values()).map(LintRule::id).toList());
      }
    }
    if (maxTotalDuration.isNegative() || maxAccessExclusive.isNegative() || largeTableRows < 0
        || maxWriteBlocking == null || maxWriteBlocking.isNegative()) {
      throw ReleaseException.badInput("dry-run thresholds must not be negative");
    }
    if (!(maxRowsRewritten > 0 && maxRowsRewritten <= 1)) {
      throw ReleaseException.badInput("max rows rewritten must be a share of a table's rows in (0, 1], e.g. 0.5"
          + " for half of them; was " + maxRowsRewritten);
    }
    if (lockSampleInterval == null || lockSampleInterval.isNegative() || lockSampleInterval.isZero()
        || lockSampleInterval.compareTo(MAX_LOCK_SAMPLE_INTERVAL) > 0) {
      throw ReleaseException.badInput("the lock sample interval must be between 1 and 200 ms (longer ones miss"
          + " short holds), was " + (lockSampleInterval == null ? null : lockSampleInterval.toMillis() + " ms"));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public static DryRunPolicy defaults() {
    return builder().build();
  }

  /** Wide configuration, so callers name what they change. */
  public static final class Builder {
    private Duration maxTotalDuration = Duration.ofMinutes(15);
    private Duration maxAccessExclusive = Duration.ofSeconds(5);
    private long largeTableRows = 100_000;
    private final Set<String> forbiddenRules = new LinkedHashSet<>(Set.of(LintRule.VACUUM_FULL.id()));
    private boolean requireRollbackSafe;
    private boolean requireOdooUpgrade;
    private double maxRowsRewritten = 0.5;
    private Duration lockSampleInterval = Duration.ofMillis(100);
    /**
     * Reads go on under SHARE, so users only notice when they save: a posting or a payment webhook waits for the
     * lock. 30 s keeps such a request well inside Odoo's default {@code limit_time_real} (120 s), so it completes
     * late instead of being killed, while an ordinary index build on a table of a million rows (a few seconds)
     * passes.
     */
    private Duration maxWriteBlocking = Duration.ofSeconds(30);

    public Builder maxTotalDuration(Duration value) {
      this.maxTotalDuration = value;
      return this;
    }

    public Builder maxAccessExclusive(Duration value) {
      this.maxAccessExclusive = value;
      return this;
    }

    public Builder largeTableRows(long value) {
      this.largeTableRows = value;
      return this;
    }

    public Builder forbid(String ruleId) {
      this.forbiddenRules.add(ruleId);
      return this;
    }

    public Builder requireRollbackSafe(boolean value) {
      this.requireRollbackSafe = value;
      return this;
    }

    /**
     * FAIL instead of WARN when modules would be upgraded or installed and {@code odoo -u} was not run (CLI
     * {@code --require-odoo-upgrade}).
     */
    public Builder requireOdooUpgrade(boolean value) {
      this.requireOdooUpgrade = value;
      return this;
    }

    /** Share of a large table's rows an upgrade may update before a WARN, in (0, 1]; default 0.5. */
    public Builder maxRowsRewritten(double share) {
      this.maxRowsRewritten = share;
      return this;
    }

    /** Interval of the lock sampler during {@code odoo -u}, 1 to 200 ms; default 100 ms. */
    public Builder lockSampleInterval(Duration value) {
      this.lockSampleInterval = value;
      return this;
    }

    /**
     * Longest a writer-blocking lock (SHARE and stronger) may be held on a large table before a FAIL; default 30 s.
     */
    public Builder maxWriteBlocking(Duration value) {
      this.maxWriteBlocking = value;
      return this;
    }

    public DryRunPolicy build() {
      return new DryRunPolicy(maxTotalDuration, maxAccessExclusive, largeTableRows, forbiddenRules,
          requireRollbackSafe, requireOdooUpgrade, maxRowsRewritten, lockSampleInterval, maxWriteBlocking);
    }
  }
}
