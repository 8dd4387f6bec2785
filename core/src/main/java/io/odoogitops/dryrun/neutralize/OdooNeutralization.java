package io.odoogitops.dryrun.neutralize;

import java.util.List;

/**
 * What Odoo's own {@code neutralize.sql} files do to a staging copy (Odoo 16+ runs them on {@code odoo-bin
 * neutralize} and on odoo.sh staging branches), restated here so a dry-run does not need Odoo to be runnable:
 * crons off except the autovacuum, outgoing mail disabled with a dummy server catching fallbacks, fetchmail off,
 * payment providers and carriers out of production, webhooks off, and the flag Odoo shows as a banner.
 */
public final class OdooNeutralization {

  /** The name Odoo gives its dummy server; the assertion recognizes it by this name and its invalid host. */
  public static final String DUMMY_MAIL_SERVER = "neutralization - disable emails";

  /** The cron Odoo keeps running on a neutralized database: it only cleans up. */
  static final String AUTOVACUUM_CRON = "SELECT res_id FROM ir_model_data WHERE model = 'ir.cron' AND module = 'base'"
      + " AND name = 'autovacuum_job' AND res_id IS NOT NULL";
  static final String AUTOVACUUM_XMLID = "ir_model_data.res_id";

  private OdooNeutralization() {
  }

  public static List<NeutralizationStep> steps() {
    return List.of(
        new NeutralizationStep("mail-servers-off", "ir_mail_server", List.of("active"),
            "UPDATE ir_mail_server SET active = false WHERE active", "base/data/neutralize.sql"),
        new NeutralizationStep("dummy-mail-server", "ir_mail_server",
            List.of("name", "smtp_port", "smtp_host", "smtp_encryption", "active", "smtp_authentication"),
            // without it, Odoo falls back to the SMTP server given on its command line, i.e. production's
            "INSERT INTO ir_mail_server (name, smtp_port, smtp_host, smtp_encryption, active, smtp_authentication)"
                + " SELECT '" + DUMMY_MAIL_SERVER + "', 1025, 'invalid', 'none', true, 'login'"
                + " WHERE NOT EXISTS (SELECT 1 FROM ir_mail_server WHERE name = '" + DUMMY_MAIL_SERVER + "')",
            "base/data/neutralize.sql"),
        new NeutralizationStep("crons-off", "ir_cron", List.of("id", "active"), List.of(AUTOVACUUM_XMLID), List.of(),
            "UPDATE ir_cron SET active = false WHERE active AND id NOT IN (" + AUTOVACUUM_CRON + ")",
            "base/data/neutralize.sql"),
        // without external ids the autovacuum cannot be told apart: all crons off is the safe side
        new NeutralizationStep("crons-off", "ir_cron", List.of("active"), List.of(), List.of(AUTOVACUUM_XMLID),
            "UPDATE ir_cron SET active = false WHERE active", "base/data/neutralize.sql (no ir_model_data)"),
        new NeutralizationStep("neutralized-flag", "ir_config_parameter", List.of("key", "value"),
            "WITH updated AS (UPDATE ir_config_parameter SET value = 'true' WHERE key = 'database.is_neutralized'"
                + " RETURNING 1) INSERT INTO ir_config_parameter (key, value)"
                + " SELECT 'database.is_neutralized', 'true' WHERE NOT EXISTS (SELECT 1 FROM updated)",
            "base/data/neutralize.sql"),
        new NeutralizationStep("mail-templates-default-server", "mail_template", List.of("mail_server_id"),
            "UPDATE mail_template SET mail_server_id = NULL WHERE mail_server_id IS NOT NULL",
            "mail/data/neutralize.sql"),
        new NeutralizationStep("fetchmail-off", "fetchmail_server", List.of("active"),
            "UPDATE fetchmail_server SET active = false WHERE active", "mail/data/neutralize.sql (fetchmail)"),
        new NeutralizationStep("payment-providers-not-live", "payment_provider", List.of("is_live"),
            "UPDATE payment_provider SET is_live = false WHERE is_live", "payment/data/neutralize.sql (18.0+)"),
        // Odoo 16-17 model "live" as state 'enabled'; 'test' is what is_live = false means in 18.0
        new NeutralizationStep("payment-providers-test-mode", "payment_provider", List.of("state"),
            "UPDATE payment_provider SET state = 'test' WHERE state = 'enabled'",
            "payment/data/neutralize.sql, restated for the 16.0-17.0 state field"),
        new NeutralizationStep("payment-acquirers-test-mode", "payment_acquirer", List.of("state"),
            "UPDATE payment_acquirer SET state = 'test' WHERE state = 'enabled'",
            "payment/data/neutralize.sql, restated for 15.0 payment_acquirer"),
        new NeutralizationStep("carriers-test-mode", "delivery_carrier", List.of("prod_environment"),
            "UPDATE delivery_carrier SET prod_environment = false WHERE prod_environment",
            "delivery/data/neutralize.sql"),
        new NeutralizationStep("webhook-automations-off", "base_automation", List.of("trigger", "active"),
            "UPDATE base_automation SET active = false WHERE active AND trigger = 'on_webhook'",
            "base_automation (17.0+ webhooks)"));
  }
}
