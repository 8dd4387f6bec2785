package io.odoogitops.dryrun.upgrade;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A stand-in for {@code odoo -u ... --stop-after-init}, launched through a generated shell wrapper: it reads the
 * connection from libpq's PG* environment and the database and modules from Odoo's own options, does to the clone
 * what a real release's upgrade does, and logs it in Odoo's format ({@code odoo/netsvc.py}: time, pid, level, db,
 * logger, message; {@code odoo/modules/loading.py}: "Loading module", "Module X loaded in 1.23s, 45 queries";
 * {@code odoo/modules/migration.py}: "module X: Running migration [>1.1] pre-name").
 *
 * <p>Modules it knows: {@code account} takes ACCESS EXCLUSIVE on account_move_line, turns the integer column
 * account_id into double precision (Odoo's Integer to Float), updates every row (a stored computed field), sleeps
 * {@code --fake-hold-extra} seconds, commits, and writes its own measured hold to {@code --fake-report}.
 * With {@code --fake-index=plain|concurrent|reindex}, {@code account} instead builds an index on account_move_line
 * as the ORM's {@code index=True} does ({@code plain}: CREATE INDEX, SHARE on the table; {@code concurrent}: CREATE
 * INDEX CONCURRENTLY outside a transaction) or rebuilds one with a non-concurrent REINDEX (ACCESS EXCLUSIVE on the
 * index, SHARE on the table), sleeps {@code --fake-hold-extra} seconds inside the transaction, and reports its hold.
 * {@code sale} runs an (unannounced) pre script, adds a column to res_partner and inserts 10 partners. Any other module is only logged.
 * Modules to install ({@code -i}) load after those to upgrade. Its command line goes to {@code --fake-report} as
 * {@code args}, and to its log.
 *
 * <p>Misbehaviours on demand: {@code --fake-exit=N} (exit N after the modules), {@code --fake-error} (an ERROR line
 * and a traceback, exit 0), {@code --fake-hang} (keep a session open and a child process alive, forever),
 * {@code --fake-no-connect} (log the modules, never connect), {@code --fake-plain} (no Odoo log line at all).
 */
public final class FakeOdoo {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

  private final String database;
  private final long pid = ProcessHandle.current().pid();
  private final PrintStream out = new PrintStream(System.err, true, StandardCharsets.UTF_8);
  private final Map<String, String> report = new LinkedHashMap<>();
  private int queries;

  private FakeOdoo(String database) {
    this.database = database;
  }

