package io.odoogitops.cli;

import io.odoogitops.ImageDigest;

import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.HistoryEntry;
import io.odoogitops.gitops.Holds;
import io.odoogitops.ImageRef;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.ReleaseQueries;
import io.odoogitops.gitops.Snapshot;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
      PromotionEngine engine = PromotionEngine.builder(repo).build();
      // One snapshot for both, so that a hold's state is the one of the entries listed.
      Listing listing = engine.queries().atHead(snapshot -> {
        List<HistoryEntry> entries = ReleaseQueries.history(snapshot, environment, application, limit);
        return new Listing(entries, holds(snapshot, entries));
      });
      output.print(spec.commandLine().getOut(), json(listing.entries(), listing.holds()),
          render(listing.entries(), listing.holds()));
      return 0;
    }
  }

  private record Listing(List<HistoryEntry> entries, Map<String, String> holds) {}

  /** What became of the hold of each rollback listed, by its commit: see {@link Holds.State#about}. */
  private Map<String, String> holds(Snapshot snapshot, List<HistoryEntry> entries) {
    Set<String> apps = new TreeSet<>();
    entries.stream().filter(e -> e.isRollback() && e.sanctioned()).forEach(e -> apps.add(e.application()));
    Map<String, String> out = new HashMap<>();
    for (String app : apps) {
      Holds.State state = Holds.read(snapshot, environment, app);
      entries.stream().filter(e -> app.equals(e.application()))
          .forEach(e -> state.about(e).ifPresent(text -> out.put(e.commitId(), text)));
    }
    return out;
  }

  /** The entries as JSON objects, a rollback's with its {@code hold}. */
  private static List<Map<String, Object>> json(List<HistoryEntry> entries, Map<String, String> holds) {
    ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    List<Map<String, Object>> out = new ArrayList<>();
    for (HistoryEntry e : entries) {
      Map<String, Object> node = mapper.convertValue(e, new TypeReference<LinkedHashMap<String, Object>>() { });
      if (holds.containsKey(e.commitId())) {
        node.put("hold", holds.get(e.commitId()));
      }
      out.add(node);
    }
    return out;
  }

  static String render(List<HistoryEntry> entries, Map<String, String> holds) {
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
      if (holds.containsKey(e.commitId())) {
        out.append("\n    ").append(holds.get(e.commitId()));
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
