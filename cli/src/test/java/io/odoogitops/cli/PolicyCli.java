package io.odoogitops.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs the real command line and keeps what it printed, for the policy command tests. */
record PolicyCli(int exitCode, String out, String err) {

  static final String CONFIG = """
      timeZone: Europe/Brussels
      calendars:
        be: { weekends: [SAT, SUN], annualHolidays: [12-25, 01-01] }
      groups:
        release-managers: [carol, dave, erin]
      applications:
        odoo: { image: registry.example.com/acme/odoo }
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production:
          path: envs/production
          layout: kustomize
          promoteFrom: staging
          gate: { approvals: 2, approvers: [group:release-managers], dryRun: WARN }
          freeze:
            - monthEndClose: { businessDaysBefore: 3, businessDaysAfter: 2, calendar: be }
            - { name: mid-month invoicing, rrule: "FREQ=MONTHLY;BYMONTHDAY=15", duration: PT24H }
          override: { approvals: 1, approvers: [group:release-managers] }
      """;

  static PolicyCli run(String... args) {
    CommandLine cli = Main.commandLine(Map.of());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new PolicyCli(code, out.toString(), err.toString());
  }
}