  public static void main(String[] args) throws Exception {
    String database = null;
    List<String> modules = new ArrayList<>();
    List<String> install = new ArrayList<>();
    Map<String, String> fake = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-d" -> database = args[++i];
        case "-u" -> modules.addAll(List.of(args[++i].split(",")));
        case "-i" -> install.addAll(List.of(args[++i].split(",")));
        default -> {
          if (args[i].startsWith("--fake-")) {
            String[] kv = args[i].substring(7).split("=", 2);
            fake.put(kv[0], kv.length > 1 ? kv[1] : "true");
          }
        }
      }
    }
    FakeOdoo odoo = new FakeOdoo(database);
    odoo.report.put("args", String.join(" ", args));
    modules.addAll(install);
    odoo.run(modules, fake);
  }

  private void run(List<String> modules, Map<String, String> fake) throws Exception {
    if (fake.containsKey("plain")) {
      System.out.println("Usage: something that is not Odoo");
      System.out.println("done");
      return;
    }
    log("INFO", "?", "odoo", "Odoo version 17.0-20241120");
    log("INFO", "?", "odoo", "stand-in command line: " + report.get("args"));
    log("INFO", "?", "odoo", "addons paths: ['/opt/odoo/addons']");
    log("INFO", "?", "odoo", "database: " + System.getenv("PGUSER") + "@" + System.getenv("PGHOST") + ":"
        + System.getenv("PGPORT"));
    if (fake.containsKey("no-connect")) {
      logModules(null, modules, fake);
      return;
    }
    Properties props = new Properties();
    props.setProperty("user", System.getenv("PGUSER"));
    if (System.getenv("PGPASSWORD") != null) {
      props.setProperty("password", System.getenv("PGPASSWORD"));
    }
    props.setProperty("ApplicationName", "odoo-" + pid);
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + System.getenv("PGHOST") + ":"
        + System.getenv("PGPORT") + "/" + database, props)) {
      c.setAutoCommit(false);
      log("INFO", database, "odoo.modules.loading", "loading 1 modules...");
      log("INFO", database, "odoo.modules.loading", "1 modules loaded in 0.02s, 0 queries (+0 extra)");
      log("INFO", database, "odoo.modules.loading", "updating modules list");
      if (fake.containsKey("hang")) {
        Process child = new ProcessBuilder("sleep", "600").start();
        report.put("child", String.valueOf(child.pid()));
        report.put("pid", String.valueOf(pid));
        writeReport(fake);
        try (Statement st = c.createStatement()) {
          st.execute("SELECT 1 FROM res_partner LIMIT 1");
        }
        Thread.sleep(Long.MAX_VALUE);
      }
      logModules(c, modules, fake);
    }
    writeReport(fake);
    if (fake.containsKey("exit")) {
      System.exit(Integer.parseInt(fake.get("exit")));
    }
  }

  private void logModules(Connection c, List<String> modules, Map<String, String> fake) throws Exception {
    log("INFO", database, "odoo.modules.loading", "loading " + (modules.size() + 39) + " modules...");
    int index = 40 - modules.size();
    for (String module : modules) {
      long started = System.nanoTime();
      int queriesBefore = queries;
      log("INFO", database, "odoo.modules.loading", "Loading module " + module + " (" + index++ + "/"
          + (modules.size() + 39) + ")");
      if (c != null) {
        switch (module) {
          case "account" -> {
            if (fake.containsKey("index")) {
              accountIndex(c, fake);
            } else {
              account(c, fake);
            }
          }
          case "sale" -> sale(c);
          default -> {
            // a module without schema or data changes
          }
        }
      } else {
        log("INFO", database, "odoo.modules.migration", "module " + module + ": Running migration [>17.0.1.1]"
            + " pre-nothing");
        Thread.sleep(300);
      }
      if (fake.containsKey("error") && module.equals(modules.get(modules.size() - 1))) {
        log("ERROR", database, "odoo.modules.loading", "Failed to load module " + module);
        out.println("Traceback (most recent call last):");
        out.println("  File \"/opt/odoo/odoo/modules/loading.py\", line 203, in load_module_graph");
        out.println("psycopg2.errors.NotNullViolation: null value in column \"name\"");
      }
      log("INFO", database, "odoo.modules.loading", String.format(java.util.Locale.ROOT,
          "Module %s loaded in %.2fs, %d queries", module, (System.nanoTime() - started) / 1e9,
          queries - queriesBefore));
    }
    log("INFO", database, "odoo.modules.loading", "40 modules loaded in 1.00s, " + queries + " queries");
    log("INFO", database, "odoo.service.server", "Initiating shutdown");
  }

  private void account(Connection c, Map<String, String> fake) throws Exception {
    log("INFO", database, "odoo.modules.migration", "module account: Running migration [>1.3]"
        + " pre-convert-quantities");
    try (Statement st = c.createStatement()) {
      st.execute("LOCK TABLE account_move_line IN ACCESS EXCLUSIVE MODE");
      long lockedAt = System.nanoTime();
      queries++;
      log("INFO", database, "odoo.schema", "Table 'account.move.line': column 'account_id': changed type from"
          + " integer to double precision");
      st.execute("ALTER TABLE account_move_line ALTER COLUMN account_id TYPE double precision");
      queries++;
      log("INFO", database, "odoo.models", "Computing stored field balance of account.move.line");
      int updated = st.executeUpdate("UPDATE account_move_line SET balance = debit - credit");
      queries++;
      Thread.sleep(Math.round(Double.parseDouble(fake.getOrDefault("hold-extra", "0")) * 1000));
      c.commit();
      long releasedAt = System.nanoTime();
      report.put("holdMs", String.valueOf((releasedAt - lockedAt) / 1_000_000));
      report.put("updated", String.valueOf(updated));
    }
    log("INFO", database, "odoo.modules.migration", "module account: Running migration [1.3>] post-recompute");
  }

  private void accountIndex(Connection c, Map<String, String> fake) throws Exception {
    log("INFO", database, "odoo.modules.migration", "module account: Running migration [>1.3]"
        + " pre-convert-quantities");
    String mode = fake.get("index");
    try (Statement st = c.createStatement()) {
      long lockedAt = System.nanoTime();
      switch (mode) {
        case "plain" -> {
          log("INFO", database, "odoo.schema", "Table 'account.move.line': created index"
              + " 'account_move_line__account_id_index'");
          st.execute("CREATE INDEX account_move_line__account_id_index ON account_move_line (account_id)");
        }
        case "reindex" -> st.execute("REINDEX INDEX account_move_line_move_id_index");
        case "concurrent" -> {
          // CONCURRENTLY cannot run inside a transaction block
          c.setAutoCommit(true);
          st.execute("CREATE INDEX CONCURRENTLY account_move_line__account_id_index ON account_move_line"
              + " (account_id)");
        }
        default -> throw new IllegalArgumentException("--fake-index=" + mode);
      }
      queries++;
      Thread.sleep(Math.round(Double.parseDouble(fake.getOrDefault("hold-extra", "0")) * 1000));
      if (!c.getAutoCommit()) {
        c.commit();
      }
      c.setAutoCommit(false);
      report.put("holdMs", String.valueOf((System.nanoTime() - lockedAt) / 1_000_000));
    }
    log("INFO", database, "odoo.modules.migration", "module account: Running migration [1.3>] post-recompute");
  }

  private void sale(Connection c) throws SQLException, InterruptedException {
    log("INFO", database, "odoo.modules.migration", "module sale: Running migration [>1.3] pre-surprise");
    try (Statement st = c.createStatement()) {
      st.execute("ALTER TABLE res_partner ADD COLUMN note varchar");
      st.executeUpdate("INSERT INTO res_partner (name) SELECT 'New ' || g FROM generate_series(1, 10) g");
      queries += 2;
      // as Odoo does: the module's data files load in the same transaction, committed once the module is loaded
      Thread.sleep(400);
      c.commit();
    }
  }

  private void log(String level, String db, String logger, String message) {
    out.println(LocalDateTime.now().format(TIME) + " " + pid + " " + level + " " + db + " " + logger + ": "
        + message + " ");
  }

  private void writeReport(Map<String, String> fake) throws IOException {
    if (fake.containsKey("report")) {
      StringBuilder s = new StringBuilder();
      report.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
      Files.writeString(Path.of(fake.get("report")), s.toString());
    }
  }

  /** Writes the {@code odoo} wrapper that runs this class with the test class path, and returns it. */
  public static Path install(Path dir) throws IOException {
    Path odoo = dir.resolve("odoo");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(odoo, "#!/bin/sh\nexec '" + java + "' -Xmx128m -XX:TieredStopAtLevel=1 -cp '"
        + System.getProperty("java.class.path") + "' " + FakeOdoo.class.getName() + " \"$@\"\n");
    Files.setPosixFilePermissions(odoo, PosixFilePermissions.fromString("rwx------"));
    return odoo;
  }
}
