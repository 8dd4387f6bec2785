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
import java.util.Optional;
import java.util.Set;

/**
 * Neutralizes a clone before anything else runs on it, then proves it. A migration's post-script could otherwise
 * trigger a cron that e-mails customers or charges a card from staging. Runs in one transaction: a clone is either
 * fully neutralized or left as it was and the dry-run stops.
 *
 * <p>On an Odoo 16.0+ database with {@link ModuleSources}, neutralization is what {@code odoo neutralize} does: the
 * {@code data/neutralize.sql} of every installed module (installed, to upgrade, to remove), read from the release's
 * code, each file in one execution, in Odoo's load order ({@link OdooModuleOrder}). An installed module whose code
 * is in no source refuses the run before the clone is touched: a clone missing one module's neutralization would
 * look neutralized and still be live. Odoo 15 and older ship no such files: there, and without sources, the
 * built-in steps of {@link OdooNeutralization} run instead. Then the user's SQL files, then {@link #verify}.
 */
public final class Neutralizer {

  /** The first Odoo series whose modules ship {@code data/neutralize.sql}. */
  static final int FIRST_SERIES_WITH_FILES = 16;

  private final List<NeutralizationStep> steps;
  private final List<Path> userScripts;
  private final ModuleSources sources;

  private Neutralizer(List<NeutralizationStep> steps, List<Path> userScripts, ModuleSources sources) {
    this.steps = List.copyOf(steps);
    this.userScripts = List.copyOf(userScripts);
    this.sources = sources;
  }

  public Neutralizer(List<NeutralizationStep> steps, List<Path> userScripts) {
    this(steps, userScripts, null);
  }

  /** The built-in steps plus the user's SQL files, whatever the database's Odoo version. */
  public static Neutralizer odoo(List<Path> userScripts) {
    return new Neutralizer(OdooNeutralization.steps(), userScripts, null);
  }

  /**
   * Odoo's own {@code neutralize.sql} files read from {@code sources} (Odoo 16.0+; the built-in steps on older
   * databases), plus the user's SQL files. {@code null} sources mean none were given: the built-in steps run and
   * the result says why ({@link NeutralizationResult#reason()}). Empty sources are strict: on Odoo 16.0+ every
   * installed module is then missing, and the run is refused.
   */
  public static Neutralizer release(ModuleSources sources, List<Path> userScripts) {
    return new Neutralizer(OdooNeutralization.steps(), userScripts, sources);
  }

