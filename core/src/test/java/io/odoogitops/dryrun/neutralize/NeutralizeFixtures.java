package io.odoogitops.dryrun.neutralize;

import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.dryrun.clone.PgEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Odoo 17 and Odoo 15 source databases holding one live thing of each dangerous class, and the modules that
 * neutralize them. The neutralize.sql files are written for these tests after reading Odoo's own (base, mail,
 * payment, payment_stripe, iap, delivery, account_edi_proxy_client, google_calendar, account_avatax): the same
 * kinds of statements on the same tables, not copies.
 */
final class NeutralizeFixtures {

  static final String SOURCE_17 = "odoo_neutral17";
  static final String SOURCE_15 = "odoo_neutral15";
  static final String DUMMY_SERVER = "neutralization - disable emails";

  /** Odoo's own modules, as a base image ships them: name → data/neutralize.sql (null: the module has none). */
  static final Map<String, String> ODOO_MODULES = ordered(
      "base", """
          -- no mail leaves staging: every server off, and a catcher for Odoo's command-line fallback
          UPDATE ir_mail_server SET active = false WHERE active;
          INSERT INTO ir_mail_server (name, smtp_host, smtp_port, smtp_encryption, smtp_authentication, active)
               VALUES ('neutralization - disable emails', 'invalid', 1025, 'none', 'login', true);
          -- the autovacuum is the only scheduled action left running
          UPDATE ir_cron SET active = false
           WHERE active AND id NOT IN (SELECT res_id FROM ir_model_data
                                        WHERE model = 'ir.cron' AND module = 'base' AND name = 'autovacuum_job');
          -- outgoing webhooks point nowhere
          UPDATE ir_act_server SET webhook_url = 'neutralization - disable webhook' WHERE state = 'webhook';
          INSERT INTO ir_config_parameter (key, value) VALUES ('database.is_neutralized', 'true')
              ON CONFLICT (key) DO UPDATE SET value = 'true';
          """,
      "web", null,
      "mail", """
          UPDATE fetchmail_server SET active = false WHERE active;
          UPDATE mail_template SET mail_server_id = NULL WHERE mail_server_id IS NOT NULL;
          """,
      "iap", "UPDATE iap_account SET account_token = account_token || '+disabled'"
          + " WHERE account_token NOT LIKE '%+disabled';\n",
      "payment", "UPDATE payment_provider SET state = 'disabled' WHERE state NOT IN ('test', 'disabled');\n",
      "payment_stripe", "UPDATE payment_provider SET stripe_secret_key = NULL, stripe_publishable_key = NULL"
          + " WHERE code = 'stripe';\n",
      "delivery", "UPDATE delivery_carrier SET prod_environment = false WHERE prod_environment;\n",
      "account_edi_proxy_client", "UPDATE account_edi_proxy_client_user SET edi_mode = 'test'"
          + " WHERE edi_mode = 'prod';\n",
      "account_avatax", "UPDATE res_company SET avalara_environment = 'sandbox';\n",
      "google_calendar", "UPDATE res_users_settings SET google_calendar_rtoken = NULL, google_calendar_token = NULL;\n",
      "website", "UPDATE website SET domain = NULL;\n");

  /**
   * The release's own modules. {@code aaa_stripe_tweaks} sorts first by name but extends payment_stripe: its file
   * changes a row only when run after payment_stripe's, which proves the order.
   */
  static final Map<String, String> RELEASE_MODULES = ordered(
      "acme_shop", "UPDATE acme_shop_endpoint SET active = false;\n",
      "acme_reports", null,
      "old_connector", null,
      "aaa_stripe_tweaks", "UPDATE payment_provider SET stripe_publishable_key = 'pk_test_staging'"
          + " WHERE code = 'stripe' AND stripe_secret_key IS NULL;\n");

  /** The order Odoo loads the installed modules of {@link #SOURCE_17} in: depth, then name. */
  static final List<String> LOAD_ORDER = List.of(
      "base",
      "account_avatax", "acme_reports", "google_calendar", "old_connector", "web",
      "iap", "mail", "payment",
      "account_edi_proxy_client", "delivery", "payment_stripe",
      "aaa_stripe_tweaks", "acme_shop");

  private NeutralizeFixtures() {
  }

