package io.odoogitops.jenkins.testing;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import io.odoogitops.jenkins.config.OdooGitOpsConfiguration;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * A real PostgreSQL (zonky embedded, as the core's dry-run tests use) holding a small Odoo-like production copy, and
 * the Jenkins configuration and credential that point odooDryRun at it.
 */
public final class StagingDatabaseFixture implements AutoCloseable {

  public static final String DATABASE = "prod_copy";
  public static final String USER = "release";
  public static final String PASSWORD = "s3cret-Pa55-for-the-mask";

  private static final List<String> SCHEMA = List.of(
      "CREATE TABLE ir_model_data (id serial PRIMARY KEY, module varchar NOT NULL, name varchar NOT NULL,"
          + " model varchar NOT NULL, res_id integer)",
      "CREATE TABLE ir_cron (id serial PRIMARY KEY, cron_name varchar NOT NULL, active boolean,"
          + " interval_number integer, interval_type varchar, nextcall timestamp NOT NULL DEFAULT now())",
      "INSERT INTO ir_cron (id, cron_name, active) VALUES (1, 'Base: Auto-vacuum internal data', true),"
          + " (2, 'Mail: Email Queue Manager', true)",
      "INSERT INTO ir_model_data (module, name, model, res_id) VALUES ('base', 'autovacuum_job', 'ir.cron', 1)",
      "CREATE TABLE ir_mail_server (id serial PRIMARY KEY, name varchar NOT NULL, smtp_host varchar,"
          + " smtp_port integer, smtp_authentication varchar, smtp_encryption varchar NOT NULL DEFAULT 'none',"
          + " smtp_user varchar, smtp_pass varchar, sequence integer DEFAULT 10, active boolean)",
      "INSERT INTO ir_mail_server (name, smtp_host, smtp_port, smtp_encryption, active)"
          + " VALUES ('Production SMTP', 'smtp.example.com', 587, 'starttls', true)",
      "CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar NOT NULL UNIQUE, value text NOT NULL)",
      "INSERT INTO ir_config_parameter (key, value) VALUES ('database.uuid', 'f1c1b1e0-0000-4000-8000-000000000001'),"
          + " ('web.base.url', 'https://erp.example.com')",
      "CREATE TABLE ir_module_module (id serial PRIMARY KEY, name varchar NOT NULL UNIQUE, state varchar,"
          + " latest_version varchar, author varchar)",
      "INSERT INTO ir_module_module (name, state, latest_version) VALUES ('base', 'installed', '17.0.1.3')",
      "CREATE TABLE res_partner (id serial PRIMARY KEY, name varchar, active boolean DEFAULT true)",
      "INSERT INTO res_partner (name) SELECT 'Partner ' || g FROM generate_series(1, 1000) g",
      "ANALYZE");

  private final EmbeddedPostgres server;

  private StagingDatabaseFixture(EmbeddedPostgres server) {
    this.server = server;
  }

  public static StagingDatabaseFixture start() throws IOException, SQLException {
    StagingDatabaseFixture fixture = new StagingDatabaseFixture(EmbeddedPostgres.builder().start());
    try (Connection c = fixture.server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + USER + " LOGIN CREATEDB PASSWORD '" + PASSWORD + "'");
      st.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
    }
    try (Connection c = DriverManager.getConnection(fixture.url(), USER, PASSWORD);
        Statement st = c.createStatement()) {
      for (String sql : SCHEMA) {
        st.execute(sql);
      }
    }
    return fixture;
  }

  public String url() {
    return "jdbc:postgresql://localhost:" + server.getPort() + "/" + DATABASE;
  }

  /** Points the global configuration at this database, with a username/password credential. */
  public void configureJenkins(JenkinsRule j) throws Exception {
    SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
        CredentialsScope.GLOBAL, "staging-db", "staging database", USER, PASSWORD));
    SystemCredentialsProvider.getInstance().save();
    OdooGitOpsConfiguration config = j.jenkins.getDescriptorByType(OdooGitOpsConfiguration.class);
    config.setStagingDatabaseUrl(url());
    config.setStagingDatabaseCredentialsId("staging-db");
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
