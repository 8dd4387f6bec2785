package io.odoogitops.cli.demo;

import io.odoogitops.ReleaseException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;

/**
 * The demo's "production" database: an embedded PostgreSQL 15 holding Odoo's tables for everything a dry-run touches
 * (modules, settings, crons, mail, payments) and a journal items table large enough for its rewrite to be measured.
 * Reached through a password-protected, non-superuser login, as a real source would be.
 */
final class DemoDatabase implements AutoCloseable {

  static final String DATABASE = "acme_prod";
  static final String USER = "odoo_release";
  static final int JOURNAL_ITEMS = 200_000;

  private final EmbeddedPostgres server;
  private final Path passwordFile;

  private DemoDatabase(EmbeddedPostgres server, Path passwordFile) {
    this.server = server;
    this.passwordFile = passwordFile;
  }

  static DemoDatabase start(Path workDir) throws IOException {
    String password = HexFormat.of().formatHex(generateSeed());
    Path secrets = Files.createDirectories(workDir.resolve("secrets"));
    Path passwordFile = Files.writeString(secrets.resolve("production-db-password"), password);
    EmbeddedPostgres server = EmbeddedPostgres.builder()
        .setDataDirectory(workDir.resolve("production-db"))
        .setCleanDataDirectory(true)
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off")
        .start();
    DemoDatabase db = new DemoDatabase(server, passwordFile);
    try {
      db.create(password);
    } catch (SQLException | RuntimeException e) {
      db.close();
      throw ReleaseException.infrastructure("cannot create the demo production database: " + e.getMessage(), e);
    }
    return db;
  }

  private static byte[] generateSeed() {
    byte[] seed = new byte[12];
    new SecureRandom().nextBytes(seed);
    return seed;
  }

  String url() {
    return "jdbc:postgresql://localhost:" + server.getPort() + "/" + DATABASE;
  }

  String stagingUrl() {
    return "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
  }

  Path passwordFile() {
    return passwordFile;
  }

  private void create(String password) throws SQLException, IOException {
    try (Connection c = superuser("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + USER + " LOGIN CREATEDB PASSWORD '" + password + "'");
      st.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
      String hba;
      try (ResultSet rs = st.executeQuery("SHOW hba_file")) {
        rs.next();
        hba = rs.getString(1);
      }
      // zonky trusts every login; the release user must prove its password like against a real server.
      Files.writeString(Path.of(hba), String.join("\n", "local all all trust",
          "host all postgres 127.0.0.1/32 trust", "host all postgres ::1/128 trust",
          "host all all 127.0.0.1/32 scram-sha-256", "host all all ::1/128 scram-sha-256", ""));
      st.execute("SELECT pg_reload_conf()");
    }
    try (Connection c = DriverManager.getConnection(url(), USER, password); Statement st = c.createStatement()) {
      for (String sql : SCHEMA) {
        st.execute(sql);
      }
    }
  }

  private Connection superuser(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + server.getPort() + "/" + database,
        "postgres", "");
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private static final List<String> SCHEMA = List.of(
      "CREATE TABLE ir_module_module (id serial PRIMARY KEY, name varchar NOT NULL UNIQUE, state varchar,"
          + " latest_version varchar)",
      "INSERT INTO ir_module_module (name, state, latest_version) VALUES ('base', 'installed', '17.0.1.3'),"
          + " ('account', 'installed', '17.0.1.2'), ('acme_base', 'installed', '17.0.1.0.0'),"
          + " ('acme_billing', 'installed', '17.0.1.0.0')",
      "CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar NOT NULL UNIQUE, value text NOT NULL)",
      "INSERT INTO ir_config_parameter (key, value) VALUES ('database.uuid', 'acme-prod-0001'),"
          + " ('web.base.url', 'https://erp.acme.example')",
      "CREATE TABLE ir_cron (id serial PRIMARY KEY, cron_name varchar NOT NULL, active boolean,"
          + " nextcall timestamp NOT NULL DEFAULT now())",
      "INSERT INTO ir_cron (cron_name, active) VALUES ('Base: Auto-vacuum internal data', true),"
          + " ('Mail: Email Queue Manager', true), ('ACME: month-end invoicing run', true)",
      "CREATE TABLE ir_mail_server (id serial PRIMARY KEY, name varchar NOT NULL, smtp_host varchar,"
          + " smtp_port integer, smtp_encryption varchar NOT NULL DEFAULT 'none', smtp_user varchar,"
          + " smtp_pass varchar, sequence integer DEFAULT 10, active boolean)",
      "INSERT INTO ir_mail_server (name, smtp_host, smtp_port, smtp_encryption, smtp_user, smtp_pass, active)"
          + " VALUES ('Billing SMTP', 'smtp.acme.example', 587, 'starttls', 'billing', 'not-a-real-secret', true)",
      "CREATE TABLE fetchmail_server (id serial PRIMARY KEY, name varchar NOT NULL, server varchar, active boolean)",
      "INSERT INTO fetchmail_server (name, server, active) VALUES ('AP inbox', 'imap.acme.example', true)",
      "CREATE TABLE payment_provider (id serial PRIMARY KEY, name varchar NOT NULL, code varchar NOT NULL,"
          + " state varchar NOT NULL)",
      "INSERT INTO payment_provider (name, code, state) VALUES ('Stripe', 'stripe', 'enabled')",
      "CREATE TABLE res_partner (id serial PRIMARY KEY, name varchar, active boolean DEFAULT true)",
      "INSERT INTO res_partner (name) SELECT 'Customer ' || g FROM generate_series(1, 500) g",
      "CREATE TABLE account_move_line (id serial PRIMARY KEY, move_id integer NOT NULL, partner_id integer"
          + " REFERENCES res_partner(id), name varchar, debit numeric, credit numeric, quantity numeric,"
          + " date date NOT NULL, parent_state varchar)",
      "INSERT INTO account_move_line (move_id, partner_id, name, debit, credit, quantity, date, parent_state)"
          + " SELECT g / 3, 1 + g % 500, 'Line ' || g, (g % 97) * 10.5, 0, 1, DATE '2025-01-01' + (g % 600),"
          + " 'posted' FROM generate_series(1, " + JOURNAL_ITEMS + ") g",
      "CREATE INDEX account_move_line_move_id_index ON account_move_line (move_id)",
      "ANALYZE");
}
