package io.odoogitops.dryrun.neutralize;

import java.util.List;

/**
 * What neutralization did to a clone, for the report.
 *
 * @param applied built-in step ids whose statements ran, with the rows each changed (Odoo ≤ 15, or no module sources)
 * @param skipped built-in step ids skipped because their table or a column does not exist in this database
 * @param userScripts user SQL files run after Odoo's neutralization, in order
 * @param checks every assertion made afterwards; all passed, or neutralization would have failed
 * @param method {@value #ODOO_FILES} (the modules' own {@code data/neutralize.sql}, as {@code odoo neutralize}) or
 *     {@value #BUILT_IN} (odoo-gitops' restatement)
 * @param reason why this method was used, e.g. the database's Odoo series
 * @param files the {@code data/neutralize.sql} files run, in order
 * @param withoutFile installed modules found in the sources that have no {@code data/neutralize.sql}: nothing to run
 */
public record NeutralizationResult(List<AppliedStep> applied, List<String> skipped, List<String> userScripts,
    List<NeutralizationCheck> checks, String method, String reason, List<ModuleFile> files,
    List<String> withoutFile) {

  public static final String ODOO_FILES = "odoo-neutralize-sql";
  public static final String BUILT_IN = "built-in";

  public record AppliedStep(String id, String table, int rows, String reference) {
  }

  /**
   * One module's {@code data/neutralize.sql}, run as Odoo runs it: the whole file in one execution.
   *
   * @param origin where the file was read: an addons directory, or an image and the directory inside it
   * @param rowsPerStatement rows each statement of the file changed or inserted, in order (0 for statements that
   *     change no rows, such as a {@code DO} block)
   */
  public record ModuleFile(String module, String origin, List<Long> rowsPerStatement) {
    public ModuleFile {
      rowsPerStatement = List.copyOf(rowsPerStatement);
    }

    public long rows() {
      return rowsPerStatement.stream().mapToLong(Long::longValue).sum();
    }
  }

  public NeutralizationResult {
    applied = List.copyOf(applied);
    skipped = List.copyOf(skipped);
    userScripts = List.copyOf(userScripts);
    checks = List.copyOf(checks);
    // reports written before these fields existed read back as what they were: built-in steps
    method = method == null ? BUILT_IN : method;
    files = files == null ? List.of() : List.copyOf(files);
    withoutFile = withoutFile == null ? List.of() : List.copyOf(withoutFile);
  }

  /** A result of the built-in steps. */
  public NeutralizationResult(List<AppliedStep> applied, List<String> skipped, List<String> userScripts,
      List<NeutralizationCheck> checks) {
    this(applied, skipped, userScripts, checks, BUILT_IN, "built-in steps", List.of(), List.of());
  }
}
