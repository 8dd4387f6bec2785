package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.LaterRevision;
import io.odoogitops.cluster.LaterRevisions;
import io.odoogitops.cluster.RollbackTrigger;
import io.odoogitops.cluster.VerificationReport;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.config.WaveSpec;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.gitops.BatchResult;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.LandingCheck;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.PromotionResult;
import io.odoogitops.gitops.RecordCommit;
import io.odoogitops.gitops.RollbackRequest;
import io.odoogitops.gitops.Snapshot;
import io.odoogitops.gitops.Trailers;
import io.odoogitops.policy.ConfigGroupDirectory;
import io.odoogitops.policy.Decision;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.GroupDirectory;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.RuleResult;
import io.odoogitops.policy.Trailer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Rolls one digest across a fleet, wave after wave, as far as it may go now; every fact it acts on is read from the
 * GitOps repository (promotions, their {@code Fleet:}/{@code Wave:} trailers, and the record commits under
 * {@code .odoo-gitops/fleets/<fleet>/}), so any machine can run the next step and racing runs never promote a tenant
 * twice: promotion ids are derived from (fleet, digest, tenant, resumes so far) and the engine never lands an id twice.
 *
 * <p>One {@link #advance} run: refuses while a halt is recorded; finds the current wave (the first not yet promoted,
 * verified and soaked); verifies tenants promoted earlier but not yet verified; promotes the wave's open tenants whose
 * gate allows, as one chain of commits in one push (tenants with a {@code cluster:} block at most {@code maxParallel}
 * at a time, each group verified before the next); queues frozen tenants; records every verification; and moves on to
 * the next wave once the wave is verified and its soak has passed. A gate refusal other than a freeze, a failed
 * dry-run report or a failed verification halts the rollout (recorded; the failed tenant rolled back when the fleet
 * says {@code autoRollback: true}).
 */
public final class FleetRollout {

  /** The longest {@code --wait}: a day, so a forgotten job does not block a CI executor for a week. */
  public static final Duration MAX_WAIT = Duration.ofDays(1);

  private final PromotionEngine engine;
  private final GitOpsRepository repository;
  private final Function<String, GateCheck.Inputs> gateInputs;
  private final TenantVerifier verifier;
  private final Clock clock;
  private final String initiator;
  private final boolean initiatorClaimed;
  private final String reason;
  private final String buildUrl;
  private final String sourceRevision;
  private final Consumer<String> progress;
  private final Duration wait;
  private final int historyLimit;
  private final Function<ReleaseConfig, GroupDirectory> directory;
  /** Each tenant's gate, built once per run: its inputs are read (files, signatures) once. */
  private final Map<String, GateCheck> gates = new ConcurrentHashMap<>();
  private final Map<String, GateCheck.Inputs> inputs = new ConcurrentHashMap<>();

  private FleetRollout(Builder b) {
    this.engine = b.engine;
    this.repository = b.repository;
    this.gateInputs = b.gateInputs;
    this.verifier = b.verifier;
    this.clock = b.clock;
    this.initiator = b.initiator;
    this.initiatorClaimed = b.initiatorClaimed;
    this.reason = b.reason;
    this.buildUrl = b.buildUrl;
    this.sourceRevision = b.sourceRevision;
    this.progress = b.progress;
    this.wait = b.wait;
    this.historyLimit = b.historyLimit;
    this.directory = b.directory;
  }

  /**
   * @param engine the engine commits go through (its committer, signer, retry deadline and clock; its landing check is
   *     not used for promotions, which each tenant's own gate checks, but is for rollbacks)
   * @param repository the repository the engine works on
   */
  public static Builder builder(PromotionEngine engine, GitOpsRepository repository) {
    return new Builder(engine, repository);
  }

  /**
   * Advances the rollout of {@code image} across fleet {@code fleet} as far as it may go now (and, with
   * {@link Builder#waitUpTo}, keeps going through soaks and freezes that end within the wait).
   *
   * @throws io.odoogitops.ReleaseException bad input (unknown fleet, an image not of the fleet's application),
   *     infrastructure (git, cluster unreachable); a halt is a result ({@link FleetAdvance.Outcome#HALTED}), not an
   *     exception
   */
  public FleetAdvance advance(String fleet, ImageRef image) {
    return run(fleet, image);
  }

  /**
   * Records that the halt of the rollout of {@code image} is cleared ({@code reason}, the builder's initiator) and
   * advances. Refused when no halt is in force. Tenants that failed are promoted again under fresh promotion ids.
   */
  public FleetAdvance resume(String fleet, ImageRef image, String reason) {
    if (reason == null || reason.isBlank()) {
      throw ReleaseException.badInput("fleet resume needs --reason: what was fixed, for the record");
    }
    View view = read(fleet, image.digest());
    requireApplicationImage(view, image);
    if (view.records().halt() == null) {
      throw ReleaseException.refused("the rollout of " + image.shortDigest() + " across fleet '" + fleet + "' is not"
          + " halted, so there is nothing to resume; run 'odoo-gitops fleet promote' to advance it");
    }
    Optional<String> recorded = engine.record(snapshot -> {
      FleetRecords now = FleetRecords.read(repository, snapshot, fleet, image.digest(), view.policy().zone());
      // Another run may have resumed meanwhile: one resume per halt.
      return now.halt() == null ? List.of() : List.of(FleetRecords.resume(fleet, image.digest(), reason,
          now.resumes() + 1, clock.instant(), who()));
    });
    recorded.ifPresent(commit -> progress.accept("fleet " + fleet + ": halt cleared (" + reason.strip()
        + "), record " + commit.substring(0, 12)));
    releaseFleetHolds(view, image.digest(), reason.strip());
    return run(fleet, image);
  }

  /**
   * A resume is the decision to carry on with this digest: the holds that this fleet's own rollbacks set on it (an
   * auto-rollback after a failed verification) would refuse it again, so they are released, each in its own audited
   * release commit named after the rollback (a re-run releases nothing twice). Holds set by anyone else's rollback stay.
   */
  private void releaseFleetHolds(View view, ImageDigest digest, String reason) {
    String fleet = view.fleet().name();
    String application = view.fleet().application();
    for (Fleet.Tenant tenant : view.fleet().tenants()) {
      TenantFacts facts = view.facts().getOrDefault(tenant.name(), TenantFacts.NONE);
      for (io.odoogitops.gitops.Hold hold : io.odoogitops.gitops.Holds.of(view.snapshot(), tenant.name(),
          application)) {
        boolean ours = digest.equals(hold.digest()) && facts.history().stream().anyMatch(c -> c.entry().isRollback()
            && fleet.equals(c.fleet()) && c.entry().commitId().equals(hold.rollbackCommit()));
        if (!ours) {
          continue;
        }
        String id = (hold.rollbackId() + "-released");
        id = id.length() > 128 ? id.substring(id.length() - 128).replaceFirst("^[^A-Za-z0-9]+", "") : id;
        PromotionResult released = engine.releaseHold(new io.odoogitops.gitops.HoldReleaseRequest(tenant.name(),
            application, digest, "fleet resume of '" + fleet + "': " + reason, initiator, initiatorClaimed, buildUrl,
            id));
        progress.accept("fleet " + fleet + ": " + released.message());
      }
    }
  }

