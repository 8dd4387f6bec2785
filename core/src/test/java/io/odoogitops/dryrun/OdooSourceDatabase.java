package io.odoogitops.dryrun;

import io.odoogitops.dryrun.clone.PgEndpoint;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One embedded PostgreSQL 15 for every dry-run integration test in the JVM (starting a server costs seconds on two
 * cores), holding {@value #SOURCE}: Odoo's tables and columns for what the dry-run touches, and an
 * account_move_line-like table with {@value #BIG_ROWS} rows so that rewrites and locks are real. The same server also
 * serves as staging server, with clones next to the source.
 */
public final class OdooSourceDatabase {

  public static final String SOURCE = "odoo_prod";
  /** Same tables, few rows: for the strategies that copy every byte through pg_dump, where size only costs time. */
  public static final String SMALL_SOURCE = "odoo_small";
  public static final int BIG_ROWS = 1_000_000;
  public static final int SMALL_ROWS = 10_000;
  public static final String PASSWORD = "s3cret-Pa55";
  public static final String USER = "release";

  private static OdooSourceDatabase shared;

  private final EmbeddedPostgres server;

  private OdooSourceDatabase(EmbeddedPostgres server) {
    this.server = server;
  }

  public static synchronized OdooSourceDatabase shared() {
    if (shared == null) {
      try {
        EmbeddedPostgres server = EmbeddedPostgres.builder()
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off")
            .start();
        shared = new OdooSourceDatabase(server);
        shared.createSource();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            server.close();
          } catch (IOException ignored) {
            // the JVM is going away
          }
        }));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  public int port() {
    return server.getPort();
  }

  /** The production stand-in, reached as a password-protected non-superuser... with rights to create databases. */
  public PgEndpoint source() {
    return new PgEndpoint("localhost", port(), SOURCE, USER, PASSWORD);
  }

  public PgEndpoint smallSource() {
    return new PgEndpoint("localhost", port(), SMALL_SOURCE, USER, PASSWORD);
  }

  /** The staging server's maintenance database, as the same user (CREATEDB). */
  public PgEndpoint stagingAdmin() {
    return new PgEndpoint("localhost", port(), "postgres", USER, PASSWORD);
  }

  /** A fresh database {@code name} with the small source's tables and rows, owned by the release user. */
  public void copyOfSmallSource(String name) throws SQLException {
    try (Connection c = superuser("postgres"); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name);
      st.execute("CREATE DATABASE " + name + " TEMPLATE " + SMALL_SOURCE + " OWNER " + USER);
    }
  }

  public Connection superuser(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + port() + "/" + database, "postgres", "");
  }

  private void createSource() {
    try (Connection c = superuser("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + USER + " LOGIN CREATEDB PASSWORD '" + PASSWORD + "'");
      st.execute("CREATE DATABASE " + SOURCE + " OWNER " + USER);
      st.execute("CREATE DATABASE " + SMALL_SOURCE + " OWNER " + USER);
      // zonky trusts every login; make the release user prove its password, so wrong-password tests mean something
      String hbaFile;
      try (ResultSet rs = st.executeQuery("SHOW hba_file")) {
        rs.next();
        hbaFile = rs.getString(1);
      }
      java.nio.file.Files.writeString(java.nio.file.Path.of(hbaFile), String.join("\n",
          "local all all trust",
          "host all postgres 127.0.0.1/32 trust",
          "host all postgres ::1/128 trust",
          "host all all 127.0.0.1/32 scram-sha-256",
          "host all all ::1/128 scram-sha-256", ""));
      st.execute("SELECT pg_reload_conf()");
    } catch (SQLException | IOException e) {
      throw new IllegalStateException(e);
    }
    fill(source(), BIG_ROWS);
    fill(smallSource(), SMALL_ROWS);
  }

  private static void fill(PgEndpoint database, int rows) {
    try (Connection c = DriverManager.getConnection(database.jdbcUrl(), USER, PASSWORD);
         Statement st = c.createStatement()) {
      for (String sql : SCHEMA) {
        st.execute(sql.replace("generate_series(1, 1000000)", "generate_series(1, " + rows + ")"));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final List<String> SCHEMA = List.of(
      """
      CREATE TABLE ir_model_data (id serial PRIMARY KEY, module varchar NOT NULL, name varchar NOT NULL,
        model varchar NOT NULL, res_id integer)""",
      """
      CREATE TABLE ir_cron (id serial PRIMARY KEY, cron_name varchar NOT NULL, active boolean,
        interval_number integer, interval_type varchar, nextcall timestamp NOT NULL DEFAULT now())""",
      """
      INSERT INTO ir_cron (id, cron_name, active) VALUES (1, 'Base: Auto-vacuum internal data', true),
        (2, 'Mail: Email Queue Manager', true), (3, 'Invoicing: recurring invoices', true),
        (4, 'Already off', false)""",
      """
      INSERT INTO ir_model_data (module, name, model, res_id) VALUES ('base', 'autovacuum_job', 'ir.cron', 1),
        ('mail', 'ir_cron_mail_scheduler_action', 'ir.cron', 2)""",
      """
      CREATE TABLE ir_mail_server (id serial PRIMARY KEY, name varchar NOT NULL, smtp_host varchar,
        smtp_port integer, smtp_authentication varchar, smtp_encryption varchar NOT NULL DEFAULT 'none',
        smtp_user varchar, smtp_pass varchar, sequence integer DEFAULT 10, active boolean)""",
      """
      INSERT INTO ir_mail_server (name, smtp_host, smtp_port, smtp_authentication, smtp_encryption, smtp_user,
        smtp_pass, active) VALUES ('Production SMTP', 'smtp.example.com', 587, 'login', 'starttls', 'billing',
        'hunter2', true)""",
      """
      CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar NOT NULL, value text NOT NULL)""",
      "CREATE UNIQUE INDEX ir_config_parameter_key_uniq ON ir_config_parameter (key)",
      """
      INSERT INTO ir_config_parameter (key, value) VALUES ('database.uuid', 'f1c1b1e0-0000-4000-8000-000000000001'),
        ('web.base.url', 'https://erp.example.com'),
        ('module_auto_update.installed_checksums',
         '{"base": "b1", "account": "a-old", "sale": "s1", "stock": "st1"}')""",
      """
      CREATE TABLE ir_module_module (id serial PRIMARY KEY, name varchar NOT NULL UNIQUE, state varchar,
        latest_version varchar, author varchar)""",
      """
      INSERT INTO ir_module_module (name, state, latest_version) VALUES ('base', 'installed', '17.0.1.3'),
        ('account', 'installed', '17.0.1.2'), ('sale', 'installed', '17.0.1.2'),
        ('stock', 'installed', '17.0.1.1'), ('crm', 'uninstalled', NULL), ('legacy_addon', 'installed', '17.0.1.0')""",
      """
      CREATE TABLE mail_template (id serial PRIMARY KEY, name varchar, model varchar, mail_server_id integer)""",
      "INSERT INTO mail_template (name, model, mail_server_id) VALUES ('Invoice: Sending', 'account.move', 1)",
      "CREATE TABLE fetchmail_server (id serial PRIMARY KEY, name varchar NOT NULL, server varchar, active boolean)",
      "INSERT INTO fetchmail_server (name, server, active) VALUES ('Support inbox', 'imap.example.com', true)",
      """
      CREATE TABLE payment_provider (id serial PRIMARY KEY, name varchar NOT NULL, code varchar NOT NULL,
        state varchar NOT NULL)""",
      """
      INSERT INTO payment_provider (name, code, state) VALUES ('Stripe', 'stripe', 'enabled'),
        ('Wire Transfer', 'custom', 'enabled'), ('Adyen', 'adyen', 'disabled')""",
      """
      CREATE TABLE delivery_carrier (id serial PRIMARY KEY, name varchar NOT NULL, delivery_type varchar,
        prod_environment boolean, active boolean)""",
      "INSERT INTO delivery_carrier (name, delivery_type, prod_environment, active) VALUES ('DHL', 'dhl', true, true)",
      """
      CREATE TABLE base_automation (id serial PRIMARY KEY, name varchar, trigger varchar NOT NULL,
        active boolean)""",
      """
      INSERT INTO base_automation (name, trigger, active) VALUES ('Shop webhook', 'on_webhook', true),
        ('Set deadline', 'on_create_or_write', true)""",
      "CREATE TABLE res_partner (id serial PRIMARY KEY, name varchar, active boolean DEFAULT true)",
      "INSERT INTO res_partner (name) SELECT 'Partner ' || g FROM generate_series(1, 1000) g",
      """
      CREATE TABLE account_move_line (id serial PRIMARY KEY, move_id integer NOT NULL, account_id integer NOT NULL,
        partner_id integer REFERENCES res_partner(id), name varchar, debit numeric, credit numeric,
        balance numeric, amount_currency numeric, quantity numeric, date date NOT NULL, parent_state varchar,
        create_date timestamp, write_date timestamp)""",
      """
      INSERT INTO account_move_line (move_id, account_id, partner_id, name, debit, credit, balance,
        amount_currency, quantity, date, parent_state, create_date, write_date)
      SELECT g / 3, 400000 + g % 50, 1 + g % 1000, 'Line ' || g, (g % 97) * 10.5, 0, (g % 97) * 10.5,
        (g % 97) * 10.5, 1, DATE '2024-01-01' + (g % 700), 'posted', now(), now()
      FROM generate_series(1, 1000000) g""",
      "CREATE INDEX account_move_line_move_id_index ON account_move_line (move_id)",
      "ANALYZE");

  /**
   * A fingerprint of the whole source: every row of every table and the catalog of the public schema. Equal before
   * and after a dry-run means the run wrote nothing, not even a harmless UPDATE of the same value (xmin would move).
   */
  public String checksum() throws SQLException {
    return checksum(SOURCE);
  }

  /** The tables of the public schema, by name. */
  public static List<String> tables(Statement st) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT relname FROM pg_class WHERE relkind = 'r'"
        + " AND relnamespace = 'public'::regnamespace ORDER BY relname")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    return tables;
  }

  public String checksum(String database) throws SQLException {
    try (Connection c = superuser(database); Statement st = c.createStatement()) {
      List<String> parts = new ArrayList<>();
      for (String table : tables(st)) {
        try (ResultSet rs = st.executeQuery("SELECT count(*), sum(hashtextextended(t::text, 0)::numeric),"
            + " sum(hashtextextended(t.xmin::text, 0)::numeric) FROM " + table + " t")) {
          rs.next();
          parts.add(table + ":" + rs.getLong(1) + ":" + rs.getString(2) + ":" + rs.getString(3));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT md5(string_agg(x, '|' ORDER BY x)) FROM ("
          + " SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable AS x"
          + " FROM information_schema.columns WHERE table_schema = 'public'"
          + " UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public') catalog")) {
        rs.next();
        parts.add("catalog:" + rs.getString(1));
      }
      return String.join("\n", parts);
    }
  }
}
