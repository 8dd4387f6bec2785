package io.odoogitops.dryrun.neutralize;

import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Neutralizes a clone before anything else runs on it, then proves it. A migration's post-script could otherwise
 * trigger a cron that e-mails customers or charges a card from staging. Runs in one transaction: a clone is either
 * fully neutralized or left as it was and the dry-run stops.
 */
public final class Neutralizer {

  private final List<NeutralizationStep> steps;
  private final List<Path> userScripts;

  public Neutralizer(List<NeutralizationStep> steps, List<Path> userScripts) {
    this.steps = List.copyOf(steps);
    this.userScripts = List.copyOf(userScripts);
  }

  /** Odoo's steps plus the user's SQL files. */
  public static Neutralizer odoo(List<Path> userScripts) {
    return new Neutralizer(OdooNeutralization.steps(), userScripts);
  }

  /** Neutralizes the database behind {@code clone} (a session on the clone, never on the source). */
  public NeutralizationResult neutralize(Connection clone) {
    List<NeutralizationResult.AppliedStep> applied = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> scripts = new ArrayList<>();
    try {
      clone.setAutoCommit(false);
      Set<String> columns = publicColumns(clone);
      for (NeutralizationStep step : steps) {
        if (!step.appliesTo(columns)) {
          if (steps.stream().noneMatch(other -> other.id().equals(step.id()) && other.appliesTo(columns))) {
            skipped.add(step.id());
          }
          continue;
        }
        try (Statement st = clone.createStatement()) {
          applied.add(new NeutralizationResult.AppliedStep(step.id(), step.table(), st.executeUpdate(step.sql()),
              step.reference()));
        }
      }
      for (Path script : userScripts) {
        runUserScript(clone, script);
        scripts.add(script.getFileName().toString());
      }
      clone.commit();
    } catch (SQLException e) {
      rollbackQuietly(clone);
      throw ReleaseException.infrastructure("neutralization of the clone failed: " + e.getMessage()
          + "; no migration ran", e);
    } finally {
      autoCommitQuietly(clone);
    }
    List<NeutralizationCheck> checks = verify(clone);
    List<NeutralizationCheck> failed = checks.stream().filter(c -> !c.passed()).toList();
    if (!failed.isEmpty()) {
      StringBuilder message = new StringBuilder("the clone is not neutralized, so no migration ran on it:");
      failed.forEach(c -> message.append("\n  ").append(c.id()).append(": ").append(c.detail()));
      message.append("\n  a user neutralization script may have re-enabled something; fix it and rerun");
      throw ReleaseException.refused(message.toString());
    }
    return new NeutralizationResult(applied, skipped, scripts, checks);
  }

  private static void runUserScript(Connection clone, Path script) throws SQLException {
    String sql = InputFiles.readUtf8(script, "neutralization script", InputFiles.LARGE_LIMIT);
    try (Statement st = clone.createStatement()) {
      // the simple query protocol accepts several statements in one string, like psql -f would
      st.execute(sql);
    } catch (SQLException e) {
      throw new SQLException("in " + script.getFileName() + ": " + e.getMessage(), e.getSQLState(), e);
    }
  }

  /** Checks each property on tables that exist; a missing table cannot hold anything to neutralize. */
  public List<NeutralizationCheck> verify(Connection clone) {
    try {
      Set<String> columns = publicColumns(clone);
      List<NeutralizationCheck> checks = new ArrayList<>();
      check(clone, columns, checks, "crons-off", "ir_cron", List.of("active"),
          "SELECT count(*) FROM ir_cron WHERE active"
              + (columns.contains(OdooNeutralization.AUTOVACUUM_XMLID)
                  ? " AND id NOT IN (" + OdooNeutralization.AUTOVACUUM_CRON + ")" : ""),
          "active scheduled actions other than the autovacuum");
      check(clone, columns, checks, "mail-servers-off", "ir_mail_server", List.of("active", "smtp_host"),
          "SELECT count(*) FROM ir_mail_server WHERE active AND smtp_host IS DISTINCT FROM 'invalid'",
          "active outgoing mail servers other than the dummy");
      check(clone, columns, checks, "fetchmail-off", "fetchmail_server", List.of("active"),
          "SELECT count(*) FROM fetchmail_server WHERE active", "active incoming mail servers");
      check(clone, columns, checks, "payment-providers-not-live", "payment_provider", List.of("is_live"),
          "SELECT count(*) FROM payment_provider WHERE is_live", "live payment providers");
      check(clone, columns, checks, "payment-providers-test-mode", "payment_provider", List.of("state"),
          "SELECT count(*) FROM payment_provider WHERE state = 'enabled'", "payment providers enabled for real");
      check(clone, columns, checks, "payment-acquirers-test-mode", "payment_acquirer", List.of("state"),
          "SELECT count(*) FROM payment_acquirer WHERE state = 'enabled'", "payment acquirers enabled for real");
      check(clone, columns, checks, "carriers-test-mode", "delivery_carrier", List.of("prod_environment"),
          "SELECT count(*) FROM delivery_carrier WHERE prod_environment", "carriers in production mode");
      check(clone, columns, checks, "webhook-automations-off", "base_automation", List.of("trigger", "active"),
          "SELECT count(*) FROM base_automation WHERE active AND trigger = 'on_webhook'", "active webhooks");
      check(clone, columns, checks, "neutralized-flag", "ir_config_parameter", List.of("key", "value"),
          "SELECT CASE WHEN EXISTS (SELECT 1 FROM ir_config_parameter WHERE key = 'database.is_neutralized'"
              + " AND lower(value) IN ('true', 't', '1')) THEN 0 ELSE 1 END",
          "database.is_neutralized is not set");
      return checks;
    } catch (SQLException e) {
      throw ReleaseException.infrastructure("cannot verify the neutralization of the clone: " + e.getMessage(), e);
    }
  }

  private static void check(Connection c, Set<String> columns, List<NeutralizationCheck> checks, String id,
      String table, List<String> needed, String countSql, String what) throws SQLException {
    if (!needed.stream().allMatch(col -> columns.contains(table + "." + col))) {
      return;
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(countSql)) {
      rs.next();
      long count = rs.getLong(1);
      checks.add(new NeutralizationCheck(id, table, count == 0, count,
          count == 0 ? "ok" : count + " row(s): " + what));
    }
  }

  /** {@code table.} for every table and {@code table.column} for every column of the public schema. */
  private static Set<String> publicColumns(Connection c) throws SQLException {
    Set<String> names = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT c.relname, a.attname FROM pg_class c"
        + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        + " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        names.add(rs.getString(1) + ".");
        names.add(rs.getString(1) + "." + rs.getString(2));
      }
    }
    return names;
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the original failure is what the user needs to see
    }
  }

  private static void autoCommitQuietly(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException ignored) {
      // the session is closed by the caller next
    }
  }
}
