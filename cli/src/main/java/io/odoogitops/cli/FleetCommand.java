package io.odoogitops.cli;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.fleet.FleetAdvance;
import io.odoogitops.fleet.FleetHistory;
import io.odoogitops.fleet.FleetPlan;
import io.odoogitops.fleet.FleetPlanner;
import io.odoogitops.fleet.FleetRestorePoints;
import io.odoogitops.fleet.FleetRollbackResult;
import io.odoogitops.fleet.FleetRollout;
import io.odoogitops.fleet.FleetState;
import io.odoogitops.fleet.TenantVerifier;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.policy.ConfigGroupDirectory;
import io.odoogitops.policy.ReleasePolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code odoo-gitops fleet plan|status|dry-run}: one digest across the tenants of a fleet, in waves. */
@Command(name = "fleet", description = "Fleet releases: one digest across many tenants, in waves.",
    subcommands = {FleetCommand.Plan.class, FleetCommand.Status.class, FleetCommand.Promote.class,
        FleetCommand.Resume.class, FleetCommand.Rollback.class, FleetDryRunCommand.class,
        FleetRestorePointCommand.class})
public final class FleetCommand implements Runnable {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: plan, status, promote, resume, rollback,"
        + " dry-run or restore-point");
  }

  static String when(ZonedDateTime time) {
    return time == null ? "-" : WHEN.format(time);
  }

  /** {@code fleet plan}: the rollout as it would happen now. */
  @Command(name = "plan", description = "The rollout of a digest as it would happen from where it stands now: waves,"
      + " tenants, freezes, votes, dry-run evidence, holds, restore points, a halt, and an estimated finish.")
  static final class Plan implements Callable<Integer> {

    /** How many tenants' reasons a wave lists in text before pointing at the JSON output. */
    static final int REASONS_SHOWN = 20;

    @Mixin PolicyConfigOption config;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Option(names = "--fleet", required = true, paramLabel = "FLEET", description = "Fleet (see 'fleets').")
    String fleet;

    @Option(names = "--image", required = true, paramLabel = "REF@sha256:HEX", converter = ImageConverters.Pinned.class,
        description = "Image to roll out.")
    ImageRef image;

    @Option(names = "--dry-run-reports", paramLabel = "DIR",
        description = "Per-tenant dry-run evidence: DIR/<tenant>/dry-run.json (and its .sig), as 'fleet dry-run'"
            + " writes it and 'fleet promote' reads it.")
    Path dryRunReports;

    @Mixin AtOption at;

    @Override
    public Integer call() {
      ImageRef ref = image;
      Function<String, GateCheck.Inputs> inputs = dryRunReports == null ? null
          : FleetRollout.dryRunReports(dryRunReports, GateCheck.Inputs.none());
      FleetPlan plan;
      if (config.fromRepository()) {
        // The rollout's state is read as fleet status and fleet promote read it, from one commit of the branch.
        try (GitOpsRepository repo = config.repository.open()) {
          PromotionEngine engine = PromotionEngine.builder(repo).build();
          FleetRollout.Builder rollout = FleetRollout.builder(engine, repo).clock(clock(at, engine));
          if (inputs != null) {
            rollout.gateInputs(inputs);
          }
          plan = rollout.build().plan(fleet, ref, inputs != null);
        }
      } else {
        ReleaseConfig loaded = config.load();
        ReleasePolicy policy = ReleasePolicy.of(loaded, ConfigGroupDirectory.of(loaded), config.localFiles());
        plan = FleetPlanner.fromConfiguration(loaded, policy, fleet, ref, at.instant(policy.zone()),
            inputs == null ? null : tenant -> inputs.apply(tenant).dryRun());
      }
      output.print(spec.commandLine().getOut(), plan, text(plan));
      return 0;
    }

    static String text(FleetPlan plan) {
      StringBuilder t = new StringBuilder();
      t.append("fleet ").append(plan.fleet()).append(": ").append(plan.application()).append('@')
          .append(ImageDigest.shortForm(plan.digest())).append(", planned at ").append(when(plan.at()))
          .append(" from the ").append(plan.source()).append('\n');
      if (plan.halt() != null) {
        FleetState.Halt halt = plan.halt();
        t.append("HALTED ").append(when(halt.at())).append(halt.by() == null ? "" : " by " + halt.by())
            .append(": ").append(halt.reason()).append(" (record ").append(halt.commit(), 0, 12)
            .append("); nothing is promoted until 'odoo-gitops fleet resume'; the times below assume a resume now\n");
      }
      if (!plan.notRead().isEmpty()) {
        t.append("not read: ").append(String.join(", ", plan.notRead()))
            .append(FleetPlan.CONFIGURATION.equals(plan.source()) ? " (a plan from a configuration file; pass --repo"
                + " to read the rollout's state and votes)" : "")
            .append(plan.notRead().contains("dry-run reports") ? "; pass --dry-run-reports DIR to read the reports"
                : "").append('\n');
      }
      List<FleetPlan.TenantPlan> all = plan.waves().stream().flatMap(w -> w.tenants().stream()).toList();
      t.append("tenants: ").append(counts(all.stream().map(FleetPlan.TenantPlan::state).toList()));
      List<String> needed = all.stream().flatMap(p -> p.needs().stream().map(FleetCommand::rule).distinct())
          .toList();
      t.append(needed.isEmpty() ? "; nothing needed but open windows" : "; waiting for " + counts(needed))
          .append('\n');
      t.append("finish: ").append(plan.finish() == null ? "cannot be estimated" : when(plan.finish()))
          .append('\n');
      for (FleetPlan.WavePlan wave : plan.waves()) {
        t.append("\nwave ").append(wave.index() + 1).append(' ').append(wave.name())
            .append(wave.canary() ? " (canary)" : "").append(": maxParallel ").append(wave.maxParallel())
            .append(", soak ").append(human(wave.soak())).append(", gate ")
            .append(wave.rules().isEmpty() ? "freeze only" : String.join(", ", sorted(wave.rules())) + ", freeze")
            .append(" (holds and restore points always)\n");
        if (wave.end() != null && wave.start() != null && wave.end().isBefore(wave.start())) {
          // Done before the plan's instant: what is left is its soak, if anything.
          t.append("  verified by ").append(when(wave.end())).append(", soak ")
              .append(wave.soakEnds().isAfter(plan.at()) ? "until " : "over at ").append(when(wave.soakEnds()));
        } else {
          t.append("  from ").append(when(wave.start())).append(" to ").append(when(wave.end()))
              .append(", soaked ").append(when(wave.soakEnds()));
        }
        t.append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TENANT", "NOW", "PLANNED START (own zone)", "VOTES", "DRY-RUN", "RESTORE POINT",
            "NEEDS"});
        for (FleetPlan.TenantPlan tenant : wave.tenants()) {
          rows.add(new String[] {tenant.tenant(), now(tenant), start(tenant), votes(tenant.approvals()),
              tenant.dryRun() == null ? "not read" : tenant.dryRun(),
              tenant.restorePoint() == null ? "-" : tenant.restorePoint(), tenant.needs().isEmpty() ? "-"
                  : tenant.needs().stream().map(FleetCommand::rule).collect(Collectors.joining(", "))});
        }
        table(t, rows);
        List<String> reasons = new ArrayList<>();
        wave.tenants().forEach(tenant -> {
          if (tenant.failure() != null) {
            reasons.add(tenant.tenant() + " failed: " + tenant.failure());
          }
          tenant.needs().forEach(n -> reasons.add(tenant.tenant() + " needs " + n));
        });
        reasons.stream().limit(REASONS_SHOWN).forEach(r -> t.append("  ").append(r).append('\n'));
        if (reasons.size() > REASONS_SHOWN) {
          t.append("  ... and ").append(reasons.size() - REASONS_SHOWN)
              .append(" more reason(s); --output json gives every tenant's\n");
        }
      }
      t.append("\nestimate: ").append(human(plan.tenantTime())).append(" per tenant with a cluster block (its"
          + " verification, in one of the wave's slots); tenants without one land when they open; waves in order,"
          + " each after the previous one's soak");
      plan.unplanned().forEach(u -> t.append("\nnot planned: ").append(u));
      return t.toString();
    }

    private static String now(FleetPlan.TenantPlan tenant) {
      return switch (tenant.state()) {
        case "frozen" -> "frozen until " + when(tenant.opensAt()) + " (" + String.join(", ", tenant.frozenBy())
            + ")";
        case "verified" -> "verified " + when(tenant.verifiedAt());
        // The wave's line says until when it soaks: from its last verification, not this tenant's.
        case "soaking" -> "soaking, verified " + when(tenant.verifiedAt());
        default -> tenant.hold() == null ? tenant.state() : tenant.state() + ", held";
      };
    }

    private static String start(FleetPlan.TenantPlan tenant) {
      if (tenant.start() != null) {
        return when(tenant.start()) + (tenant.promoted() ? " (verification)" : "");
      }
      return switch (tenant.state()) {
        case "verified", "soaking", "superseded" -> "done";
        case "promoted" -> "already runs it";
        default -> "cannot be planned";
      };
    }

    private static String votes(FleetPlan.Approvals approvals) {
      if (approvals == null) {
        return "-";
      }
      return (approvals.given() == null ? "?" : approvals.given().toString()) + " of " + approvals.required()
          + (approvals.by().isEmpty() ? "" : " (" + String.join(", ", approvals.by()) + ")");
    }

    /** "3 open, 2 frozen" in order of first appearance. */
    private static String counts(List<String> values) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      values.forEach(v -> counts.merge(v, 1, Integer::sum));
      return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }
  }

  /** The rule of a need ({@code approvals: 0 of 2 ...}). */
  private static String rule(String need) {
    int colon = need.indexOf(':');
    return colon < 0 ? need : need.substring(0, colon);
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

    @Option(names = "--image", paramLabel = "REF@sha256:HEX", converter = ImageConverters.Pinned.class,
        description = "Digest to report on (default: the newest one a commit with 'Fleet: FLEET' promoted).")
    ImageRef image;

    @Mixin AtOption at;

    @Option(names = "--history-limit", paramLabel = "N", defaultValue = "" + FleetHistory.DEFAULT_LIMIT,
        description = "Read at most N history entries per tenant (default: ${DEFAULT-VALUE}).")
    int historyLimit;

    @Override
    public Integer call() {
      if (historyLimit < 1) {
        throw ReleaseException.badInput("--history-limit must be 1 or more");
      }
      ImageDigest wanted = image == null ? null : image.digest();
      FleetState state;
      try (GitOpsRepository repo = repository.open()) {
        PromotionEngine engine = PromotionEngine.builder(repo).build();
        state = FleetRollout.builder(engine, repo).historyLimit(historyLimit).clock(clock(at, engine)).build()
            .status(fleet, wanted);
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
          case VERIFIED, SOAKING -> tenant.state().label() + " " + when(tenant.verifiedAt());
          case FAILED -> "failed" + (tenant.rollback() == null ? "" : ", rolled back " + when(tenant.rollback()
              .time()));
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
      state.tenants().stream().filter(r -> r.failure() != null).forEach(r -> t.append("  ").append(r.tenant())
          .append(" failed: ").append(r.failure()).append('\n'));
      state.holds().forEach(h -> t.append("  held in ").append(h.tenant()).append(": ")
          .append(ImageDigest.shortForm(h.digest())).append(" since ").append(when(h.since())).append(" (rollback ")
          .append(h.rollbackCommit(), 0, 12).append("); promoting it there is refused until '")
          .append(h.releaseCommand()).append("'\n"));
      if (state.halt() != null) {
        t.append("HALTED ").append(when(state.halt().at())).append(state.halt().by() == null ? ""
            : " by " + state.halt().by()).append(": ").append(state.halt().reason()).append(" (record ")
            .append(state.halt().commit(), 0, 12).append("); 'odoo-gitops fleet resume' continues after a fix\n");
      }
      if (!state.ignoredRecords().isEmpty()) {
        t.append("ignored: ").append(state.ignoredRecords().size())
            .append(" record commit(s) that do not count (newest: ").append(state.ignoredRecords().get(0))
            .append(")\n");
      }
      t.append("verified: '?' means not recorded in the history (fleet promote records it; a tenant without a"
          + " cluster block counts as verified when promoted)");
      return t.toString();
    }
  }

  /** Options shared by the commands that write: repository, signing, audit, gate inputs, cluster connection. */
  abstract static class Writing {

    @Spec CommandSpec spec;
    @Mixin RepositoryOptions repository;
    @Mixin OutputOptions output;
    @Mixin AuditOptions audit;
    @Mixin GateOptions gate;
    @Mixin ClusterConnectionOptions cluster;

    @Option(names = "--fleet", required = true, paramLabel = "FLEET", description = "Fleet (see 'fleets').")
    String fleet;

    @Option(names = "--dry-run-reports", paramLabel = "DIR",
        description = "Per-tenant dry-run evidence: DIR/<tenant>/dry-run.json (and its .sig), as 'fleet dry-run'"
            + " writes it.")
    Path dryRunReports;

    @Option(names = "--restore-points", paramLabel = "DIR",
        description = "Per-tenant restore points: DIR/<tenant>/restore-point.json (and its .sig), as 'fleet"
            + " restore-point take' writes them; each accepted point is committed with its tenant's promotion.")
    Path restorePoints;

    @Option(names = "--wait", paramLabel = "DURATION",
        description = "Wait up to DURATION (30m, 2h, PT4H; at most 1 day) for soaks and freezes that end within it,"
            + " and keep going (default: do what can be done now and stop).")
    String waitFor;

    @Option(names = "--history-limit", paramLabel = "N", defaultValue = "" + FleetHistory.DEFAULT_LIMIT,
        description = "Read at most N history entries per tenant (default: ${DEFAULT-VALUE}).")
    int historyLimit;

    FleetRollout rollout(GitOpsRepository repo) {
      if (gate.overrideJustification != null) {
        throw ReleaseException.badInput("fleet commands do not override freezes: frozen tenants are queued and"
            + " promoted by a later run once they open; to override one tenant's freeze, use 'odoo-gitops promote"
            + " --env TENANT --override-justification ...'");
      }
      if (dryRunReports != null && gate.dryRunReport != null) {
        throw ReleaseException.badInput("--dry-run-report and --dry-run-reports exclude each other: give every"
            + " tenant its own report with --dry-run-reports DIR");
      }
      if (gate.restorePoint != null) {
        throw ReleaseException.badInput("fleet commands take no --restore-point: a point belongs to one tenant;"
            + " give every tenant its own with --restore-points DIR ('odoo-gitops fleet restore-point take')");
      }
      GateCheck.Inputs shared = gate.inputs(null);
      Function<String, GateCheck.Inputs> perTenant = dryRunReports == null ? tenant -> shared
          : FleetRollout.dryRunReports(dryRunReports, shared);
      GateCheck gateCheck = gate.check(zone -> audit.clock().instant(), null);
      PromotionEngine engine = audit.engine(repo, spec, gateCheck);
      PrintWriter err = spec.commandLine().getErr();
      FleetRollout.Builder b = FleetRollout.builder(engine, repo)
          .gateInputs(restorePoints == null ? perTenant : FleetRestorePoints.gateInputs(restorePoints, perTenant))
          .verifier(TenantVerifier.cluster(clusterSpec -> cluster.connection().open(), line -> {
            err.println(line);
            err.flush();
          }))
          .initiatorClaim(audit.initiator())
          .reason(audit.reason)
          .buildUrl(audit.buildUrl)
          .clock(audit.clock())
          .historyLimit(historyLimit)
          .progress(line -> {
            err.println(line);
            err.flush();
          });
      if (waitFor != null) {
        b.waitUpTo(waitDuration(waitFor));
      }
      return b.build();
    }

    static Duration waitDuration(String text) {
      try {
        return io.odoogitops.config.HumanDuration.parse(text);
      } catch (RuntimeException e) {
        throw ReleaseException.badInput("--wait " + text + " is not a duration; use 30m, 2h, 1h30m or PT4H");
      }
    }

    int print(FleetAdvance advance) {
      output.print(spec.commandLine().getOut(), advance, advanceText(advance));
      return advance.exitCode();
    }
  }

  /** A command that advances a rollout of one image and prints where it stands. */
  abstract static class Advancing extends Writing implements Callable<Integer> {

    @Option(names = "--image", required = true, paramLabel = "REF@sha256:HEX", converter = ImageConverters.Pinned.class,
        description = "Image to roll out.")
    ImageRef image;

    abstract FleetAdvance advance(FleetRollout rollout, ImageRef ref);

    @Override
    public Integer call() {
      ImageRef ref = image;
      try (GitOpsRepository repo = repository.open()) {
        return print(advance(rollout(repo), ref));
      }
    }
  }

  /** {@code fleet promote}: advance the rollout as far as it may go now. */
  @Command(name = "promote", description = "Advance the rollout of a digest as far as it may go now: promote the"
      + " current wave's open tenants (one commit each, one push), verify them, queue frozen ones, and start the"
      + " next wave once the wave is verified and soaked. Exit 1 when the rollout is halted.")
  static final class Promote extends Advancing {

    @Override
    FleetAdvance advance(FleetRollout rollout, ImageRef ref) {
      return rollout.advance(fleet, ref);
    }
  }

  /** {@code fleet resume}: clear a halt and advance. */
  @Command(name = "resume", description = "Record that the halt of a rollout is cleared (--reason: what was fixed)"
      + " and advance it; tenants that failed are promoted again.")
  static final class Resume extends Advancing {

    @Override
    FleetAdvance advance(FleetRollout rollout, ImageRef ref) {
      return rollout.resume(fleet, ref, audit.reason);
    }
  }

  /** {@code fleet rollback}: every tenant the fleet promoted back to its previous digest. */
  @Command(name = "rollback", description = "Return every tenant that runs the fleet's digest (promoted by the"
      + " fleet) to its previous digest, one rollback commit each, in one push; allowed during freezes. Halts the"
      + " rollout until 'fleet resume'.")
  static final class Rollback extends Writing implements Callable<Integer> {

    @Option(names = "--image", paramLabel = "REF@sha256:HEX", converter = ImageConverters.Pinned.class,
        description = "Digest to roll back (default: the newest one a commit with 'Fleet: FLEET' promoted).")
    ImageRef image;

    @Override
    public Integer call() {
      ImageDigest digest = image == null ? null : image.digest();
      try (GitOpsRepository repo = repository.open()) {
        FleetRollbackResult result = rollout(repo).rollback(fleet, digest, audit.reason);
        StringBuilder t = new StringBuilder(result.message());
        result.rolledBack().forEach(s -> t.append("\n  ").append(s.tenant()).append(" (").append(s.wave())
            .append("): ").append(s.commit() == null ? "-" : s.commit().substring(0, 12)).append(' ')
            .append(s.detail()));
        output.print(spec.commandLine().getOut(), result, t.toString());
        return 0;
      }
    }
  }

  static String advanceText(FleetAdvance a) {
    StringBuilder t = new StringBuilder();
    t.append("fleet ").append(a.fleet()).append(": ").append(a.application()).append('@')
        .append(ImageDigest.shortForm(a.digest())).append(" - ").append(a.outcome().name().toLowerCase(Locale.ROOT))
        .append(": ").append(a.message()).append('\n');
    steps(t, "promoted", a.promoted());
    steps(t, "verified", a.verified());
    steps(t, "FAILED", a.failed());
    steps(t, "superseded", a.superseded());
    a.queued().forEach(q -> t.append("  queued ").append(q.tenant()).append(" (").append(q.wave())
        .append("): frozen until ").append(when(q.opensAt())).append(" (").append(String.join(", ", q.frozenBy()))
        .append(")\n"));
    if (a.nextWave() != null) {
      t.append("  next wave: ").append(a.nextWave()).append(a.nextWaveAt() == null
          ? " (once the current wave is promoted and verified)" : " may start at " + when(a.nextWaveAt()))
          .append('\n');
    }
    t.append('\n').append(Status.text(a.state()));
    return t.toString();
  }

  private static void steps(StringBuilder t, String what, List<FleetAdvance.TenantStep> steps) {
    steps.forEach(s -> t.append("  ").append(what).append(' ').append(s.tenant()).append(" (").append(s.wave())
        .append(")").append(s.commit() == null ? "" : " " + s.commit().substring(0, 12)).append(": ")
        .append(s.detail()).append('\n'));
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

  /**
   * The clock a query answers on: {@code --at} (a local time read in the configuration's zone), else now. The
   * configuration is read for its zone only when {@code --at} is given, as that read is a fetch of its own.
   */
  static Clock clock(AtOption at, PromotionEngine engine) {
    Instant when = at.given() ? at.instant(ZoneId.of(engine.queries().config().timeZone())) : Instant.now();
    return Clock.fixed(when, ZoneOffset.UTC);
  }
}
