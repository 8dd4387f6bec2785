package io.odoogitops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicySpecValidatorTest {

  private static final String HEAD = """
      timeZone: Europe/Brussels
      applications:
        odoo: { image: registry.example.com/acme/odoo }
      """;

  private static ReleaseConfig load(String yaml) {
    return ConfigLoader.load((HEAD + yaml).getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml");
  }

  /** A file whose production environment has the given freeze entries, starting on line 9. */
  private static String withFreeze(String entries) {
    return """
        environments:
          production:
            path: envs/production
            layout: kustomize
            freeze:
        """ + entries.indent(6);
  }

  @Test
  void theDesignExampleLoads() {
    ReleaseConfig config = load("""
        calendars:
          be-business: { weekends: [SAT, SUN], holidays: [2026-12-25, 2027-01-01], annualHolidays: [05-01] }
        groups:
          release-managers: [carol, dave]
        environments:
          staging:    { path: envs/staging,    layout: kustomize }
          production:
            path: envs/production
            layout: kustomize
            promoteFrom: staging
            gate: { approvals: 2, approvers: [group:release-managers], fourEyes: true, dryRun: PASS }
            freeze:
              - monthEndClose: { businessDaysBefore: 3, businessDaysAfter: 2, calendar: be-business }
              - rrule: "FREQ=MONTHLY;BYMONTHDAY=15"
                duration: PT24H
              - from: 2026-12-20T00:00
                to:   2027-01-04T08:00
              - allowOnly: { days: [TUE, WED, THU], from: "06:00", to: "16:00" }
            override: { approvals: 1, approvers: [group:release-managers], allow: [rollback] }
        """);

    assertThat(config.groups()).containsEntry("release-managers", List.of("carol", "dave"));
    assertThat(config.environment("production").freeze()).hasSize(4);
  }

  static Stream<Arguments> badPolicies() {
    return Stream.of(
        Arguments.of(withFreeze("- { rrule: \"FREQ=MONTHLY;BYMONTHDAY=15\", duration: PT24H, timeZone: Mars/Base }"),
            "odoo-gitops.yaml:9: environments.production.freeze.0.timeZone: unknown time zone 'Mars/Base'"),
        Arguments.of(withFreeze("- { rrule: \"FREQ=MONTHLY;BYMONTHDAY=15;BYDAY=XX\", duration: PT24H }"),
            "odoo-gitops.yaml:9: environments.production.freeze.0.rrule: invalid RRULE"),
        Arguments.of(withFreeze("- { rrule: \"FREQ=SECONDLY\", duration: PT1S }"),
            "freeze.0.rrule: FREQ=SECONDLY recurs more often than hourly"),
        Arguments.of(withFreeze("- { rrule: \"FREQ=HOURLY;BYMINUTE=0,10,20\", duration: PT1M }"),
            "freeze.0.rrule: occurs every 10m; a freeze window recurs at most hourly"),
        Arguments.of(withFreeze("- { rrule: \"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\", duration: PT24H }"),
            "freeze.0.rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' never occurs"),
        Arguments.of(withFreeze("- { rrule: \"FREQ=DAILY;COUNT=3\", start: 2026-01-01T00:00, duration: PT24H }"),
            "freeze.0.duration: 24h is not shorter than the 24h between occurrences"),
        Arguments.of(withFreeze("- { rrule: \"FREQ=WEEKLY;BYDAY=MO,FR\", duration: PT80H }"),
            "80h is not shorter than the 72h between occurrences"),
        Arguments.of(withFreeze("- { rrule: \"FREQ=DAILY;UNTIL=20270101T000000Z\", duration: PT1H }"),
            "UNTIL must be a local date-time without 'Z'"),
        Arguments.of(withFreeze("- { rrule: \"FREQ=DAILY\" }"), "an rrule needs a 'duration'"),
        Arguments.of(withFreeze("- { rrule: \"FREQ=DAILY\", duration: PT0S }"), "freeze.0.duration: must be positive"),
        Arguments.of(withFreeze("- { from: 2027-01-04T08:00, to: 2026-12-20T00:00 }"),
            "odoo-gitops.yaml:9: environments.production.freeze.0.to: 'to' (2026-12-20T00:00) must be after 'from'"),
        Arguments.of(withFreeze("- { from: 2027-01-04T08:00 }"), "a one-off freeze needs both 'from' and 'to'"),
        Arguments.of(withFreeze("- { from: 2026-12-20T00:00, to: 2027-01-04T08:00, duration: PT1H }"),
            "'duration' and 'start' belong to an 'rrule' entry"),
        Arguments.of(withFreeze("- monthEndClose: { businessDaysBefore: 3, calendar: nope }"),
            "freeze.0.monthEndClose.calendar: unknown calendar 'nope'; define it under 'calendars'"),
        Arguments.of(withFreeze("- monthEndClose: { businessDaysBefore: 0 }"), "freezes no day"),
        Arguments.of(withFreeze("- quarterEndClose: { businessDaysBefore: 40 }"),
            "freeze.0.quarterEndClose.businessDaysBefore: 40 is out of range"),
        Arguments.of(withFreeze("- invoicingRun: { days: [15, 32] }"),
            "freeze.0.invoicingRun.days.1: '32' is not a day of month"),
        Arguments.of(withFreeze("- invoicingRun: { businessDaysBefore: 1 }"), "'days' is required"),
        Arguments.of(withFreeze("- { monthEndClose: { businessDaysBefore: 1 }, rrule: \"FREQ=DAILY\" }"),
            "freeze.0: sets monthEndClose and rrule; write one freeze entry per kind"),
        Arguments.of(withFreeze("- { name: nothing }"), "a freeze entry needs one of"),
        Arguments.of(withFreeze("- allowOnly: { days: [TUE, THURSDAY, FUNDAY] }"),
            "freeze.0.allowOnly.days.2: 'FUNDAY' is not a weekday"),
        Arguments.of(withFreeze("- allowOnly: { days: [MON, TUE, WED, THU, FRI, SAT, SUN] }"),
            "allows every moment of every day"),
        Arguments.of(withFreeze("- { from: 2026-12-20T00:00, to: 2027-01-04T08:00, allow: [hotfix] }"),
            "freeze.0.allow.0: unknown action 'hotfix'; use promote or rollback"),
        Arguments.of(withFreeze("- { from: 2026-12-20T00:00, to: 2027-01-04T08:00, until: 2027-01-05 }"),
            "unknown key 'until'"),
        Arguments.of("""
            calendars:
              never: { weekends: [MON, TUE, WED, THU, FRI, SAT, SUN] }
              bad: { timeZone: Europe/Bruxelles, annualHolidays: [12-32] }
            environments:
              production: { path: envs/production, layout: kustomize }
            """, "calendars.never.weekends: every weekday is a weekend"),
        Arguments.of("""
            calendars:
              bad: { timeZone: Europe/Bruxelles }
            environments:
              production: { path: envs/production, layout: kustomize }
            """, "odoo-gitops.yaml:5: calendars.bad.timeZone: unknown time zone 'Europe/Bruxelles'"),
        Arguments.of("""
            calendars:
              bad: { annualHolidays: [12-32] }
            environments:
              production: { path: envs/production, layout: kustomize }
            """, "'12-32' is not a month-day; write MM-DD"),
        Arguments.of("""
            groups:
              release-managers: [carol, dave]
            environments:
              production:
                path: envs/production
                layout: kustomize
                gate: { approvals: 3, approvers: [group:release-managers] }
            """, "gate.approvals: 3 approvals can never be met: the approvers name only 2 person(s)"),
        Arguments.of("""
            groups:
              release-managers: [carol, dave]
            environments:
              production:
                path: envs/production
                layout: kustomize
                gate: { approvals: 1, approvers: [group:release-manager] }
            """, "gate.approvers.0: unknown group 'release-manager'; groups defined under 'groups': release-managers"),
        Arguments.of("""
            environments:
              production:
                path: envs/production
                layout: kustomize
                gate: { approvals: 1, dryRun: FAIL, approvalTtl: -PT1H }
            """, "gate.dryRun: 'FAIL' is not an accepted verdict"),
        Arguments.of("""
            environments:
              production:
                path: envs/production
                layout: kustomize
                gate: { approvals: 1, approvers: [alice], approvalTtl: -PT1H }
            """, "gate.approvalTtl: must be positive"),
        Arguments.of("""
            environments:
              production:
                path: envs/production
                layout: kustomize
                gate: { approvals: 2 }
            """, "gate.approvers: 2 approval(s) needed but no approvers named"),
        Arguments.of("""
            environments:
              production:
                path: envs/production
                layout: kustomize
                override: { approvals: 1, approvers: ["user:has space"], allow: [deploy] }
            """, "override.allow.0: unknown action 'deploy'"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badPolicies")
  void refusesWithFileLineAndRule(String yaml, String expected) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageContaining(expected);
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> load(withFreeze("""
        - { rrule: "FREQ=SECONDLY", duration: PT1S }
        - { from: 2027-01-04T08:00, to: 2026-12-20T00:00 }
        - monthEndClose: { businessDaysBefore: 1, calendar: nope }
        """)))
        .hasMessageContaining("(3 problems)")
        .hasMessageContaining("odoo-gitops.yaml:9:")
        .hasMessageContaining("odoo-gitops.yaml:10:")
        .hasMessageContaining("odoo-gitops.yaml:11:");
  }
}