  /**
   * Returns every tenant that runs the fleet's digest (its promotion carries {@code Fleet: fleet}) to its previous
   * digest, one rollback commit per tenant with {@code Fleet:}/{@code Wave:} trailers, in one push; rollbacks pass
   * freezes as usual. Records a halt, so that no later run promotes the digest again before {@code fleet resume}.
   *
   * @param digest the digest to roll back; null: the newest one a commit with {@code Fleet: fleet} promoted
   */
  public FleetRollbackResult rollback(String fleet, ImageDigest digest, String reason) {
    if (reason == null || reason.isBlank()) {
      throw ReleaseException.badInput("fleet rollback needs --reason: why the release is taken back, for the record");
    }
    View view = read(fleet, digest);
    ImageDigest d = view.state().digest();
    List<RollbackRequest> requests = new ArrayList<>();
    Map<String, String> waveOf = new LinkedHashMap<>();
    for (Fleet.Wave wave : view.fleet().waves()) {
      for (Fleet.Tenant tenant : wave.tenants()) {
        TenantFacts facts = view.facts().getOrDefault(tenant.name(), TenantFacts.NONE);
        boolean byThisFleet = facts.history().stream().anyMatch(c -> !c.entry().isRollback()
            && d.equals(c.entry().digest()) && fleet.equals(c.fleet()));
        if (d.equals(facts.running()) && byThisFleet) {
          requests.add(RollbackRequest.builder(tenant.name(), view.fleet().application()).reason(reason.strip())
              .initiator(initiator, initiatorClaimed).buildUrl(buildUrl)
              .promotionId(id(fleet, d, tenant.name(), "rollback", view.records().resumes())).build());
          waveOf.put(tenant.name(), wave.name());
        }
      }
    }
    // The halt lands first: a promote run that read the state before it must not carry the digest on to tenants
    // this rollback no longer sees.
    String why = "rolled back by 'fleet rollback': " + reason.strip();
    engine.record(snapshot -> {
      FleetRecords now = FleetRecords.read(repository, snapshot, fleet, d, view.policy().zone());
      return now.halt() != null && now.halt().reason().equals(FleetRecords.oneLine(why)) ? List.of()
          : List.of(FleetRecords.halt(fleet, d, null, null, why, null, clock.instant(), who()));
    });
    BatchResult batch = engine.rollbackAll(requests, r -> List.of(new Trailer(Trailers.FLEET, fleet),
        new Trailer(Trailers.WAVE, waveOf.get(r.environment()))));
    List<FleetAdvance.TenantStep> steps = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (BatchResult.Item item : batch.items()) {
      if (item.refused()) {
        refused.add(item.environment() + ": " + item.refusal().getMessage());
      } else {
        steps.add(new FleetAdvance.TenantStep(item.environment(), waveOf.get(item.environment()),
            item.result().commitId(), item.result().message()));
      }
    }
    if (!refused.isEmpty()) {
      throw ReleaseException.refused("fleet rollback of " + ImageDigest.shortForm(d) + " in fleet '" + fleet
          + "': " + steps.size() + " tenant(s) rolled back, " + refused.size() + " refused:\n  "
          + String.join("\n  ", refused) + "\nfix what is named and run 'fleet rollback' again (what landed is not"
          + " rolled back twice)");
    }
    return new FleetRollbackResult(fleet, view.fleet().application(), d, steps, batch.head(),
        steps.isEmpty() ? "no tenant of fleet '" + fleet + "' runs " + ImageDigest.shortForm(d) + " as promoted by"
            + " the fleet; nothing to roll back (the rollout is halted)"
            : "rolled back " + steps.size() + " tenant(s) of fleet '" + fleet + "' from " + ImageDigest.shortForm(d)
                + "; the rollout is halted until 'fleet resume'");
  }

  /**
   * Where the rollout of {@code digest} stands, as {@code fleet status} shows it, including verifications, soaks and
   * the halt read from the record commits.
   *
   * @param digest null: the newest one a commit with {@code Fleet: fleet} promoted
   */
  public FleetState status(String fleet, ImageDigest digest) {
    return shown(read(fleet, digest));
  }

