package io.odoogitops.dryrun.neutralize;

import java.util.List;

/**
 * What neutralization did to a clone, for the report.
 *
 * @param applied step ids whose statements ran, with the rows each changed
 * @param skipped step ids skipped because their table or a column does not exist in this database
 * @param userScripts user SQL files run after Odoo's steps, in order
 * @param checks every assertion made afterwards; all passed, or neutralization would have failed
 */
public record NeutralizationResult(List<AppliedStep> applied, List<String> skipped, List<String> userScripts,
    List<NeutralizationCheck> checks) {

  public record AppliedStep(String id, String table, int rows, String reference) {
  }

  public NeutralizationResult {
    applied = List.copyOf(applied);
    skipped = List.copyOf(skipped);
    userScripts = List.copyOf(userScripts);
    checks = List.copyOf(checks);
  }
}
