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
 */
public record DryRunPolicy(Duration maxTotalDuration, Duration maxAccessExclusive, long largeTableRows,
    Set<String> forbiddenRules, boolean requireRollbackSafe) {

  public DryRunPolicy {
    forbiddenRules = Set.copyOf(forbiddenRules);
    for (String rule : forbiddenRules) {
      if (LintRule.byId(rule).isEmpty()) {
        throw ReleaseException.badInput("unknown lint rule '" + rule + "' in forbidden rules; known rules: "
            + java.util.Arrays.stream(LintRule.values()).map(LintRule::id).toList());
      }
    }
    if (maxTotalDuration.isNegative() || maxAccessExclusive.isNegative() || largeTableRows < 0) {
      throw ReleaseException.badInput("dry-run thresholds must not be negative");
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

    public DryRunPolicy build() {
      return new DryRunPolicy(maxTotalDuration, maxAccessExclusive, largeTableRows, forbiddenRules,
          requireRollbackSafe);
    }
  }
}