  private static Map<String, String> ordered(String... nameThenSql) {
    Map<String, String> modules = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameThenSql.length; i += 2) {
      modules.put(nameThenSql[i], nameThenSql[i + 1]);
    }
    return modules;
  }

  /** Writes {@code modules} as module directories of {@code dir} (a manifest, and data/neutralize.sql if any). */
  static Path addons(Path dir, Map<String, String> modules) throws IOException {
    for (Map.Entry<String, String> module : modules.entrySet()) {
      Path moduleDir = Files.createDirectories(dir.resolve(module.getKey()));
      Files.writeString(moduleDir.resolve("__init__.py"), "");
      Files.writeString(moduleDir.resolve("__manifest__.py"), "{'name': '" + module.getKey()
          + "', 'version': '17.0.1.0.0', 'depends': ['base'], 'license': 'LGPL-3'}\n");
      if (module.getValue() != null) {
        Files.createDirectories(moduleDir.resolve("data"));
        Files.writeString(moduleDir.resolve("data/neutralize.sql"), module.getValue());
      }
    }
    return dir;
  }

  static PgEndpoint source(OdooSourceDatabase db, String name) {
    return new PgEndpoint("localhost", db.port(), name, OdooSourceDatabase.USER, OdooSourceDatabase.PASSWORD);
  }

  static synchronized void createSources(OdooSourceDatabase db) throws SQLException {
    try (Connection c = db.superuser("postgres"); Statement st = c.createStatement()) {
      try (var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + SOURCE_17 + "'")) {
        if (rs.next()) {
          return;
        }
      }
      st.execute("CREATE DATABASE " + SOURCE_17 + " OWNER " + OdooSourceDatabase.USER);
      st.execute("CREATE DATABASE " + SOURCE_15 + " OWNER " + OdooSourceDatabase.USER);
    }
    run(db, SOURCE_17, ODOO_17);
    run(db, SOURCE_15, ODOO_15);
  }

  private static void run(OdooSourceDatabase db, String database, List<String> statements) throws SQLException {
    try (Connection c = java.sql.DriverManager.getConnection(source(db, database).jdbcUrl(),
        OdooSourceDatabase.USER, OdooSourceDatabase.PASSWORD); Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  private static final List<String> COMMON = List.of(
      "CREATE TABLE ir_model_data (id serial PRIMARY KEY, module varchar, name varchar, model varchar, res_id int)",
      "CREATE TABLE ir_cron (id serial PRIMARY KEY, cron_name varchar, active boolean)",
      "INSERT INTO ir_cron (id, cron_name, active) VALUES (1, 'Base: Auto-vacuum internal data', true),"
          + " (2, 'Mail: Email Queue Manager', true), (3, 'Payment: post-process transactions', true)",
      "INSERT INTO ir_model_data (module, name, model, res_id) VALUES ('base', 'autovacuum_job', 'ir.cron', 1)",
      "CREATE TABLE ir_mail_server (id serial PRIMARY KEY, name varchar NOT NULL, smtp_host varchar,"
          + " smtp_port int, smtp_authentication varchar, smtp_encryption varchar, smtp_pass varchar, active boolean)",
      "INSERT INTO ir_mail_server (name, smtp_host, smtp_port, smtp_authentication, smtp_encryption, smtp_pass,"
          + " active) VALUES ('Production SMTP', 'smtp.example.com', 587, 'login', 'starttls', 'hunter2', true)",
      "CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar NOT NULL UNIQUE, value text NOT NULL)",
      "INSERT INTO ir_config_parameter (key, value) VALUES ('web.base.url', 'https://erp.example.com')",
      "CREATE TABLE ir_module_module (id serial PRIMARY KEY, name varchar NOT NULL UNIQUE, state varchar,"
          + " latest_version varchar)",
      "CREATE TABLE delivery_carrier (id serial PRIMARY KEY, name varchar, prod_environment boolean, active boolean)",
      "INSERT INTO delivery_carrier (name, prod_environment, active) VALUES ('EasyPost', true, true)");

  private static final List<String> ODOO_17 = concat(COMMON, List.of(
      """
      INSERT INTO ir_module_module (name, state, latest_version) VALUES ('base', 'installed', '17.0.1.3'),
        ('web', 'installed', '17.0.1.0'), ('mail', 'installed', '17.0.1.15'), ('iap', 'installed', '17.0.1.1'),
        ('payment', 'installed', '17.0.2.0'), ('payment_stripe', 'installed', '17.0.2.0'),
        ('delivery', 'installed', '17.0.1.0'), ('account_edi_proxy_client', 'installed', '17.0.1.0'),
        ('account_avatax', 'installed', '17.0.1.0'), ('google_calendar', 'installed', '17.0.1.0'),
        ('acme_shop', 'installed', '17.0.1.0.0'), ('acme_reports', 'to upgrade', '17.0.1.0.0'),
        ('old_connector', 'to remove', '17.0.1.0.0'), ('aaa_stripe_tweaks', 'installed', '17.0.1.0.0'),
        ('website', 'uninstalled', NULL), ('crm', 'uninstallable', NULL)""",
      "CREATE TABLE ir_module_module_dependency (id serial PRIMARY KEY, module_id int, name varchar)",
      """
      INSERT INTO ir_module_module_dependency (module_id, name)
      SELECT m.id, d.dep FROM ir_module_module m JOIN (VALUES ('web', 'base'), ('mail', 'base'), ('mail', 'web'),
        ('iap', 'web'), ('payment', 'web'), ('payment_stripe', 'payment'), ('delivery', 'mail'),
        ('account_edi_proxy_client', 'mail'), ('account_avatax', 'base'), ('google_calendar', 'base'),
        ('acme_shop', 'payment_stripe'), ('acme_shop', 'delivery'), ('acme_reports', 'base'),
        ('old_connector', 'base'), ('aaa_stripe_tweaks', 'payment_stripe'), ('website', 'web'))
        AS d(module, dep) ON d.module = m.name""",
      "CREATE TABLE fetchmail_server (id serial PRIMARY KEY, name varchar, active boolean)",
      "INSERT INTO fetchmail_server (name, active) VALUES ('Support inbox', true)",
      "CREATE TABLE mail_template (id serial PRIMARY KEY, name varchar, mail_server_id int)",
      "INSERT INTO mail_template (name, mail_server_id) VALUES ('Invoice', 1)",
      "CREATE TABLE ir_act_server (id serial PRIMARY KEY, name varchar, state varchar, webhook_url varchar)",
      "INSERT INTO ir_act_server (name, state, webhook_url) VALUES ('Notify the ERP hub', 'webhook',"
          + " 'https://hub.example.com/odoo'), ('Compute', 'code', NULL)",
      "CREATE TABLE payment_provider (id serial PRIMARY KEY, name varchar, code varchar, state varchar,"
          + " stripe_secret_key varchar, stripe_publishable_key varchar)",
      "INSERT INTO payment_provider (name, code, state, stripe_secret_key, stripe_publishable_key) VALUES"
          + " ('Stripe', 'stripe', 'enabled', 'sk_live_51AbCdEf', 'pk_live_51AbCdEf'),"
          + " ('Wire Transfer', 'custom', 'enabled', NULL, NULL), ('Adyen', 'adyen', 'disabled', NULL, NULL)",
      "CREATE TABLE iap_account (id serial PRIMARY KEY, service_name varchar, account_token varchar)",
      "INSERT INTO iap_account (service_name, account_token) VALUES ('sms', 'a1b2c3'), ('snailmail', 'd4e5f6')",
      "CREATE TABLE account_edi_proxy_client_user (id serial PRIMARY KEY, proxy_type varchar, edi_mode varchar,"
          + " active boolean)",
      "INSERT INTO account_edi_proxy_client_user (proxy_type, edi_mode, active) VALUES ('peppol', 'prod', true)",
      "CREATE TABLE res_company (id serial PRIMARY KEY, name varchar, avalara_environment varchar)",
      "INSERT INTO res_company (name, avalara_environment) VALUES ('Acme', 'production')",
      "CREATE TABLE res_users_settings (id serial PRIMARY KEY, user_id int, google_calendar_rtoken varchar,"
          + " google_calendar_token varchar)",
      "INSERT INTO res_users_settings (user_id, google_calendar_rtoken, google_calendar_token) VALUES"
          + " (2, '1//0refresh', 'ya29.access')",
      "CREATE TABLE acme_shop_endpoint (id serial PRIMARY KEY, url varchar, active boolean)",
      "INSERT INTO acme_shop_endpoint (url, active) VALUES ('https://shop.example.com/api', true)"));

  private static final List<String> ODOO_15 = concat(COMMON, List.of(
      "INSERT INTO ir_module_module (name, state, latest_version) VALUES ('base', 'installed', '15.0.1.3'),"
          + " ('payment', 'installed', '15.0.2.0'), ('never_found_anywhere', 'installed', '15.0.1.0.0')",
      "CREATE TABLE payment_acquirer (id serial PRIMARY KEY, name varchar, state varchar)",
      "INSERT INTO payment_acquirer (name, state) VALUES ('Stripe', 'enabled')"));

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
