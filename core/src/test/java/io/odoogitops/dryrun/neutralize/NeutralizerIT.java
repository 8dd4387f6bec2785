package io.odoogitops.dryrun.neutralize;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.PgSessions;
import io.odoogitops.dryrun.clone.StagingClone;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeutralizerIT {

  @TempDir
  Path dir;

  static List<String> rows(Connection c, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }

  @Test
  void neutralizesAnOdooCloneAsOdooDoesAndRunsUserSqlAfter() throws Exception {
    OdooSourceDatabase db = OdooSourceDatabase.shared();
    String checksum = db.checksum();
    Path extra = Files.writeString(dir.resolve("10-base-url.sql"),
        "UPDATE ir_config_parameter SET value = 'https://staging.example.com' WHERE key = 'web.base.url';\n"
            + "UPDATE res_partner SET name = 'anonymized';\n");
    try (StagingClone clone = new TemplateCloneStrategy(new StagingServer(db.stagingAdmin(), Duration.ofSeconds(30)))
        .create(db.source(), new CloneName(CloneName.DEFAULT_PREFIX, "neutral", Instant.now()));
         Connection c = PgSessions.readWrite(clone.endpoint())) {
      NeutralizationResult result = Neutralizer.odoo(List.of(extra)).neutralize(c);

      assertThat(rows(c, "SELECT cron_name || '=' || active FROM ir_cron ORDER BY id")).containsExactly(
          "Base: Auto-vacuum internal data=true", "Mail: Email Queue Manager=false",
          "Invoicing: recurring invoices=false", "Already off=false");
      assertThat(rows(c, "SELECT name || '@' || smtp_host || '=' || active FROM ir_mail_server ORDER BY id"))
          .containsExactly("Production SMTP@smtp.example.com=false",
              OdooNeutralization.DUMMY_MAIL_SERVER + "@invalid=true");
      assertThat(rows(c, "SELECT active::text FROM fetchmail_server")).containsExactly("false");
      assertThat(rows(c, "SELECT name || '=' || state FROM payment_provider ORDER BY id"))
          .containsExactly("Stripe=test", "Wire Transfer=test", "Adyen=disabled");
      assertThat(rows(c, "SELECT prod_environment::text FROM delivery_carrier")).containsExactly("false");
      assertThat(rows(c, "SELECT name || '=' || active FROM base_automation ORDER BY id"))
          .containsExactly("Shop webhook=false", "Set deadline=true");
      assertThat(rows(c, "SELECT coalesce(mail_server_id::text, 'default') FROM mail_template"))
          .containsExactly("default");
      assertThat(rows(c, "SELECT value FROM ir_config_parameter WHERE key IN"
          + " ('database.is_neutralized', 'web.base.url') ORDER BY key"))
          .containsExactly("true", "https://staging.example.com");

      assertThat(result.applied()).extracting(NeutralizationResult.AppliedStep::id)
          .contains("crons-off", "dummy-mail-server", "payment-providers-test-mode", "webhook-automations-off");
      assertThat(result.skipped()).containsExactlyInAnyOrder("payment-providers-not-live",
          "payment-acquirers-test-mode");
      assertThat(result.userScripts()).containsExactly("10-base-url.sql");
      assertThat(result.checks()).allMatch(NeutralizationCheck::passed);

      // idempotent: a second pass finds nothing left to change and adds no second dummy server
      Neutralizer.odoo(List.of()).neutralize(c);
      assertThat(rows(c, "SELECT count(*) FROM ir_mail_server WHERE smtp_host = 'invalid'")).containsExactly("1");
    }
    assertThat(db.checksum()).isEqualTo(checksum);
  }
}
