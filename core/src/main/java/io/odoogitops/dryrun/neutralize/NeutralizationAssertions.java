package io.odoogitops.dryrun.neutralize;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a neutralized clone must not hold, whatever neutralized it: the dangerous classes (outgoing mail, crons,
 * payments with production keys, outgoing webhooks, IAP/EDI/carrier/tax-service/calendar credentials in use) and
 * the flag Odoo sets. Each check names the tables and columns it reads and applies only where they all exist, so
 * the same list fits Odoo 14 to 18 and databases without the app in question.
 */
final class NeutralizationAssertions {

  /**
   * Provider key columns and the form of their production values. A provider in test mode can still be charged
   * through: some providers pick the key by its form, not by the provider's state.
   */
  static final Map<String, String> LIVE_PAYMENT_KEYS = Map.of(
      "stripe_secret_key", "^(sk|rk)_live_",
      "stripe_publishable_key", "^pk_live_",
      "razorpay_key_id", "^rzp_live_",
      "mollie_api_key", "^live_",
      "xendit_secret_key", "^xnd_production_",
      "flutterwave_secret_key", "^FLWSECK-",
      "mercado_pago_access_token", "^APP_USR-");

  private NeutralizationAssertions() {
  }

  static List<NeutralizationCheck> check(Connection c, Set<String> columns) throws SQLException {
    List<NeutralizationCheck> checks = new ArrayList<>();
    Checker add = (id, table, needed, where, what) -> {
      if (!needed.stream().allMatch(col -> columns.contains(table + "." + col))) {
        return;
      }
      String sql = "SELECT count(*) FROM " + table + " WHERE " + where;
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        long count = rs.getLong(1);
        checks.add(new NeutralizationCheck(id, table, count == 0, count,
            count == 0 ? "ok: no " + what : count + " row(s): " + what, table + " WHERE " + where));
      }
    };
    boolean autovacuumKnown = columns.contains("ir_model_data.res_id");
    add.check("crons-off", "ir_cron", List.of("active"), "active" + (autovacuumKnown
        ? " AND id NOT IN (" + OdooNeutralization.AUTOVACUUM_CRON + ")" : ""),
        "active scheduled actions other than the autovacuum");
    add.check("mail-servers-off", "ir_mail_server", List.of("active", "smtp_host"),
        "active AND smtp_host IS DISTINCT FROM 'invalid'", "active outgoing mail servers other than the dummy");
    add.check("fetchmail-off", "fetchmail_server", List.of("active"), "active", "active incoming mail servers");

    String notDisabled = columns.contains("payment_provider.state") ? "state <> 'disabled'" : "true";
    add.check("payment-providers-not-live", "payment_provider", List.of("is_live"),
        "is_live AND " + notDisabled, "live payment providers");
    if (!columns.contains("payment_provider.is_live")) {
      // 16.0-17.0: 'enabled' is production, 'test' the sandbox
      add.check("payment-providers-test-mode", "payment_provider", List.of("state"), "state = 'enabled'",
          "payment providers enabled for real");
    }
    add.check("payment-acquirers-test-mode", "payment_acquirer", List.of("state"), "state = 'enabled'",
        "payment acquirers enabled for real");
    List<String> keyColumns = LIVE_PAYMENT_KEYS.keySet().stream().sorted()
        .filter(col -> columns.contains("payment_provider." + col)).toList();
    if (!keyColumns.isEmpty()) {
      add.check("payment-live-keys", "payment_provider", List.of(), notDisabled + " AND ("
          + keyColumns.stream().map(col -> col + " ~ '" + LIVE_PAYMENT_KEYS.get(col) + "'")
              .collect(Collectors.joining(" OR ")) + ")",
          "payment providers not disabled that still hold production keys (" + String.join(", ", keyColumns) + ")");
    }

    add.check("server-action-webhooks-off", "ir_act_server", List.of("state", "webhook_url"),
        "state = 'webhook' AND webhook_url ~* '^\\s*https?://'",
        "server actions or automations posting to an outside URL");
    add.check("iap-tokens-disabled", "iap_account", List.of("account_token"),
        "account_token IS NOT NULL AND account_token NOT LIKE '%+disabled'", "IAP accounts with a usable token");
    add.check("edi-proxy-not-prod", "account_edi_proxy_client_user", List.of("edi_mode"),
        "edi_mode = 'prod'" + (columns.contains("account_edi_proxy_client_user.active") ? " AND active" : ""),
        "EDI proxy users registered in production mode");
    add.check("carriers-test-mode", "delivery_carrier", List.of("prod_environment"),
        "prod_environment" + (columns.contains("delivery_carrier.active") ? " AND active" : ""),
        "shipping carriers in production mode");
    add.check("tax-service-sandbox", "res_company", List.of("avalara_environment"),
        "avalara_environment = 'production'", "companies computing taxes on the production Avalara service");
    for (String table : List.of("res_users", "res_users_settings")) {
      for (String column : List.of("google_calendar_rtoken", "microsoft_calendar_rtoken")) {
        add.check("calendar-sync-off", table, List.of(column), column + " IS NOT NULL",
            "users whose calendar still synchronizes with their production " + column.substring(0,
                column.indexOf('_')) + " calendar");
      }
    }
    if (columns.contains("ir_config_parameter.key") && columns.contains("ir_config_parameter.value")) {
      String flagged = "EXISTS (SELECT 1 FROM ir_config_parameter WHERE key = 'database.is_neutralized'"
          + " AND lower(value) IN ('true', 't', '1'))";
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + flagged)) {
        rs.next();
        boolean set = rs.getBoolean(1);
        checks.add(new NeutralizationCheck("neutralized-flag", "ir_config_parameter", set, set ? 0 : 1,
            set ? "ok: database.is_neutralized is true" : "database.is_neutralized is not set",
            "ir_config_parameter database.is_neutralized = true"));
      }
    }
    return checks;
  }

  @FunctionalInterface
  private interface Checker {
    void check(String id, String table, List<String> needed, String where, String what) throws SQLException;
  }
}
