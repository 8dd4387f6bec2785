package io.odoogitops.dryrun.lint;

/**
 * One rule broken at one place.
 *
 * @param file migration file name
 * @param line 1-based line where the statement starts
 * @param statement the statement, shortened to one line
 */
public record LintFinding(String rule, Severity severity, boolean rollbackUnsafe, String file, int line,
    String statement, String problem, String fix) {

  static LintFinding of(LintRule rule, String file, SqlStatement statement) {
    return new LintFinding(rule.id(), rule.severity(), rule.rollbackUnsafe(), file, statement.line(),
        statement.excerpt(), rule.problem(), rule.fix());
  }
}
