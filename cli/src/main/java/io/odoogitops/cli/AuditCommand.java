package io.odoogitops.cli;

import io.odoogitops.audit.Audit;
import io.odoogitops.audit.AuditDocuments;
import io.odoogitops.audit.AuditReport;
import io.odoogitops.audit.AuditTrust;
import io.odoogitops.audit.DryRunReports;
import io.odoogitops.gitops.GitOpsRepository;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code odoo-gitops audit}: every change of an environment's files, commit by commit, with its evidence. */
@Command(name = "audit",
    description = {"Audit every change of an environment's files: sanctioned promotion or not, votes under the policy"
        + " in force at that commit, freeze or override, dry-run evidence. Unsanctioned changes are listed first.",
        "Exit 1 when anything is unsanctioned. Markdown and HTML are the evidence pack for an auditor."})
public final class AuditCommand implements Callable<Integer> {

  /** The forms of the report. */
  public enum Format { text, json, markdown, html }

  @Spec CommandSpec spec;
  @Mixin RepositoryOptions repository;

  @Option(names = "--env", required = true, paramLabel = "ENV", description = "Environment.")
  String environment;

  @Option(names = "--app", paramLabel = "APP", description = "Only this application's promotions.")
  String application;

  @Option(names = "--since", paramLabel = "DATE",
      description = "Only commits after DATE (2026-10-01 is midnight in the policy's time zone, or 2026-10-01T00:00Z).")
  String since;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format = Format.text;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE (whole or not at all).")
  Path out;

  @Option(names = "--reports", paramLabel = "DIR",
      description = "Directory of dry-run.json reports; each Dry-Run trailer's report found there is checked.")
  Path reports;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "" + Audit.DEFAULT_MAX_COMMITS,
      description = "At most N commits are walked; more is an error (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    try (GitOpsRepository repo = repository.open()) {
      AuditReport report = Audit.builder(repo, environment).application(application)
          .trust(AuditTrust.of(repo))
          .since(zone -> since == null ? null : PolicyConfigOption.instant(since, "--since", zone, Instant.now()))
          .maxCommits(limit)
          .reports(reports == null ? DryRunReports.none() : DryRunReports.under(reports))
          .build().run();
      String document = switch (format) {
        case text -> AuditDocuments.text(report);
        case json -> AuditDocuments.json(report);
        case markdown -> AuditDocuments.markdown(report);
        case html -> AuditDocuments.html(report);
      };
      PrintWriter stdout = spec.commandLine().getOut();
      if (out != null) {
        AuditDocuments.write(out, document.endsWith("\n") ? document : document + "\n");
        spec.commandLine().getErr().println("wrote " + out + ": " + report.counts().unsanctioned()
            + " unsanctioned of " + report.counts().changes() + " change(s)");
      } else {
        stdout.println(document.stripTrailing());
      }
      stdout.flush();
      return report.clean() ? 0 : Main.REFUSED;
    }
  }
}
