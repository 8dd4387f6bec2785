package io.odoogitops.cli;

import io.odoogitops.ImageDigest;

import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.HistoryEntry;
import io.odoogitops.gitops.ImageRef;
import io.odoogitops.gitops.PromotionEngine;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code odoo-gitops history}: the release history of an environment, from commit trailers held against manifests. */
@Command(name = "history",
    description = {"List the promotions and rollbacks of an environment, newest first, checked against the manifests.",
        "Changes no promotion explains (trailers that do not match, direct pushes) are listed, flagged UNSANCTIONED."})
public final class HistoryCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'")
      .withZone(ZoneOffset.UTC);

  @Spec CommandSpec spec;
  @Mixin RepositoryOptions repository;
  @Mixin OutputOptions output;

  @Option(names = "--env", required = true, paramLabel = "ENV", description = "Environment.")
  String environment;

  @Option(names = "--app", paramLabel = "APP", description = "Only this application.")
  String application;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
      description = "At most N entries (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    try (GitOpsRepository repo = repository.open()) {
      List<HistoryEntry> entries = PromotionEngine.builder(repo).build().history(environment, application, limit);
      output.print(spec.commandLine().getOut(), entries, render(entries));
      return 0;
    }
  }

  static String render(List<HistoryEntry> entries) {
    if (entries.isEmpty()) {
      return "no promotions recorded yet";
    }
    StringBuilder out = new StringBuilder();
    for (HistoryEntry e : entries) {
      out.append(TIME.format(e.time())).append("  ").append(e.commitId(), 0, 10).append("  ")
          .append(String.format("%-9s", e.kind())).append(' ')
          .append(String.format("%-12s", e.application())).append(' ')
          .append(ImageDigest.shortForm(e.digest())).append(" <- ").append(ImageDigest.shortForm(e.previousDigest()));
      if (e.promotionId() != null) {
        out.append("  id=").append(e.promotionId());
      } else {
        out.append("  pushed by ").append(e.author());
      }
      if (e.initiator() != null) {
        out.append("  by ").append(e.initiator());
      }
      if (!e.approvedBy().isEmpty()) {
        out.append("  approved by ").append(String.join(", ", e.approvedBy()));
      }
      if (e.restoreRequired()) {
        out.append("\n    rollback needs a restore (the dry-run said RESTORE_REQUIRED)");
      }
      if (e.imageOnlyJustification() != null) {
        out.append("\n    IMAGE ONLY (the release was RESTORE_REQUIRED; database not restored): ")
            .append(e.imageOnlyJustification());
      }
      if (e.restoredDatabase() != null) {
        out.append("\n    switched to the restored database ").append(e.restoredDatabase());
      }
      if (!e.sanctioned()) {
        // Shown, never counted: rollback, promoteFrom and retries ignore it.
        out.append("\n    UNSANCTIONED: ").append(e.problem());
      }
      out.append('\n');
    }
    return out.toString().stripTrailing();
  }
}
