package io.odoogitops.cli;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.fleet.Fleet;
import io.odoogitops.fleet.FleetHistory;
import io.odoogitops.fleet.FleetPlan;
import io.odoogitops.fleet.FleetPlanner;
import io.odoogitops.fleet.FleetState;
import io.odoogitops.fleet.TenantFacts;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.ImageRef;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.policy.ConfigGroupDirectory;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.RepositoryFiles;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code odoo-gitops fleet plan|status|dry-run}: one digest across the tenants of a fleet, in waves. */
@Command(name = "fleet", description = "Fleet releases: one digest across many tenants, in waves.",
    subcommands = {FleetCommand.Plan.class, FleetCommand.Status.class, FleetDryRunCommand.class})
public final class FleetCommand implements Runnable {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: plan, status or dry-run");
  }

  static String when(ZonedDateTime time) {
    return time == null ? "-" : WHEN.format(time);
  }

  private static String digestOf(String image) {
    return ImageRef.parse(image).digest();
  }

  /** {@code fleet plan}: the rollout as it would happen now. */
  @Command(name = "plan", description = "The rollout of a digest as it would happen now: waves, tenants, freezes,"
      + " gate requirements and an estimated finish.")
  static final class Plan implements Callable<Integer> {

    @Mixin PolicyConfigOption config;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Option(names = "--fleet", required = true, paramLabel = "FLEET", description = "Fleet (see 'fleets').")
    String fleet;

    @Option(names = "--image", required = true, paramLabel = "REF@sha256:HEX", description = "Image to roll out.")
    String image;

    @Option(names = "--at", paramLabel = "TIME",
        description = "Plan as of this time: 2026-12-24T10:00:00Z, or a local 2026-12-24T11:00 / 2026-12-24 in the"
            + " file's timeZone (default: now).")
    String at;

    @Override
    public Integer call() {
      String digest = digestOf(image);
      FleetPlan plan;
      if (config.fromRepository()) {
        // Tenants already running the digest are read from the same commit the configuration comes from.
        try (GitOpsRepository repo = config.repository.open()) {
          plan = PromotionEngine.builder(repo).build().atHead(snapshot -> {
            ReleaseConfig loaded = snapshot.config();
            ReleasePolicy policy = ReleasePolicy.of(loaded, ConfigGroupDirectory.of(loaded), snapshot::read);
            Fleet resolved = Fleet.of(loaded, fleet);
            return FleetPlanner.plan(resolved, policy, digest, instant(policy), FleetHistory.running(snapshot,
                resolved, digest), policy.zone());
          });
        }
      } else {
        ReleaseConfig loaded = config.load();
        ReleasePolicy policy = ReleasePolicy.of(loaded, ConfigGroupDirectory.of(loaded), config.localFiles());
        plan = FleetPlanner.plan(Fleet.of(loaded, fleet), policy, digest, instant(policy), Set.of(), policy.zone());
      }
      output.print(spec.commandLine().getOut(), plan, text(plan));
      return 0;
    }

    private Instant instant(ReleasePolicy policy) {
      return PolicyConfigOption.instant(at, "--at", policy.zone(), Instant.now());
    }

    static String text(FleetPlan plan) {
      StringBuilder t = new StringBuilder();
      t.append("fleet ").append(plan.fleet()).append(": ").append(plan.application()).append('@')
          .append(ImageDigest.shortForm(plan.digest())).append(", planned at ").append(when(plan.at())).append('\n');
      for (FleetPlan.WavePlan wave : plan.waves()) {
        t.append("\nwave ").append(wave.index() + 1).append(' ').append(wave.name())
            .append(wave.canary() ? " (canary)" : "").append(": maxParallel ").append(wave.maxParallel())
            .append(", soak ").append(human(wave.soak())).append(", gate ")
            .append(wave.rules().isEmpty() ? "freeze only" : String.join(", ", sorted(wave.rules())) + ", freeze")
            .append("\n  from ").append(when(wave.start())).append(" to ").append(when(wave.end())).append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TENANT", "NOW", "PLANNED START (own zone)", "NEEDS"});
        for (FleetPlan.TenantPlan tenant : wave.tenants()) {
          String now = switch (tenant.state()) {
            case "frozen" -> "frozen until " + when(tenant.opensAt()) + " (" + String.join(", ", tenant.frozenBy())
                + ")";
            default -> tenant.state();
          };
          String start = tenant.promoted() ? "already runs it" : tenant.start() == null ? "cannot be planned"
              : when(tenant.start());
          rows.add(new String[] {tenant.tenant(), now, start, tenant.needs().isEmpty() ? "-"
              : tenant.needs().stream().map(n -> n.substring(0, n.indexOf(':'))).collect(Collectors.joining(", "))});
        }
        table(t, rows);
        wave.tenants().forEach(tenant -> tenant.needs().forEach(n -> t.append("  ").append(tenant.tenant())
            .append(" needs ").append(n).append('\n')));
      }
      t.append("\nfinish: ").append(plan.finish() == null ? "cannot be estimated" : when(plan.finish()))
          .append(" (estimate: ").append(human(plan.tenantTime())).append(" per tenant, waves in order, each after"
              + " the previous one's soak)");
      plan.unplanned().forEach(u -> t.append("\nnot planned: ").append(u));
      return t.toString();
    }
  }

  /** {@code fleet status}: tenants × digest × state, read from the GitOps history. */
  @Command(name = "status", description = "Where the rollout of a digest stands per tenant, read from the GitOps"
      + " history: waiting, frozen until ..., promoted, rolled back.")
  static final class Status implements Callable<Integer> {

    @Mixin RepositoryOptions repository;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Option(names = "--fleet", required = true, paramLabel = "FLEET", description = "Fleet (see 'fleets').")
    String fleet;

    @Option(names = "--image", paramLabel = "REF@sha256:HEX",
        description = "Digest to report on (default: the newest one a commit with 'Fleet: FLEET' promoted).")
    String image;

    @Option(names = "--at", paramLabel = "TIME",
        description = "Freeze states as of this time (default: now); the history is always read at the branch head.")
    String at;

    @Option(names = "--history-limit", paramLabel = "N", defaultValue = "" + FleetHistory.DEFAULT_LIMIT,
        description = "Read at most N history entries per tenant (default: ${DEFAULT-VALUE}).")
    int historyLimit;

    @Override
    public Integer call() {
      if (historyLimit < 1) {
        throw ReleaseException.badInput("--history-limit must be 1 or more");
      }
      String wanted = image == null ? null : digestOf(image);
      FleetState state;
      try (GitOpsRepository repo = repository.open()) {
        state = PromotionEngine.builder(repo).build().atHead(snapshot -> {
          ReleaseConfig loaded = snapshot.config();
          ReleasePolicy policy = ReleasePolicy.of(loaded, ConfigGroupDirectory.of(loaded), snapshot::read);
          Fleet resolved = Fleet.of(loaded, fleet);
          Map<String, TenantFacts> facts = FleetHistory.read(repo, snapshot, resolved, historyLimit);
          String digest = wanted != null ? wanted : FleetState.latestDigest(fleet, facts).orElseThrow(() ->
              ReleaseException.badInput("no commit with 'Fleet: " + fleet + "' in the last " + historyLimit
                  + " history entries of any tenant, so there is no rollout to report; pass --image"
                  + " REF@sha256:... to see where a digest stands"));
          return FleetState.of(resolved, digest, facts, policy,
              PolicyConfigOption.instant(at, "--at", policy.zone(), Instant.now()));
        });
      }
      output.print(spec.commandLine().getOut(), state, text(state));
      return 0;
    }

    static String text(FleetState state) {
      StringBuilder t = new StringBuilder();
      t.append("fleet ").append(state.fleet()).append(": ").append(state.application()).append('@')
          .append(ImageDigest.shortForm(state.digest())).append(" at ").append(when(state.at())).append(" - ")
          .append(state.counts().entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label())
              .collect(Collectors.joining(", "))).append("\n\n");
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"TENANT", "WAVE", "STATE", "RUNNING", "COMMIT", "VERIFIED"});
      for (FleetState.TenantState tenant : state.tenants()) {
        String text = switch (tenant.state()) {
          case FROZEN -> "frozen until " + when(tenant.frozenUntil()) + " (" + String.join(", ", tenant.frozenBy())
              + ")";
          case ROLLED_BACK -> "rolled back " + when(tenant.rollback().time());
          case PROMOTED -> "promoted" + (tenant.promotion() == null ? "" : " " + when(tenant.promotion().time()));
          default -> tenant.state().label();
        };
        FleetState.CommitRef commit = tenant.state() == FleetState.State.ROLLED_BACK ? tenant.rollback()
            : tenant.promotion();
        rows.add(new String[] {tenant.tenant(), tenant.wave(), text, ImageDigest.shortForm(tenant.running()),
            commit == null ? "-" : commit.commit().substring(0, 10) + (commit.fleet() == null ? "" : " (Fleet: "
                + commit.fleet() + (commit.wave() == null ? "" : ", Wave: " + commit.wave()) + ")"),
            tenant.verified() == null ? "?" : tenant.verified() ? "yes" : "no"});
      }
      table(t, rows);
      t.append("verified: '?' means not recorded in the history (fleet promote will record it)");
      return t.toString();
    }
  }

  static void table(StringBuilder t, List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    rows.forEach(r -> {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    });
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format(Locale.ROOT, "%-" + widths[i] + "s  ", row[i]));
      }
      t.append(line.toString().stripTrailing()).append('\n');
    }
  }

  private static List<String> sorted(Set<String> rules) {
    return io.odoogitops.config.WaveSpec.RULES.stream().filter(rules::contains).toList();
  }

  private static String human(Duration d) {
    if (d.isZero()) {
      return "none";
    }
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