  /**
   * Neutralizes the database behind {@code clone} (a session on the clone, never on the source).
   *
   * @throws ReleaseException bad input when an installed module's code is in no source (nothing was written);
   *     refused when a file or user script fails or an assertion fails afterwards; infrastructure when the session
   *     breaks
   */
  public NeutralizationResult neutralize(Connection clone) {
    List<NeutralizationResult.AppliedStep> applied = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> scripts = new ArrayList<>();
    List<NeutralizationResult.ModuleFile> ran = new ArrayList<>();
    List<String> withoutFile = new ArrayList<>();
    String method;
    String reason;
    String running = "the built-in steps";
    try {
      Set<String> columns = publicColumns(clone);
      Optional<Integer> major = OdooModuleOrder.majorVersion(clone, columns);
      List<ModuleCatalog.Found> found = null;
      if (sources == null) {
        method = NeutralizationResult.BUILT_IN;
        reason = "no module sources were given, so Odoo's own data/neutralize.sql files were not run";
      } else if (major.isEmpty() || major.get() < FIRST_SERIES_WITH_FILES) {
        method = NeutralizationResult.BUILT_IN;
        reason = major.map(m -> "Odoo " + m + " database: Odoo ships data/neutralize.sql files from 16.0 on")
            .orElse("the database's Odoo version is unknown (no base module in ir_module_module)");
      } else {
        method = NeutralizationResult.ODOO_FILES;
        reason = "Odoo " + major.get() + " database: each installed module's data/neutralize.sql, as odoo"
            + " neutralize runs them";
        // located before the transaction starts: a refusal must leave the clone untouched
        found = locate(OdooModuleOrder.installed(clone, columns));
      }
      clone.setAutoCommit(false);
      if (found == null) {
        runSteps(clone, columns, applied, skipped);
      } else {
        long transaction = transaction(clone);
        for (ModuleCatalog.Found module : found) {
          if (module.neutralizeSql().isEmpty() || module.neutralizeSql().get().isBlank()) {
            withoutFile.add(module.module());
            continue;
          }
          running = module.module() + "/" + ModuleCatalog.NEUTRALIZE_SQL + " (from " + module.origin() + ")";
          ran.add(new NeutralizationResult.ModuleFile(module.module(), module.origin(),
              execute(clone, module.neutralizeSql().get().strip())));
          if (transaction(clone) != transaction) {
            // a ROLLBACK would have undone the files before it (and what the assertions check can be replayed);
            // a COMMIT, made them final: neither is a neutralization, whatever the assertions say afterwards
            rollbackQuietly(clone);
            throw ReleaseException.refused("neutralization of the clone failed in " + running + ": it ends the"
                + " transaction (COMMIT, ROLLBACK or END), so the files no longer run as one; remove that"
                + " statement from the file; no migration ran on the clone");
          }
        }
      }
      for (Path script : userScripts) {
        running = "the user script " + script.getFileName();
        runUserScript(clone, script);
        scripts.add(script.getFileName().toString());
      }
      clone.commit();
    } catch (SQLException e) {
      rollbackQuietly(clone);
      if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
        throw ReleaseException.infrastructure("neutralization of the clone failed: " + e.getMessage()
            + "; no migration ran", e);
      }
      throw ReleaseException.refused("neutralization of the clone failed in " + running + ": " + e.getMessage()
          + "; the clone was left as it was and no migration ran");
    } catch (RuntimeException e) {
      rollbackQuietly(clone);
      throw e;
    } finally {
      autoCommitQuietly(clone);
    }
    List<NeutralizationCheck> checks = verify(clone);
    List<NeutralizationCheck> failed = checks.stream().filter(c -> !c.passed()).toList();
    if (!failed.isEmpty()) {
      StringBuilder message = new StringBuilder("the clone is not neutralized, so no migration ran on it:");
      failed.forEach(c -> message.append("\n  ").append(c.id()).append(": ").append(c.detail()));
      message.append("\n  ").append(NeutralizationResult.ODOO_FILES.equals(method)
          ? "Odoo's neutralize.sql files left this in place, or a user neutralization script re-enabled it; add a"
              + " --neutralize-sql script that disables it and rerun"
          : "a user neutralization script may have re-enabled something; fix it and rerun");
      throw ReleaseException.refused(message.toString());
    }
    return new NeutralizationResult(applied, skipped, scripts, checks, method, reason, ran, withoutFile);
  }

  private List<ModuleCatalog.Found> locate(List<String> installed) {
    ModuleCatalog catalog = sources.open();
    List<ModuleCatalog.Found> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String module : installed) {
      catalog.find(module).ifPresentOrElse(found::add, () -> missing.add(module));
    }
    if (!missing.isEmpty()) {
      throw ReleaseException.badInput("cannot neutralize the clone as Odoo does: the code of " + missing.size()
          + " installed module(s) is in none of the module sources, so their data/neutralize.sql cannot be run: "
          + String.join(", ", missing) + ". Sources searched: " + describe(sources) + ". Give the image archive of"
          + " the release (it holds Odoo's own addons) or the addons directories holding these modules; nothing"
          + " ran on the clone");
    }
    return found;
  }

  private static String describe(ModuleSources sources) {
    if (sources.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    sources.addonsDirs().forEach(d -> parts.add("addons directory " + d));
    sources.imageArchives().forEach(a -> parts.add("image archive " + a));
    return String.join(", ", parts);
  }

  private void runSteps(Connection clone, Set<String> columns, List<NeutralizationResult.AppliedStep> applied,
      List<String> skipped) throws SQLException {
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
  }

  /** The id of the open transaction (assigning one): changes when a file ends the transaction it ran in. */
  private static long transaction(Connection clone) throws SQLException {
    try (Statement st = clone.createStatement(); ResultSet rs = st.executeQuery("SELECT txid_current()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Runs a whole file in one execution, as Odoo's {@code cr.execute(file content)}; rows per statement. */
  private static List<Long> execute(Connection clone, String sql) throws SQLException {
    List<Long> rows = new ArrayList<>();
    try (Statement st = clone.createStatement()) {
      st.setEscapeProcessing(false);
      boolean resultSet = st.execute(sql);
      while (true) {
        if (resultSet) {
          rows.add(0L);
        } else {
          long count = st.getLargeUpdateCount();
          if (count == -1) {
            break;
          }
          rows.add(count);
        }
        resultSet = st.getMoreResults();
      }
    }
    return rows;
  }

  private static void runUserScript(Connection clone, Path script) throws SQLException {
    String sql = InputFiles.readUtf8(script, "neutralization script", InputFiles.LARGE_LIMIT);
    try (Statement st = clone.createStatement()) {
      // the simple query protocol accepts several statements in one string, like psql -f would
      st.execute(sql);
    }
  }

  /** Checks each property on tables that exist; a missing table cannot hold anything to neutralize. */
  public List<NeutralizationCheck> verify(Connection clone) {
    try {
      return NeutralizationAssertions.check(clone, publicColumns(clone));
    } catch (SQLException e) {
      throw ReleaseException.infrastructure("cannot verify the neutralization of the clone: " + e.getMessage(), e);
    }
  }

  /** {@code table.} for every table and {@code table.column} for every column of the public schema. */
  static Set<String> publicColumns(Connection c) throws SQLException {
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
      if (!c.getAutoCommit()) {
        c.rollback();
      }
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