  /**
   * Gate inputs per tenant: {@code shared} (votes, source author, override) with the tenant's own dry-run evidence,
   * {@code DIR/<tenant>/dry-run.json} and its {@code .sig} when present (the layout {@code fleet dry-run} writes);
   * without a report the tenant has no dry-run evidence.
   */
  public static Function<String, GateCheck.Inputs> dryRunReports(Path dir, GateCheck.Inputs shared) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw ReleaseException.badInput("--dry-run-reports " + dir + " is not a directory; pass the directory 'fleet"
          + " dry-run' wrote (one <tenant>/dry-run.json per tenant)");
    }
    return tenant -> {
      Path report = dir.resolve(tenant).resolve("dry-run.json");
      if (!Files.exists(report, LinkOption.NOFOLLOW_LINKS)) {
        return shared;
      }
      // JsonReport reads through InputFiles: links, FIFOs and oversize files are refused there.
      return new GateCheck.Inputs(shared.sourceAuthor(), shared.approvals(),
          Optional.of(JsonReport.evidence(report)), shared.override(), shared.ballots(), shared.authorIdentities());
    };
  }

  /**
   * The tenants of the rollout's current wave (the first not yet promoted, verified and soaked; the halted one when
   * halted) whose gate needs a restore point before {@code digest} reaches them, as the gate's rule reads the policy:
   * {@code restorePoint: required}, or {@code whenRestoreRequired} when the tenant's dry-run evidence of the digest
   * (the builder's gate inputs) says RESTORE_REQUIRED or no evidence says whether it does. A point taken now is taken
   * after that dry-run finished, as the rule asks. Tenants whose dry-run said FAIL get none: the rollout halts there.
   */
  public FleetRestorePoints.Selection restorePointsNeeded(String fleet, ImageDigest digest) {
    View view = read(fleet, digest);
    Map<String, FleetState.TenantState> rows = view.rows();
    Fleet.Wave current = currentWave(view).orElse(null);
    List<FleetRestorePoints.Needed> needed = new ArrayList<>();
    List<FleetRestorePoints.Skipped> skipped = new ArrayList<>();
    for (Fleet.Tenant tenant : current == null ? List.<Fleet.Tenant>of() : current.tenants()) {
      String name = tenant.name();
      io.odoogitops.config.EnvironmentSpec env = view.snapshot().config().environment(name);
      io.odoogitops.config.RestorePointPolicy policy = env.restorePoint();
      Optional<DryRunEvidence> report = inputs(name).dryRun().filter(e -> e.digest().equals(digest));
      // A report the gate would reject (dryRunSigners) says nothing here either: not FAIL, not compatible.
      Optional<String> refused = report.flatMap(e -> view.policy().dryRunSignatureProblem(name, e, view.now()));
      Optional<DryRunEvidence> dryRun = report.filter(e -> refused.isEmpty());
      String why;
      if (done(rows.get(name)) || digest.equals(rows.get(name).running())) {
        skipped.add(new FleetRestorePoints.Skipped(name, current.name(), "runs " + ImageDigest.shortForm(digest)
            + " already"));
        continue;
      } else if (policy == io.odoogitops.config.RestorePointPolicy.OFF) {
        skipped.add(new FleetRestorePoints.Skipped(name, current.name(), "asks for no restore point (restorePoint:"
            + " off)"));
        continue;
      } else if (rows.get(name).state() == FleetState.State.FROZEN) {
        // fleet promote only queues it: a backup or dump now loads its production database during its freeze and
        // is older than it need be when a later run promotes it
        FleetState.TenantState row = rows.get(name);
        skipped.add(new FleetRestorePoints.Skipped(name, current.name(), "frozen"
            + (row.frozenUntil() == null ? "" : " until " + WHEN.format(row.frozenUntil()))
            + (row.frozenBy().isEmpty() ? "" : " (" + String.join(", ", row.frozenBy()) + ")")
            + ": no point until its window opens"));
        continue;
      } else if (dryRun.isPresent() && dryRun.get().verdict() == io.odoogitops.policy.Verdict.FAIL) {
        skipped.add(new FleetRestorePoints.Skipped(name, current.name(), "its dry-run of "
            + ImageDigest.shortForm(digest) + " says FAIL: the rollout halts there, and a point protects nothing"));
        continue;
      } else if (policy.requires(dryRun.map(DryRunEvidence::restoreRequired).orElse(false))) {
        why = "restorePoint: " + policy.yamlName() + (dryRun.map(DryRunEvidence::restoreRequired).orElse(false)
            ? "; the dry-run said RESTORE_REQUIRED" : "");
      } else if (dryRun.isEmpty()) {
        why = "restorePoint: " + policy.yamlName() + "; " + refused.map(r -> "its gate would not take the dry-run"
            + " report of " + ImageDigest.shortForm(digest) + " (" + r + "), so none")
            .orElse("no dry-run report of " + ImageDigest.shortForm(digest)) + " says whether it is RESTORE_REQUIRED";
      } else {
        skipped.add(new FleetRestorePoints.Skipped(name, current.name(), "the dry-run says the previous image can"
            + " run on the migrated schema (restorePoint: " + policy.yamlName() + ")"));
        continue;
      }
      needed.add(new FleetRestorePoints.Needed(name, current.name(), env, why));
    }
    return new FleetRestorePoints.Selection(fleet, view.fleet().application(), view.state().digest(),
        current == null ? null : current.name(), needed, skipped);
  }

  /**
   * The plan of the rollout of {@code image} from where it stands now: the state read as {@link #status} and
   * {@link #advance} read it (promotions, verifications, soaks, the halt, holds), and each tenant's gate decided as
   * {@link #advance} decides it (votes in the repository, the builder's gate inputs).
   *
   * @param dryRunReports whether the builder's gate inputs carry dry-run reports ({@link #dryRunReports}); without,
   *     the plan says they were not read
   */
  public FleetPlan plan(String fleet, ImageRef image, boolean dryRunReports) {
    View view = read(fleet, image.digest());
    requireApplicationImage(view, image);
    FleetState state = shown(view);
    // Nobody promotes yet: without an initiator the gate is asked for a promotion by the plan itself, which four-eyes
    // bars from approving, as it bars whoever runs fleet promote later.
    boolean nobody = initiator == null || initiator.isBlank();
    Function<String, Decision> decide = tenant -> gate(tenant).decide(view.snapshot(), promotion(view,
        view.fleet().waveOf(tenant), tenant, image, nobody ? FleetPlanner.INITIATOR : initiator,
        nobody || initiatorClaimed));
    return FleetPlanner.plan(view.fleet(), view.policy(), image.digest(), view.now(), view.policy().zone(),
        new FleetPlanner.Known(state, view.clustered(), decide, dryRunReports ? t -> inputs(t).dryRun() : null));
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static final java.time.format.DateTimeFormatter WHEN =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", java.util.Locale.ROOT);

  /** At most this many steps in one run; each step lands or records something, so a run never spins. */
  private static final int MAX_STEPS = 10_000;

  /** Everything one step decides on, read from one snapshot of the branch head. */
  private record View(Snapshot snapshot, Fleet fleet, ReleasePolicy policy, Map<String, TenantFacts> facts,
      FleetRecords records, Set<String> clustered, FleetState state, Instant now) {

    Map<String, FleetState.TenantState> rows() {
      Map<String, FleetState.TenantState> rows = new LinkedHashMap<>();
      state.tenants().forEach(t -> rows.put(t.tenant(), t));
      return rows;
    }
  }

  private View read(String fleet, ImageDigest digest) {
    return engine.queries().atHead(snapshot -> {
      ReleaseConfig config = snapshot.config();
      Fleet resolved = Fleet.of(config, fleet);
      ReleasePolicy policy = ReleasePolicy.of(config, directory.apply(config), snapshot.policyFiles());
      Map<String, TenantFacts> facts = FleetHistory.read(repository, snapshot, resolved, historyLimit);
      ImageDigest d = digest != null ? digest : FleetState.latestDigest(fleet, facts).orElseThrow(() ->
          ReleaseException.badInput("no commit with 'Fleet: " + fleet + "' in the last " + historyLimit
              + " history entries of any tenant, so there is no rollout to report; pass --image"
              + " REF@sha256:... to see where a digest stands"));
      FleetRecords records = FleetRecords.read(repository, snapshot, fleet, d, policy.zone());
      Set<String> clustered = resolved.clustered(config);
      Instant now = clock.instant();
      return new View(snapshot, resolved, policy, facts, records, clustered,
          FleetState.of(resolved, d, facts, policy, now, records, clustered, snapshot.trusted()), now);
    });
  }

  /** The first wave not every tenant of which is done (promoted, verified, soaked); empty when the rollout is. */
  private static Optional<Fleet.Wave> currentWave(View view) {
    Map<String, FleetState.TenantState> rows = view.rows();
    return view.fleet().waves().stream().filter(w -> !w.tenants().stream().allMatch(t -> done(rows.get(t.name()))))
        .findFirst();
  }

  /**
   * The view's state with the holds in force in every tenant, read at the view's commit. Only what is shown needs
   * them (the gate reads each tenant's holds itself), so a run reads them once, for its result, not at every step.
   */
  private FleetState shown(View view) {
    Snapshot snapshot = view.snapshot();
    List<FleetState.TenantHold> holds = new ArrayList<>();
    for (Fleet.Tenant tenant : view.fleet().tenants()) {
      for (io.odoogitops.gitops.Hold hold : io.odoogitops.gitops.Holds.of(snapshot, tenant.name(),
          view.fleet().application())) {
        holds.add(new FleetState.TenantHold(tenant.name(), hold.digest(), hold.rollbackCommit(),
            hold.since().atZone(tenant.zone()), hold.releaseCommand()));
      }
    }
    return view.state().withHolds(holds);
  }

  /**
   * A digest this fleet promoted before, while a newer fleet promotion released another one, is a finished (or
   * abandoned) rollout: carrying it on would send later waves a release their canary has already moved past, with no
   * soak of it there.
   */
  private static void requireNotSuperseded(View view, ImageRef image) {
    requireNotSuperseded(view.fleet().name(), view.facts(), image);
  }

  private static void requireNotSuperseded(String fleet, Map<String, TenantFacts> facts, ImageRef image) {
    Optional<ImageDigest> latest = FleetState.latestDigest(fleet, facts);
    boolean promotedBefore = facts.values().stream().flatMap(f -> f.history().stream())
        .anyMatch(c -> !c.entry().isRollback() && fleet.equals(c.fleet()) && image.digest().equals(c.entry().digest()));
    if (promotedBefore && latest.isPresent() && !latest.get().equals(image.digest())) {
      throw ReleaseException.refused("fleet '" + fleet + "' has released " + ImageDigest.shortForm(latest.get())
          + " since it promoted " + image.shortDigest() + ", so the rollout of " + image.shortDigest() + " is over;"
          + " nothing was promoted. Carry on with the newer release (fleet promote --image …@" + latest.get() + ")");
    }
  }

  /**
   * What another run may have recorded since {@code view} was read, re-read on {@code head}, the branch head a wave is
   * about to land on (each round of the wave's compare-and-swap push, so also after the branch moved): a halt
   * (another run's failure, {@code fleet rollback}) or a newer release of the fleet refuses the whole wave, so that
   * nothing lands behind it. The view's own head was checked when the view was read.
   */
  private void recheck(View view, ImageRef image, Snapshot head) {
    if (head.commitId().equals(view.snapshot().commitId())) {
      return;
    }
    String fleet = view.fleet().name();
    FleetState.Halt halt = FleetRecords.read(repository, head, fleet, image.digest(), view.policy().zone()).halt();
    if (halt != null) {
      throw new HaltedMeanwhile(halt);
    }
    requireNotSuperseded(fleet, FleetHistory.read(repository, head, view.fleet(), historyLimit), image);
  }

  /** A halt another run recorded while this run landed a wave: nothing of the wave landed. */
  private static final class HaltedMeanwhile extends ReleaseException {
    private static final long serialVersionUID = 1L;

    HaltedMeanwhile(FleetState.Halt halt) {
      super(Kind.REFUSED, "another run halted the rollout while this run landed a wave (record "
          + halt.commit().substring(0, 12) + ": " + halt.reason() + "); nothing of the wave was pushed");
    }
  }

  private static void requireApplicationImage(View view, ImageRef image) {
    requireApplicationImage(view.snapshot().config(), view.fleet(), image);
  }

  static void requireApplicationImage(ReleaseConfig config, Fleet fleet, ImageRef image) {
    String expected = config.application(fleet.application()).image();
    if (!image.sameRepository(expected)) {
      throw ReleaseException.badInput("image " + image.pinned() + " is not from the repository of application '"
          + fleet.application() + "' (" + expected + "), which fleet '" + fleet.name() + "' releases;"
          + " pass an image of " + expected);
    }
  }

  /** The trailers saying who ran this step, for record commits. */
  private List<Trailer> who() {
    if (initiator == null || initiator.isBlank()) {
      return List.of();
    }
    return List.of(new Trailer(initiatorClaimed ? Trailers.INITIATED_BY_CLAIM : Trailers.INITIATED_BY, initiator));
  }

  /**
   * The promotion id of one tenant's promotion in a rollout: the same on every machine and in every run, so the
   * engine finds it when another run landed it; a new one after each resume, so a tenant that failed can be
   * promoted again.
   */
  static String id(String fleet, ImageDigest digest, String tenant, String purpose, int resumes) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] hash = sha.digest(String.join("\n", fleet, digest.value(), tenant, purpose, Integer.toString(resumes))
          .getBytes(StandardCharsets.UTF_8));
      return "fleet-" + HexFormat.of().formatHex(hash).substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private GateCheck.Inputs inputs(String tenant) {
    return inputs.computeIfAbsent(tenant, gateInputs);
  }

  private GateCheck gate(String tenant) {
    return gates.computeIfAbsent(tenant, t -> new GateCheck(inputs(t), zone -> clock.instant(), directory));
  }

  private Promotion promotion(View view, Fleet.Wave wave, String tenant, ImageRef image) {
    return promotion(view, wave, tenant, image, initiator, initiatorClaimed);
  }

  private Promotion promotion(View view, Fleet.Wave wave, String tenant, ImageRef image, String who,
      boolean claimed) {
    Promotion.Builder b = Promotion.builder(tenant, view.fleet().application(), image)
        .promotionId(id(view.fleet().name(), image.digest(), tenant, "promote", view.records().resumes()))
        .reason(reason)
        .sourceRevision(sourceRevision)
        .buildUrl(buildUrl)
        .trailer(Trailers.FLEET, view.fleet().name())
        .trailer(Trailers.WAVE, wave.name());
    return claimed ? b.initiatorClaim(who).build() : b.initiator(who).build();
  }

  /** The failed rules of {@code decision} this wave requires: freeze windows always, the others as listed. */
  static List<RuleResult> requiredFailures(Fleet.Wave wave, Decision decision) {
    return decision.failures().stream().filter(r -> switch (r.rule()) {
      case "freeze" -> true;
      case "rejections" -> wave.rules().contains("approvals");
      // Rules a wave can leave out are listed in WaveSpec.RULES; any other rule (holds, restore points) applies.
      default -> !WaveSpec.RULES.contains(r.rule()) || wave.rules().contains(r.rule());
    }).toList();
  }

  /** What the gate says about one tenant: open and allowed, frozen (queued), or failed (halts the rollout). */
  private record Verdict(boolean frozen, String failure) {}

  private Verdict judge(View view, Fleet.Wave wave, String tenant, Promotion promotion) {
    Optional<DryRunEvidence> dryRun = inputs(tenant).dryRun();
    // A FAIL of another digest (last night's report left in the directory) says nothing of this release: the gate's
    // dry-run rule judges that report as evidence of the wrong digest.
    if (dryRun.isPresent() && dryRun.get().verdict() == io.odoogitops.policy.Verdict.FAIL
        && dryRun.get().digest().equals(promotion.image().digest())) {
      return new Verdict(false, "the dry-run report of " + tenant + " says FAIL");
    }
    // A frozen tenant waits whatever else its gate says: the gate is asked again, in full, once it opens.
    if (TenantFreeze.of(view.policy().schedule(tenant), view.now()).frozen()) {
      return new Verdict(true, null);
    }
    Decision decision = gate(tenant).decide(view.snapshot(), promotion);
    List<RuleResult> failed = requiredFailures(wave, decision);
    if (failed.stream().anyMatch(r -> r.rule().equals("freeze"))) {
      return new Verdict(true, null);
    }
    if (!failed.isEmpty()) {
      return new Verdict(false, refusal(view, tenant, promotion.image().digest(), failed));
    }
    return new Verdict(false, null);
  }

  /**
   * Why the gate of {@code tenant} refused; a failed restore-point rule also names the fleet's way to give every
   * tenant its point, since the single-environment command the rule names does not fit a rollout.
   */
  private static String refusal(View view, String tenant, ImageDigest digest, List<RuleResult> failed) {
    String text = "the gate of " + tenant + " refused: " + failed.stream().map(r -> r.rule() + ": " + r.reason())
        .collect(Collectors.joining("; "));
    if (failed.stream().noneMatch(r -> r.rule().equals("restore-point"))) {
      return text;
    }
    return text + "; for the fleet: 'odoo-gitops fleet restore-point take --fleet " + view.fleet().name()
        + " --digest " + digest + " --out DIR', then 'odoo-gitops fleet resume --fleet " + view.fleet().name()
        + " --restore-points DIR …'";
  }

  /** The accumulated steps of one run. */
  private static final class Steps {
    final List<FleetAdvance.TenantStep> promoted = new ArrayList<>();
    final List<FleetAdvance.TenantStep> verified = new ArrayList<>();
    final List<FleetAdvance.TenantStep> failed = new ArrayList<>();
    final List<FleetAdvance.TenantStep> superseded = new ArrayList<>();

    boolean any() {
      return !promoted.isEmpty() || !verified.isEmpty();
    }
  }

  private FleetAdvance run(String fleet, ImageRef image) {
    Instant deadline = clock.instant().plus(wait);
    Steps steps = new Steps();
    for (int step = 0; step < MAX_STEPS; step++) {
      View view = read(fleet, image.digest());
      requireApplicationImage(view, image);
      requireNotSuperseded(view, image);
      if (view.records().halt() != null) {
        FleetState.Halt halt = view.records().halt();
        return result(view, steps, FleetAdvance.Outcome.HALTED, "the rollout is halted: " + halt.reason()
            + " (record " + halt.commit().substring(0, 12) + "); fix it and run 'odoo-gitops fleet resume'",
            List.of(), null, null);
      }
      Map<String, FleetState.TenantState> rows = view.rows();
      Fleet.Wave current = currentWave(view).orElse(null);
      if (current == null) {
        return result(view, steps, FleetAdvance.Outcome.COMPLETE, "every tenant of fleet '" + fleet + "' runs "
            + image.shortDigest() + ", verified", List.of(), null, null);
      }
      if (current.index() > 0) {
        Fleet.Wave previous = view.fleet().waves().get(current.index() - 1);
        Instant soakEnd = soakEnd(previous, rows);
        if (view.now().isBefore(soakEnd)) {
          if (!soakEnd.isAfter(deadline) && sleepUntil(soakEnd, "the soak of wave " + previous.name())) {
            continue;
          }
          return result(view, steps, steps.any() ? FleetAdvance.Outcome.ADVANCED : FleetAdvance.Outcome.WAITING,
              "wave " + previous.name() + " is verified and soaking; wave " + current.name() + " may start at "
                  + WHEN.format(soakEnd.atZone(view.policy().zone())), List.of(), current.name(),
              soakEnd.atZone(view.policy().zone()));
        }
      }
      Fleet.Wave wave = current;
      List<String> outside = wave.tenants().stream().map(Fleet.Tenant::name)
          .filter(t -> rows.get(t).state() == FleetState.State.CHANGED_OUTSIDE).toList();
      if (!outside.isEmpty()) {
        // Under a trust root only a signed promotion moves a wave on; an unsigned push naming the digest is a failure.
        String why = outside.stream().map(t -> t + ": " + rows.get(t).failure()).collect(Collectors.joining("; "));
        halt(view, image, outside.get(0), wave, why, null);
        steps.failed.add(new FleetAdvance.TenantStep(outside.get(0), wave.name(), null, why));
        return halted(fleet, image, steps);
      }
      // Promoted before (by a run that ended, or crashed, before verifying): verify first.
      List<String> unverified = wave.tenants().stream().map(Fleet.Tenant::name)
          .filter(t -> view.clustered().contains(t) && image.digest().equals(rows.get(t).running())
              && rows.get(t).state() != FleetState.State.VERIFIED && rows.get(t).state() != FleetState.State.SOAKING)
          .toList();
      if (!unverified.isEmpty()) {
        Map<String, String> commits = new LinkedHashMap<>();
        unverified.forEach(t -> commits.put(t, rows.get(t).promotion() == null ? null
            : rows.get(t).promotion().commit()));
        // The controller syncs the branch head, which contains the promotions.
        if (verify(view, wave, image, commits, view.snapshot().commitId(), steps)) {
          continue;
        }
        return halted(fleet, image, steps);
      }
      List<FleetAdvance.Queued> queued = new ArrayList<>();
      List<Promotion> open = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      String firstFailed = null;
      for (Fleet.Tenant tenant : wave.tenants()) {
        FleetState.TenantState row = rows.get(tenant.name());
        if (done(row) || image.digest().equals(row.running())) {
          continue;
        }
        Promotion promotion = promotion(view, wave, tenant.name(), image);
        boolean landedBefore = view.facts().getOrDefault(tenant.name(), TenantFacts.NONE).history().stream()
            .anyMatch(c -> c.entry().promotionId().equals(promotion.promotionId()));
        if (landedBefore) {
          // This run's promotion landed and no longer runs: a rollback took it away outside this run.
          failures.add(tenant.name() + ": the fleet promoted it and it was rolled back since ("
              + (row.rollback() == null ? "by another change" : "commit " + row.rollback().commit().substring(0, 12))
              + "); resume to promote it again");
          firstFailed = firstFailed == null ? tenant.name() : firstFailed;
          continue;
        }
        Verdict verdict = judge(view, wave, tenant.name(), promotion);
        if (verdict.frozen()) {
          queued.add(queued(view, wave, tenant));
        } else if (verdict.failure() != null) {
          failures.add(verdict.failure());
          firstFailed = firstFailed == null ? tenant.name() : firstFailed;
        } else {
          open.add(promotion);
        }
      }
      if (!failures.isEmpty()) {
        halt(view, image, firstFailed, wave, String.join("; ", failures), null);
        steps.failed.add(new FleetAdvance.TenantStep(firstFailed, wave.name(), null, String.join("; ", failures)));
        return halted(fleet, image, steps);
      }
      if (open.isEmpty()) {
        Optional<Instant> opens = queued.stream().map(FleetAdvance.Queued::opensAt).filter(Objects::nonNull)
            .map(ZonedDateTime::toInstant).min(Comparator.naturalOrder());
        if (opens.isPresent() && !opens.get().isAfter(deadline)
            && sleepUntil(opens.get(), "the freeze of " + queued.get(0).tenant())) {
          continue;
        }
        return result(view, steps, steps.any() ? FleetAdvance.Outcome.ADVANCED : FleetAdvance.Outcome.WAITING,
            queued.size() + " tenant(s) of wave " + wave.name() + " frozen; a later run promotes them when they"
                + " open", queued, null, null);
      }
      // Tenants without a cluster land together; tenants with one at most maxParallel at a time, each group verified
      // before the next lands, so a bad digest reaches no more than maxParallel clusters.
      List<Promotion> batch = new ArrayList<>();
      int clusteredInBatch = 0;
      for (Promotion p : open) {
        boolean clustered = view.clustered().contains(p.environment());
        if (!clustered || clusteredInBatch < wave.maxParallel()) {
          batch.add(p);
          clusteredInBatch += clustered ? 1 : 0;
        }
      }
      Map<String, Decision> decided = new ConcurrentHashMap<>();
      BatchResult landed;
      try {
        landed = engine.promoteAll(batch, new LandingCheck() {
          @Override
          public List<Trailer> check(Snapshot snapshot, Promotion promotion) {
            Decision decision = gate(promotion.environment()).decide(snapshot, promotion);
            decided.put(promotion.environment(), decision);
            List<RuleResult> failed = requiredFailures(wave, decision);
            if (!failed.isEmpty()) {
              throw ReleaseException.refused(refusal(view, promotion.environment(), promotion.image().digest(),
                  failed));
            }
            return decision.trailers();
          }

          @Override
          public Map<String, byte[]> evidence(Promotion promotion, List<Trailer> trailers) {
            // the tenant's restore point (and signature) in its promotion commit, as a single promote commits it
            return gate(promotion.environment()).evidence(promotion, trailers);
          }
        }, head -> recheck(view, image, head));
      } catch (HaltedMeanwhile e) {
        progress.accept("fleet " + fleet + ": " + e.getMessage());
        return halted(fleet, image, steps);
      }
      Map<String, String> toVerify = new LinkedHashMap<>();
      for (BatchResult.Item item : landed.items()) {
        if (item.refused()) {
          Decision decision = decided.get(item.environment());
          boolean frozen = decision != null && requiredFailures(wave, decision).stream()
              .anyMatch(r -> r.rule().equals("freeze"));
          if (frozen) {
            Fleet.Tenant tenant = wave.tenants().stream().filter(t -> t.name().equals(item.environment()))
                .findFirst().orElseThrow();
            queued.add(queued(view, wave, tenant));
          } else {
            failures.add(item.environment() + ": " + item.refusal().getMessage());
            firstFailed = firstFailed == null ? item.environment() : firstFailed;
          }
          continue;
        }
        PromotionResult r = item.result();
        if (r.outcome() == PromotionResult.Outcome.LANDED) {
          steps.promoted.add(new FleetAdvance.TenantStep(item.environment(), wave.name(), r.commitId(),
              r.message()));
          progress.accept("fleet " + fleet + ": " + r.message() + " (" + r.commitId().substring(0, 12) + ")");
        }
        if (view.clustered().contains(item.environment()) && r.commitId() != null) {
          toVerify.put(item.environment(), r.commitId());
        } else if (r.outcome() == PromotionResult.Outcome.LANDED) {
          steps.verified.add(new FleetAdvance.TenantStep(item.environment(), wave.name(), r.commitId(),
              "no cluster block: counts as verified when it lands"));
        }
      }
      if (!failures.isEmpty()) {
        halt(view, image, firstFailed, wave, String.join("; ", failures), null);
        steps.failed.add(new FleetAdvance.TenantStep(firstFailed, wave.name(), null, String.join("; ", failures)));
        return halted(fleet, image, steps);
      }
      // The controller syncs the head of the chain, which contains every promotion of the batch.
      if (!toVerify.isEmpty() && !verify(view, wave, image, toVerify, landed.head(), steps)) {
        return halted(fleet, image, steps);
      }
    }
    throw new ReleaseException(ReleaseException.Kind.INFRASTRUCTURE, "fleet " + fleet + ": the rollout did not"
        + " settle within " + MAX_STEPS + " steps; run 'odoo-gitops fleet status' and report this");
  }

  /** Whether a tenant needs nothing more from this rollout. */
  private static boolean done(FleetState.TenantState row) {
    return row.state() == FleetState.State.VERIFIED || row.state() == FleetState.State.SOAKING
        || row.state() == FleetState.State.SUPERSEDED;
  }

  /** When the wave after {@code wave} may start: its last verification plus its soak. */
  private static Instant soakEnd(Fleet.Wave wave, Map<String, FleetState.TenantState> rows) {
    return wave.tenants().stream().map(t -> rows.get(t.name()).verifiedAt()).filter(Objects::nonNull)
        .map(ZonedDateTime::toInstant).max(Comparator.naturalOrder()).orElse(Instant.EPOCH).plus(wave.soak());
  }

  private static FleetAdvance.Queued queued(View view, Fleet.Wave wave, Fleet.Tenant tenant) {
    TenantFreeze freeze = TenantFreeze.of(view.policy().schedule(tenant.name()), view.now());
    return new FleetAdvance.Queued(tenant.name(), wave.name(), freeze.windows(),
        freeze.opens().filter(o -> freeze.frozen()).map(o -> o.atZone(tenant.zone())).orElse(null));
  }

  /**
   * Verifies the tenants of {@code commits} (tenant to promotion commit) at {@code head}, the branch head that
   * contains their promotions and that the GitOps controller syncs; at most the wave's {@code maxParallel} at a time.
   * Records the results; on a failure also the halt, after rolling the failed tenants back when the fleet says so.
   *
   * @return whether every verification passed
   */
  private boolean verify(View view, Fleet.Wave wave, ImageRef image, Map<String, String> commits, String head,
      Steps steps) {
    String fleet = view.fleet().name();
    String application = view.fleet().application();
    Map<String, VerificationReport> reports = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(wave.maxParallel(), commits.size()));
    try {
      Map<String, Future<VerificationReport>> running = new LinkedHashMap<>();
      commits.forEach((tenant, commit) -> running.put(tenant, pool.submit(() -> {
        if (commit == null) {
          return null; // runs the digest without a promotion commit in the history read: nothing to verify against
        }
        progress.accept("fleet " + fleet + ": verifying " + tenant + " at " + head.substring(0, 12));
        return verifier.verify(tenant, view.snapshot().config().environment(tenant).cluster(), application, head,
            image.digest(), LaterRevisions.of(engine.queries()));
      })));
      ReleaseException failure = null;
      for (Map.Entry<String, Future<VerificationReport>> f : running.entrySet()) {
        try {
          reports.put(f.getKey(), f.getValue().get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof ReleaseException re) {
            failure = failure == null ? re : failure;
          } else {
            failure = failure == null ? ReleaseException.infrastructure("verifying " + f.getKey() + " failed: "
                + e.getCause(), e.getCause()) : failure;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw ReleaseException.infrastructure("interrupted while verifying fleet " + fleet, e);
        }
      }
      if (failure != null) {
        // What finished is recorded; the next run verifies the rest again.
        recordVerifications(view, wave, image, commits, reports);
        throw failure;
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> failed = new ArrayList<>();
    List<String> superseded = new ArrayList<>();
    reports.forEach((tenant, report) -> {
      if (report == null) {
        failed.add(tenant);
        steps.failed.add(new FleetAdvance.TenantStep(tenant, wave.name(), null, "runs the digest, but no promotion"
            + " commit of it is in the last " + historyLimit + " history entries, so it cannot be verified"));
      } else if (report.verified()) {
        steps.verified.add(new FleetAdvance.TenantStep(tenant, wave.name(), commits.get(tenant), "verified in "
            + report.duration().toSeconds() + " s"));
      } else if (report.superseded()) {
        superseded.add(tenant);
        steps.superseded.add(new FleetAdvance.TenantStep(tenant, wave.name(), replacedBy(report.supersededBy()),
            report.detail()));
      } else {
        failed.add(tenant);
      }
    });
    recordVerifications(view, wave, image, commits, reports);
    if (failed.isEmpty() && superseded.isEmpty()) {
      return true;
    }
    String rollback = null;
    Map<String, String> rolledBack = new LinkedHashMap<>();
    if (view.snapshot().config().fleet(fleet).rollsBack()) {
      List<RollbackRequest> requests = failed.stream().filter(t -> reports.get(t) != null)
          .map(t -> RollbackRequest.builder(t, view.fleet().application())
              .reason("fleet " + fleet + ": verification failed (" + RollbackTrigger.VERIFICATION_FAILED + ")")
              .initiator(initiator, initiatorClaimed).buildUrl(buildUrl)
              .promotionId(id(fleet, image.digest(), t, "auto-rollback", view.records().resumes())).build())
          .toList();
      BatchResult batch = engine.rollbackAll(requests, r -> List.of(new Trailer(Trailers.FLEET, fleet),
          new Trailer(Trailers.WAVE, wave.name())));
      for (BatchResult.Item item : batch.items()) {
        rolledBack.put(item.environment(), item.refused() ? "automatic rollback refused: "
            + FleetRecords.oneLine(item.refusal().getMessage()) : "rolled back in commit "
            + item.result().commitId().substring(0, 12));
        if (!item.refused()) {
          rollback = item.result().commitId();
          progress.accept("fleet " + fleet + ": " + item.result().message());
        }
      }
    }
    List<String> why = new ArrayList<>();
    // Someone else changed these tenants after the fleet promoted them: no rollback (it would undo their change), but
    // the wave is not verified, so the rollout stops until a person has looked.
    for (String tenant : superseded) {
      LaterRevision later = reports.get(tenant).supersededBy();
      why.add("tenant " + tenant + " was changed by commit " + replacedBy(later).substring(0, 12) + " after its"
          + " promotion: it runs " + ImageDigest.shortForm(later.digest()) + " instead of " + image.shortDigest()
          + " (a later promotion or a rollback), so it was neither verified nor rolled back");
    }
    for (String tenant : failed) {
      VerificationReport report = reports.get(tenant);
      String text = tenant + ": " + (report == null ? "runs the digest without a promotion commit in the history"
          : "verification failed (" + report.outcome() + "): " + report.detail())
          + (rolledBack.containsKey(tenant) ? "; " + rolledBack.get(tenant) : "");
      why.add(text);
      steps.failed.add(new FleetAdvance.TenantStep(tenant, wave.name(), rolledBack.containsKey(tenant)
          && rolledBack.get(tenant).startsWith("rolled back") ? rollback : null, text));
    }
    halt(view, image, failed.isEmpty() ? superseded.get(0) : failed.get(0), wave, String.join("; ", why), rollback);
    return false;
  }

  /** The commit that replaced a superseded promotion, or the later commit the controller synced when not known. */
  private static String replacedBy(LaterRevision later) {
    return later.changedBy() != null ? later.changedBy() : later.commit();
  }

  private void recordVerifications(View view, Fleet.Wave wave, ImageRef image, Map<String, String> commits,
      Map<String, VerificationReport> reports) {
    List<RecordCommit> records = new ArrayList<>();
    reports.forEach((tenant, report) -> {
      // A superseded promotion was neither verified nor failed: the halt records it.
      if (report != null && !report.superseded()) {
        records.add(FleetRecords.verification(view.fleet().name(), image.digest(), tenant, wave.name(),
            commits.get(tenant), report.verified(), report.verified() ? null : report.outcome() + ": "
                + report.detail(), clock.instant(), who()));
      }
    });
    if (!records.isEmpty()) {
      engine.record(snapshot -> records);
    }
  }

  /** Records a halt, unless another run recorded one meanwhile. */
  private void halt(View view, ImageRef image, String tenant, Fleet.Wave wave, String why, String rollback) {
    String fleet = view.fleet().name();
    progress.accept("fleet " + fleet + ": halted: " + FleetRecords.oneLine(why));
    engine.record(snapshot -> FleetRecords.read(repository, snapshot, fleet, image.digest(), view.policy().zone())
        .halt() != null ? List.of() : List.of(FleetRecords.halt(fleet, image.digest(), tenant, wave.name(), why,
            rollback, clock.instant(), who())));
  }

  private FleetAdvance halted(String fleet, ImageRef image, Steps steps) {
    View view = read(fleet, image.digest());
    FleetState.Halt halt = view.records().halt();
    return result(view, steps, FleetAdvance.Outcome.HALTED, "the rollout is halted: " + (halt == null ? "?"
        : halt.reason()) + "; fix it and run 'odoo-gitops fleet resume'", List.of(), null, null);
  }

  /** Blocks until {@code until} by the rollout's clock; false when the clock does not get there (a fixed clock). */
  private boolean sleepUntil(Instant until, String what) {
    Instant before = clock.instant();
    Duration left = Duration.between(before, until);
    progress.accept("waiting " + (left.toMinutes() < 2 ? left.toSeconds() + " s" : left.toMinutes() + " min")
        + " for " + what + " (until " + until + ", --wait)");
    try {
      Thread.sleep(Math.max(0, left.toMillis()) + 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ReleaseException.infrastructure("interrupted while waiting for " + what, e);
    }
    return !clock.instant().isBefore(until);
  }

  private FleetAdvance result(View view, Steps steps, FleetAdvance.Outcome outcome, String message,
      List<FleetAdvance.Queued> queued, String nextWave, ZonedDateTime nextWaveAt) {
    View after = view;
    FleetState.Halt halt = after.records().halt();
    String next = nextWave;
    ZonedDateTime nextAt = nextWaveAt;
    if (next == null && outcome != FleetAdvance.Outcome.HALTED) {
      Optional<Fleet.Wave> current = currentWave(after);
      if (current.isPresent() && current.get().index() + 1 < after.fleet().waves().size()) {
        next = after.fleet().waves().get(current.get().index() + 1).name();
      }
    }
    return new FleetAdvance(after.fleet().name(), after.fleet().application(), after.state().digest(), outcome,
        message, steps.promoted, steps.verified, steps.failed, queued, next, nextAt, halt, shown(after),
        steps.superseded);
  }

  /** Wide configuration with sensible defaults. */
  public static final class Builder {
    private final PromotionEngine engine;
    private final GitOpsRepository repository;
    private Function<String, GateCheck.Inputs> gateInputs = tenant -> GateCheck.Inputs.none();
    private TenantVerifier verifier = TenantVerifier.NONE;
    private Clock clock = Clock.systemUTC();
    private String initiator;
    private boolean initiatorClaimed;
    private String reason;
    private String buildUrl;
    private String sourceRevision;
    private Consumer<String> progress = s -> { };
    private Duration wait = Duration.ZERO;
    private int historyLimit = FleetHistory.DEFAULT_LIMIT;
    private Function<ReleaseConfig, GroupDirectory> directory = ConfigGroupDirectory::of;

    private Builder(PromotionEngine engine, GitOpsRepository repository) {
      this.engine = Objects.requireNonNull(engine, "engine");
      this.repository = Objects.requireNonNull(repository, "repository");
    }

    /** Each tenant's gate inputs (votes, dry-run evidence); default: none. See {@link #dryRunReports}. */
    public Builder gateInputs(Function<String, GateCheck.Inputs> perTenant) {
      this.gateInputs = Objects.requireNonNull(perTenant, "perTenant");
      return this;
    }

    /** Verifies tenants with a {@code cluster:} block; default: refuses (no cluster connection given). */
    public Builder verifier(TenantVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /** The clock gates decide on and soaks are measured with; the engine's own clock dates the commits. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Who runs the rollout, authenticated (Jenkins' user): {@code Initiated-By}. */
    public Builder initiator(String initiator) {
      this.initiator = initiator;
      this.initiatorClaimed = false;
      return this;
    }

    /** Who runs the rollout, as nobody checked it (a CLI flag): {@code Initiated-By-Claim}. */
    public Builder initiatorClaim(String initiator) {
      this.initiator = initiator;
      this.initiatorClaimed = true;
      return this;
    }

    /** Why, in the body of every commit of the run. */
    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    public Builder buildUrl(String buildUrl) {
      this.buildUrl = buildUrl;
      return this;
    }

    public Builder sourceRevision(String sourceRevision) {
      this.sourceRevision = sourceRevision;
      return this;
    }

    /** Lines for people about what the run does, as it does it. */
    public Builder progress(Consumer<String> progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /**
     * How long {@link #advance} may block waiting for a soak or a freeze to end before the next step (default: not
     * at all); at most {@link #MAX_WAIT}.
     */
    public Builder waitUpTo(Duration wait) {
      if (wait == null || wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
        throw io.odoogitops.ReleaseException.badInput("--wait must be between 0 and " + MAX_WAIT.toHours()
            + " hours");
      }
      this.wait = wait;
      return this;
    }

    /** How many history entries of each tenant are read (default {@link FleetHistory#DEFAULT_LIMIT}). */
    public Builder historyLimit(int limit) {
      if (limit < 1) {
        throw io.odoogitops.ReleaseException.badInput("--history-limit must be 1 or more");
      }
      this.historyLimit = limit;
      return this;
    }

    /** Group membership for the gates; default: the configuration's {@code groups} (Jenkins passes its realm's). */
    public Builder groupDirectory(Function<ReleaseConfig, GroupDirectory> directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    public FleetRollout build() {
      return new FleetRollout(this);
    }
  }
}
