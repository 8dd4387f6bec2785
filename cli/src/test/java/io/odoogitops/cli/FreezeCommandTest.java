package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreezeCommandTest {

  @TempDir
  Path dir;

  private String config;

  @BeforeEach
  void writeConfig() throws Exception {
    config = Files.writeString(dir.resolve("odoo-gitops.yaml"), PolicyCli.CONFIG).toString();
  }

  @Test
  void statusDuringTheMonthEndCloseSaysByWhatAndUntilWhen() {
    PolicyCli result = PolicyCli.run("freeze", "status", "--config", config, "--env", "production",
        "--at", "2026-11-27T10:00");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains(
        "production: FROZEN at 2026-11-27 10:00 CET",
        "by month-end close: 2026-11-26 00:00 CET to 2026-12-03 00:00 CET (allows rollback)",
        "promotions open again 2026-12-03 00:00 CET (in 5d 14h)");
  }

  @Test
  void statusOfAllEnvironmentsWhileOpenAnnouncesTheNextFreeze() {
    PolicyCli result = PolicyCli.run("freeze", "status", "--config", config, "--at", "2026-11-14T12:00:00Z");

    assertThat(result.out()).contains("staging: open at 2026-11-14 13:00 CET",
        "production: open at 2026-11-14 13:00 CET",
        "next freeze: mid-month invoicing from 2026-11-15 00:00 CET to 2026-11-16 00:00 CET (in 11h 0m)");
  }

  @Test
  void failIfFrozenExitsOneForScripts() {
    assertThat(PolicyCli.run("freeze", "status", "--config", config, "--at", "2026-11-15", "--fail-if-frozen")
        .exitCode()).isEqualTo(1);
    assertThat(PolicyCli.run("freeze", "status", "--config", config, "--at", "2026-11-16", "--fail-if-frozen")
        .exitCode()).isZero();
  }

  @Test
  void statusAsJson() throws Exception {
    PolicyCli result = PolicyCli.run("freeze", "status", "--config", config, "--env", "production",
        "--at", "2026-11-15T12:00", "--output", "json");

    JsonNode status = new ObjectMapper().readTree(result.out()).get(0);
    assertThat(status.get("frozen").asBoolean()).isTrue();
    assertThat(status.get("active").get(0).get("window").asText()).isEqualTo("mid-month invoicing");
    assertThat(status.get("openAt").asText()).isEqualTo("2026-11-15T23:00:00Z");
    assertThat(status.get("nextFreeze").isNull()).isTrue();
  }

  @Test
  void calendarGridMarksFrozenDays() {
    PolicyCli result = PolicyCli.run("freeze", "calendar", "--config", config, "--env", "production",
        "--from", "2026-11-01", "--to", "2026-12-31");

    assertThat(result.exitCode()).isZero();
    // November 2026: 15 is the invoicing day, 26-30 the close; December: 1-2 close, 15 invoicing, 29-31 close.
    assertThat(result.out()).contains(
        "Nov 2026       Mon Tue Wed Thu Fri Sat Sun",
        "  9. 10. 11. 12. 13. 14. 15#",
        " 23. 24. 25. 26# 27# 28# 29#",
        " 30#",
        "  7.  8.  9. 10. 11. 12. 13.",
        " 28. 29# 30# 31#",
        "mid-month invoicing  2026-12-15 00:00 CET -> 2026-12-16 00:00 CET  (allows rollback)");
  }

  @Test
  void calendarAsJsonListsEveryDay() throws Exception {
    PolicyCli result = PolicyCli.run("freeze", "calendar", "--config", config, "--env", "production",
        "--from", "2026-11-14", "--to", "2026-11-16", "-o", "json");

    JsonNode days = new ObjectMapper().readTree(result.out()).get(0).get("days");
    assertThat(days).hasSize(3);
    assertThat(days.get(1).get("date").asText()).isEqualTo("2026-11-15");
    assertThat(days.get(1).get("coverage").asText()).isEqualTo("frozen");
    assertThat(days.get(0).get("coverage").asText()).isEqualTo("open");
  }

  @Test
  void badInputExitsTwoWithAClearMessage() {
    PolicyCli missing = PolicyCli.run("freeze", "status", "--config", dir.resolve("nope.yaml").toString());
    PolicyCli badTime = PolicyCli.run("freeze", "status", "--config", config, "--at", "tomorrow");
    PolicyCli badEnv = PolicyCli.run("freeze", "status", "--config", config, "--env", "prod");
    PolicyCli badRange = PolicyCli.run("freeze", "calendar", "--config", config, "--from", "2026-12-01",
        "--to", "2026-11-01");

    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.yaml does not exist");
    assertThat(badTime.err()).contains("--at 'tomorrow' is not a point in time");
    assertThat(badEnv.err()).contains("unknown environment 'prod'");
    assertThat(badRange.exitCode()).isEqualTo(2);
    assertThat(badRange.err()).contains("put --to after --from");
  }

  @Test
  void anInvalidPolicyIsReportedWithFileAndLine() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), PolicyCli.CONFIG.replace(
        "\"FREQ=MONTHLY;BYMONTHDAY=15\"", "\"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\""));

    PolicyCli result = PolicyCli.run("freeze", "status", "--config", bad.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("bad.yaml:17: environments.production.freeze.1.rrule:", "never occurs");
  }
}
