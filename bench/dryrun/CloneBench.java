import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.DumpCloneStrategy;
import io.odoogitops.dryrun.clone.DumpRestore;
import io.odoogitops.dryrun.clone.EmbeddedCloneStrategy;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.dryrun.clone.StagingClone;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import io.odoogitops.dryrun.migrate.MeasuredMigrator;
import io.odoogitops.dryrun.migrate.MigrationSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/**
 * Clone time per strategy against two baselines measured in the same run on the same data: copying the database's
 * data files (the physical floor) and a single-job {@code pg_dump | psql}; then the dry-run's analysis overhead against
 * a plain Flyway migrate of the same migrations on an identical clone. Targets: template clone at most 1.5x the file
 * copy, analysis overhead at most 10%.
 */
public final class CloneBench {

  public static void main(String[] args) throws Exception {
    double gigabytes = Double.parseDouble(args.length > 0 ? args[0] : "2");
    Path work = Files.createTempDirectory("odoo-gitops-bench");
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().setServerConfig("max_wal_size", "4GB").start()) {
      PgEndpoint admin = new PgEndpoint("localhost", server.getPort(), "postgres", "postgres", null);
      PgEndpoint source = admin.withDatabase("bench_src");
      long bytes = fill(admin, source, gigabytes);
      System.out.printf(Locale.ROOT, "source: %.2f GB on PostgreSQL 15, %s%n", bytes / 1e9, work);

      double fileCopy = time("file copy (baseline)", () -> copyDataFiles(admin, work));
      double dumpPsql = time("pg_dump | psql, 1 job (baseline)", () -> dumpPipe(admin));
      StagingServer staging = new StagingServer(admin, Duration.ofMinutes(5));
      DumpRestore dumpRestore = new DumpRestore(Optional.empty(), 2, work.resolve("dumps"));
      double template = timeClone("template, FILE_COPY", new TemplateCloneStrategy(staging), source);
      double walLog = time("template, WAL_LOG (PostgreSQL 15 default)", () -> walLogClone(admin));
      double dump = timeClone("dump, 2 jobs", new DumpCloneStrategy(staging, dumpRestore), source);
      double embedded = timeClone("embedded, 2 jobs", new EmbeddedCloneStrategy(work.resolve("clones"), dumpRestore),
          source);

      System.out.println();
      System.out.printf(Locale.ROOT, "template / file copy      %.2fx   (target <= 1.5x)%n", template / fileCopy);
      System.out.printf(Locale.ROOT, "WAL_LOG / file copy       %.2fx%n", walLog / fileCopy);
      System.out.printf(Locale.ROOT, "dump / pg_dump|psql       %.2fx%n", dump / dumpPsql);
      System.out.printf(Locale.ROOT, "embedded / pg_dump|psql   %.2fx%n", embedded / dumpPsql);

      Path migrations = Files.createDirectories(work.resolve("sql"));
      Files.writeString(migrations.resolve("V1__widen.sql"),
          "ALTER TABLE account_move_line ALTER COLUMN move_id TYPE bigint;\n");
      Files.writeString(migrations.resolve("V2__index.sql"),
          "CREATE INDEX CONCURRENTLY aml_partner ON account_move_line (partner_id);\n");
      Files.writeString(migrations.resolve("V3__note.sql"), "ALTER TABLE account_move_line ADD COLUMN note text;\n");
      TemplateCloneStrategy clones = new TemplateCloneStrategy(staging);
      double plain;
      try (StagingClone clone = clones.create(source, new CloneName("bench", "plain", Instant.now()))) {
        FluentConfiguration configuration = Flyway.configure()
            .dataSource(clone.endpoint().jdbcUrl(), "postgres", null).locations("filesystem:" + migrations)
            .baselineOnMigrate(true).baselineVersion("0");
        // as the dry-run does: with Flyway's transactional lock, CREATE INDEX CONCURRENTLY waits forever
        configuration.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        plain = time("plain Flyway migrate", () -> configuration.load().migrate());
      }
      double measured;
      try (StagingClone clone = clones.create(source, new CloneName("bench", "measured", Instant.now()))) {
        measured = time("measured migrate (dry-run)", () -> new MeasuredMigrator(
            MigrationSettings.of(List.of("filesystem:" + migrations))).migrate(clone.endpoint()));
      }
      System.out.printf(Locale.ROOT, "analysis overhead         %+.1f%%  (target <= 10%%)%n",
          (measured / plain - 1) * 100);
    } finally {
      new ProcessBuilder("rm", "-rf", work.toString()).inheritIO().start().waitFor();
    }
  }

  /** An account_move_line-like table grown to about {@code gigabytes}, plus its indexes. */
  private static long fill(PgEndpoint admin, PgEndpoint source, double gigabytes) throws Exception {
    try (Connection c = connect(admin); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE bench_src");
    }
    try (Connection c = connect(source); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE account_move_line (id bigserial PRIMARY KEY, move_id integer NOT NULL,"
          + " account_id integer NOT NULL, partner_id integer, name varchar, debit numeric, credit numeric,"
          + " balance numeric, date date NOT NULL, parent_state varchar, create_date timestamp)");
      long rows = 0;
      while (size(st) < gigabytes * 1e9 * 0.8) {
        st.execute("INSERT INTO account_move_line (move_id, account_id, partner_id, name, debit, credit, balance,"
            + " date, parent_state, create_date) SELECT g / 3, 400000 + g % 50, 1 + g % 1000, 'Line ' || g,"
            + " (g % 97) * 10.5, 0, (g % 97) * 10.5, DATE '2024-01-01' + (g % 700), 'posted', now()"
            + " FROM generate_series(" + (rows + 1) + ", " + (rows + 1_000_000) + ") g");
        rows += 1_000_000;
      }
      st.execute("CREATE INDEX aml_move ON account_move_line (move_id)");
      st.execute("CREATE INDEX aml_date ON account_move_line (date)");
      st.execute("VACUUM ANALYZE account_move_line");
      return size(st);
    }
  }

  private static long size(Statement st) throws Exception {
    try (ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The floor: the database's files copied after a checkpoint, which is what FILE_COPY does. */
  private static void copyDataFiles(PgEndpoint admin, Path work) throws Exception {
    long oid;
    String dataDir;
    try (Connection c = connect(admin); Statement st = c.createStatement()) {
      st.execute("CHECKPOINT");
      try (ResultSet rs = st.executeQuery("SELECT oid, current_setting('data_directory') FROM pg_database"
          + " WHERE datname = 'bench_src'")) {
        rs.next();
        oid = rs.getLong(1);
        dataDir = rs.getString(2);
      }
    }
    Path target = work.resolve("filecopy");
    run("cp", "-r", Path.of(dataDir, "base", String.valueOf(oid)).toString(), target.toString());
    // FILE_COPY fsyncs what it copied; so does the baseline, and only that
    run("sh", "-c", "find \"$0\" -type f -exec sync {} +", target.toString());
    run("rm", "-rf", target.toString());
  }

  private static void dumpPipe(PgEndpoint admin) throws Exception {
    try (Connection c = connect(admin); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE bench_pipe TEMPLATE template0");
    }
    run("sh", "-c", "pg_dump -h localhost -p " + admin.port() + " -U postgres bench_src | psql -q -h localhost -p "
        + admin.port() + " -U postgres -d bench_pipe > /dev/null");
    try (Connection c = connect(admin); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE bench_pipe");
    }
  }

  private static void walLogClone(PgEndpoint admin) throws Exception {
    try (Connection c = connect(admin); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE bench_wal TEMPLATE bench_src STRATEGY WAL_LOG");
      st.execute("DROP DATABASE bench_wal");
    }
  }

  private static double timeClone(String label, io.odoogitops.dryrun.clone.CloneStrategy strategy, PgEndpoint source)
      throws Exception {
    long started = System.nanoTime();
    try (StagingClone clone = strategy.create(source, new CloneName("bench", "c" + (started % 100000),
        Instant.now()))) {
      double seconds = clone.cloneTime().toNanos() / 1e9;
      System.out.printf(Locale.ROOT, "%-45s %8.2f s%n", label, seconds);
      return seconds;
    }
  }

  /** Something timed; its result, if any, is not needed. */
  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }

  private static double time(String label, Action action) throws Exception {
    long started = System.nanoTime();
    action.run();
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(Locale.ROOT, "%-45s %8.2f s%n", label, seconds);
    return seconds;
  }

  private static Connection connect(PgEndpoint endpoint) throws Exception {
    return DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.user(), "");
  }

  private static void run(String... command) throws Exception {
    int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
    }
  }
}
