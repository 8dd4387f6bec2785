package io.odoogitops.gitops;

import io.odoogitops.ImageRef;
import io.odoogitops.policy.Trailer;

import io.odoogitops.ImageDigest;

import io.odoogitops.ReleaseException;
import io.odoogitops.trust.CommitSignature;
import io.odoogitops.trust.CommitSignatures;
import io.odoogitops.trust.CommitSigner;
import io.odoogitops.trust.Role;
import io.odoogitops.config.ApplicationSpec;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.manifest.DatabaseSwitch;
import io.odoogitops.gitops.manifest.DeployedImage;
import io.odoogitops.gitops.manifest.ManifestEditor;
import io.odoogitops.gitops.manifest.ManifestSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Lands promotions and rollbacks as single commits on the GitOps branch. Each round fetches, plans the edit on the
 * fresh head, re-checks the gate, commits and pushes with compare-and-swap; if another promotion won the race, the
 * round is replayed on the new head after a jittered backoff. A promotion id found on the remote is never committed
 * again, which makes retries after a lost connection safe. Only commands live here; reads are {@link #queries()}.
 */
public final class PromotionEngine {

  /** How far back a retry looks for its own promotion id: retries happen within minutes, not months. */
  static final Duration IDEMPOTENCY_WINDOW = Duration.ofDays(30);

  /** Long enough for a burst of a hundred promoters on one branch; short next to a CI step's timeout. */
  public static final Duration DEFAULT_RETRY_DEADLINE = Duration.ofMinutes(5);

  private final GitOpsRepository repository;
  private final PersonIdent identity;
  private final Duration retryDeadline;
  private final Duration backoffBase;
  private final Duration backoffCap;
  private final Consumer<String> progress;
  private final LandingCheck landingCheck;
  private final Clock clock;
  private final Random random;
  private final CommitSigner signer;

  private PromotionEngine(Builder b) {
    this.repository = Objects.requireNonNull(b.repository, "repository");
    this.identity = new PersonIdent(b.committerName, b.committerEmail);
    this.retryDeadline = b.retryDeadline;
    this.backoffBase = b.backoffBase;
    this.backoffCap = b.backoffCap;
    this.progress = b.progress;
    this.landingCheck = b.landingCheck;
    this.clock = b.clock;
    this.random = b.random;
    this.signer = b.signer;
  }

  public static Builder builder(GitOpsRepository repository) {
    return new Builder(repository);
  }

  /** Makes {@code promotion.environment()} run {@code promotion.image()} for the application. */
  public PromotionResult promote(Promotion promotion) {
    return land(promotion.promotionId(), snapshot -> landedBefore(snapshot, promotion.promotionId(),
        promotion.environment(), promotion.application(), promotion.image().digest())
        .orElseGet(() -> planPromotion(snapshot, promotion)));
  }

  /**
   * Restores an earlier digest: the one before the current, or {@code request.to()}. Allowed during freezes. Only
   * digests the environment really ran (sanctioned history entries) from the application's configured repository
   * are restored.
   */
  public PromotionResult rollback(RollbackRequest request) {
    String id = request.promotionId() != null ? request.promotionId() : java.util.UUID.randomUUID().toString();
    ImageDigest digest = ImageDigest.orNull(request.to());
    // An id generated here exists nowhere yet: only a given one can have landed before.
    return land(id, snapshot -> (request.promotionId() == null ? Optional.<Plan>empty()
        : landedBefore(snapshot, id, request.environment(), request.application(), digest))
        .orElseGet(() -> {
          PlannedRollback rollback = planRollback(snapshot, request, id);
          return rollbackPlan(snapshot, rollback, rollback.promotion());
        }));
  }

  /**
   * The plan of a rollback's commit: {@code promotion} (the planned one, with any further trailers a batch adds), the
   * database switch of a restored database in the same commit, and the hold on the digest taken away.
   */
  private Plan rollbackPlan(Snapshot snapshot, PlannedRollback rollback, Promotion promotion) {
    Plan plan = planPromotion(snapshot, promotion);
    return withHold(snapshot, rollback.databaseSwitch() == null || plan.finished() != null ? plan
        : plan.switching(snapshot, rollback.databaseSwitch()));
  }

  /**
   * Lifts the hold a rollback set on {@code request.digest()} in one commit: the release record, and the automation
   * markers that rollback pinned restored byte for byte. Idempotent: a hold already released is not released again.
   */
  public PromotionResult releaseHold(HoldReleaseRequest request) {
    String id = request.releaseId() != null ? request.releaseId() : java.util.UUID.randomUUID().toString();
    return land(id, snapshot -> {
      HoldRelease.Planned planned = HoldRelease.plan(snapshot, request, id, clock.instant());
      return planned.finished() != null ? Plan.finished(planned.finished())
          : Plan.raw(planned.changes(), planned.message(), planned.landed());
    });
  }

  /** The read-only questions (current image, history, configuration) on this engine's repository. */
  public ReleaseQueries queries() {
    return ReleaseQueries.of(repository);
  }

  private void requireSignerUnderTrust() {
    if (signer == null && repository.trust().isPresent()) {
      throw ReleaseException.badInput("a trust root is given (" + repository.trust().get().root().describe()
          + "), so only commits signed by a release-manager key count as promotions; pass the release key with"
          + " --signing-key (see docs/policy.md, Signed promotions); nothing was pushed");
    }
  }

  private PromotionResult land(String promotionId, Function<Snapshot, Plan> planner) {
    requireSignerUnderTrust();
    try {
      return landRounds(promotionId, planner);
    } catch (ReleaseException e) {
      if (e.kind() != ReleaseException.Kind.INFRASTRUCTURE) {
        throw e;
      }
      // The push may have reached the server before the connection broke: only the same id makes a retry safe, and
      // a generated id exists nowhere else.
      throw new ReleaseException(e.kind(), e.getMessage() + "; retry with --promotion-id " + promotionId
          + " (a retry with the same promotion id never lands twice)", e);
    }
  }

  /**
   * Replays the round until it lands or the deadline passes. A deadline rather than an attempt count: in a burst each
   * round lets one promoter through, so how many rounds a promoter needs grows with the burst, while the time a
   * pipeline may wait does not.
   */
  private PromotionResult landRounds(String promotionId, Function<Snapshot, Plan> planner) {
    return replay("promotion " + promotionId, "Retry with --promotion-id " + promotionId + ", or allow more time"
        + " with --retry-deadline", round -> {
          Snapshot snapshot = repository.fetch();
          Plan plan = planner.apply(snapshot);
          if (plan.finished() != null) {
            return plan.finished().withAttempts(round);
          }
          Promotion promotion = plan.promotion();
          Map<String, byte[]> files = new java.util.LinkedHashMap<>(plan.changes());
          String message;
          LandingCheck.Landing landing = null;
          if (promotion == null) {
            message = plan.rawMessage();
          } else {
            landing = landingCheck.land(snapshot, promotion);
            message = CommitMessage.of(promotion, plan.previousDigest(), landing.trailers());
            landingCheck.evidence(promotion, landing.trailers()).forEach(files::putIfAbsent);
          }
          ObjectId commit = snapshot.commit(files, message, new PersonIdent(identity, clock.instant()), signer);
          requireCounted(commit);
          if (repository.push(commit, snapshot.head()) == GitOpsRepository.PushOutcome.PUSHED) {
            if (promotion == null) {
              return plan.rawLanded().withCommit(commit.name(), round);
            }
            return landed(promotion, plan.previousDigest(), commit, round, plan.notes())
                .withDecision(landing.decision());
          }
          progress.accept("the GitOps branch moved while promoting " + promotionId + "; replaying on the new head");
          return null;
        });
  }

  private static PromotionResult landed(Promotion promotion, ImageDigest previousDigest, ObjectId commit, int round,
      String notes) {
    return PromotionResult.landed(promotion.promotionId(), promotion.environment(), promotion.application(),
        promotion.image().pinned(), promotion.image().digest(), previousDigest,
        (promotion.isRollback() ? "rolled back " : "promoted ") + promotion.application() + " in "
            + promotion.environment() + " to " + promotion.image().shortDigest() + " (was "
            + ImageDigest.shortForm(previousDigest) + ")" + notes).withCommit(commit.name(), round);
  }

  /** One fetch-edit-push round under the cache lock: its result, or null when the remote moved and it must replay. */
  @FunctionalInterface
  private interface Round<T> {
    T run(int attempt);
  }

  /** Runs {@code round} until it returns a result or the retry deadline passes; backs off between rounds. */
  private <T> T replay(String what, String retryHint, Round<T> round) {
    long start = System.nanoTime();
    long deadline = start + retryDeadline.toNanos();
    for (int attempt = 1; ; attempt++) {
      final int number = attempt;
      T result = repository.locked(() -> round.run(number));
      if (result != null) {
        return result;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw ReleaseException.refused("gave up after " + attempt + " attempts in "
            + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s (--retry-deadline "
            + retryDeadline.toSeconds() + " s): the GitOps branch kept moving under " + what + "; nothing was"
            + " pushed. " + retryHint);
      }
      sleep(Duration.ofNanos(Math.min(left, backoff(attempt).toNanos())));
    }
  }

  /**
   * Lands {@code promotions} as a chain of commits, one per promotion, in ONE push: a compare-and-swap of the branch,
   * replayed on a moved head like {@link #promote}. Each promotion is planned and checked by {@code check} on the
   * state it lands on (the fetched head plus the commits before it in the chain); one the check refuses is left out
   * and reported, and the others still land. Promotion ids found on the remote are not landed again
   * ({@code ALREADY_LANDED}), so re-running or racing a batch never promotes twice. {@link #promote} is unchanged.
   *
   * @param promotions at most one per environment, each with its own promotion id
   * @param check the landing check of this batch, in place of the builder's (e.g. each tenant's own gate)
   */
  public BatchResult promoteAll(List<Promotion> promotions, LandingCheck check) {
    return promoteAll(promotions, check, snapshot -> { });
  }

  /**
   * Like {@link #promoteAll(List, LandingCheck)}, with a condition on the whole batch: {@code precondition} sees the
   * fetched head of every round before anything is planned on it, so a round replayed because the branch moved
   * re-checks what another run may have recorded meanwhile (e.g. a fleet's halt). A {@link ReleaseException} it throws
   * ends the batch with nothing pushed.
   */
  public BatchResult promoteAll(List<Promotion> promotions, LandingCheck check, Consumer<Snapshot> precondition) {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(precondition, "precondition");
    Map<String, Promotion> byId = new java.util.LinkedHashMap<>();
    java.util.Set<String> environments = new java.util.HashSet<>();
    for (Promotion p : promotions) {
      if (byId.put(p.promotionId(), p) != null || !environments.add(p.environment())) {
        throw ReleaseException.badInput("a batch promotes each environment once, each under its own promotion id;"
            + " '" + p.environment() + "' (" + p.promotionId() + ") comes twice");
      }
    }
    List<Key> keys = promotions.stream().map(p -> new Key(p.promotionId(), p.environment(), p.application(),
        p.image().digest())).toList();
    return landBatch(promotions.size() + " promotions", keys,
        (snapshot, key, before) -> before.orElseGet(() -> planPromotion(snapshot, byId.get(key.id()))), check,
        precondition);
  }

  /**
   * Like {@link #promoteAll} for rollbacks: each request restores the state before the current one (or its
   * {@code to}) under the builder's landing check; allowed during freezes. Every request needs its own promotion id,
   * so that a re-run finds what landed.
   *
   * @param trailers further trailers per request (e.g. {@code Fleet:}, {@code Wave:})
   */
  public BatchResult rollbackAll(List<RollbackRequest> requests, Function<RollbackRequest, List<Trailer>> trailers) {
    Map<String, RollbackRequest> byId = new java.util.LinkedHashMap<>();
    for (RollbackRequest r : requests) {
      if (r.promotionId() == null || byId.put(r.promotionId(), r) != null) {
        throw ReleaseException.badInput("a batch of rollbacks needs a distinct promotion id per rollback");
      }
    }
    List<Key> keys = requests.stream().map(r -> new Key(r.promotionId(), r.environment(), r.application(),
        ImageDigest.orNull(r.to()))).toList();
    return landBatch(requests.size() + " rollbacks", keys, (snapshot, key, before) -> before.orElseGet(() -> {
      RollbackRequest r = byId.get(key.id());
      PlannedRollback rollback = planRollback(snapshot, r, key.id());
      Promotion p = rollback.promotion();
      List<Trailer> more = new ArrayList<>(p.trailers());
      more.addAll(trailers.apply(r));
      return rollbackPlan(snapshot, rollback, new Promotion(p.promotionId(), p.environment(), p.application(),
          p.image(), p.reason(), p.initiator(), p.sourceRevision(), p.buildUrl(), more, p.rollbackOf(),
          p.rollbackTo(), true, p.initiatorClaimed()));
    }), landingCheck, snapshot -> { });
  }

  /** What identifies one item of a batch; {@code digest} null for a rollback that names none. */
  private record Key(String id, String environment, String application, ImageDigest digest) {}

  /** Plans one item of a batch on the snapshot it would land on, given what an earlier landing of its id did. */
  @FunctionalInterface
  private interface ItemPlanner {
    Plan plan(Snapshot snapshot, Key key, Optional<Plan> landedBefore);
  }

  private BatchResult landBatch(String what, List<Key> keys, ItemPlanner planner, LandingCheck check,
      Consumer<Snapshot> precondition) {
    requireSignerUnderTrust();
    if (keys.isEmpty()) {
      return queries().atHead(snapshot -> new BatchResult(List.of(), snapshot.commitId(), 0));
    }
    return replay(what, "Run it again: what landed is found by its promotion ids and not landed twice", round -> {
      Snapshot fetched = repository.fetch();
      precondition.accept(fetched);
      Map<String, Plan> before = landedBefore(fetched, keys);
      Snapshot tip = fetched;
      List<BatchResult.Item> items = new ArrayList<>();
      for (Key key : keys) {
        try {
          Plan plan = planner.plan(tip, key, Optional.ofNullable(before.get(key.id())));
          if (plan.finished() != null) {
            items.add(new BatchResult.Item(key.environment(), plan.finished().withAttempts(round), null));
            continue;
          }
          Promotion promotion = plan.promotion();
          LandingCheck.Landing landing = check.land(tip, promotion);
          Map<String, byte[]> files = new java.util.LinkedHashMap<>(plan.changes());
          check.evidence(promotion, landing.trailers()).forEach(files::putIfAbsent);
          ObjectId commit = tip.commit(files, CommitMessage.of(promotion, plan.previousDigest(), landing.trailers()),
              new PersonIdent(identity, clock.instant()), signer);
          requireCounted(commit);
          // The configuration does not change along the chain: no need to read and validate it again.
          tip = new Snapshot(repository, commit, tip.config());
          items.add(new BatchResult.Item(key.environment(), landed(promotion, plan.previousDigest(), commit, round,
              plan.notes()).withDecision(landing.decision()), null));
        } catch (ReleaseException e) {
          if (e.kind() == ReleaseException.Kind.INFRASTRUCTURE) {
            throw e;
          }
          items.add(new BatchResult.Item(key.environment(), null, e));
        }
      }
      if (tip == fetched) {
        return new BatchResult(items, fetched.commitId(), round);
      }
      if (repository.push(tip.head(), fetched.head()) == GitOpsRepository.PushOutcome.PUSHED) {
        return new BatchResult(items, tip.commitId(), round);
      }
      progress.accept("the GitOps branch moved while landing " + what + "; replaying on the new head");
      return null;
    });
  }

  /**
   * Lands the record commits {@code planner} asks for on the fresh head, as a chain in one push, replayed on a moved
   * head (the planner runs again on the new head, so it can leave out what another run recorded meanwhile).
   * Signed like promotions.
   *
   * @return the last record commit, or empty when the planner asked for none
   */
  public Optional<String> record(Function<Snapshot, List<RecordCommit>> planner) {
    requireSignerUnderTrust();
    return replay("a record commit", "Run it again", round -> {
      Snapshot fetched = repository.fetch();
      List<RecordCommit> records = planner.apply(fetched);
      if (records.isEmpty()) {
        return Optional.<String>empty();
      }
      Snapshot tip = fetched;
      for (RecordCommit record : records) {
        ObjectId commit = tip.commit(record.files(), record.message(), new PersonIdent(identity, clock.instant()),
            signer);
        requireCounted(commit);
        tip = new Snapshot(repository, commit, tip.config());
      }
      if (repository.push(tip.head(), fetched.head()) == GitOpsRepository.PushOutcome.PUSHED) {
        return Optional.of(tip.commitId());
      }
      progress.accept("the GitOps branch moved while recording; replaying on the new head");
      return null;
    });
  }

  /**
   * The earlier landings of a batch's promotion ids, read in one pass over every environment's recent history rather
   * than one pass per promotion; the same checks as {@link #landedBefore(Snapshot, String, String, String, String)}.
   */
  private Map<String, Plan> landedBefore(Snapshot snapshot, List<Key> keys) {
    Map<String, Key> byId = new java.util.HashMap<>();
    keys.forEach(k -> byId.put(k.id(), k));
    Map<String, Plan> found = new java.util.HashMap<>();
    java.time.Instant since = clock.instant().minus(IDEMPOTENCY_WINDOW);
    for (String name : snapshot.config().environments().keySet()) {
      try (ReleaseHistory.Entries entries = snapshot.history(name).promotions(null,
          e -> byId.containsKey(e.promotionId()) && !found.containsKey(e.promotionId()), since)) {
        while (entries.hasNext()) {
          HistoryEntry e = entries.next();
          Key key = byId.get(e.promotionId());
          found.putIfAbsent(e.promotionId(), alreadyLanded(e, key.id(), key.environment(), key.application(),
              key.digest()));
        }
      }
    }
    return found;
  }

  /**
   * The result of an earlier landing of {@code promotionId}, if a sanctioned commit of the last
   * {@link #IDEMPOTENCY_WINDOW} carries it (in any environment): the same promotion is already done, while the same id
   * on another environment, application or digest is refused, since a retry must never be mistaken for a new request.
   *
   * @param digest the digest asked for; null for a rollback that names no digest (it matches the earlier rollback)
   */
  private Optional<Plan> landedBefore(Snapshot snapshot, String promotionId, String environment, String application,
      ImageDigest digest) {
    ReleaseConfig config = snapshot.config();
    config.environment(environment);
    config.application(application);
    java.time.Instant since = clock.instant().minus(IDEMPOTENCY_WINDOW);
    List<String> environments = new ArrayList<>(List.of(environment));
    config.environments().keySet().stream().filter(e -> !e.equals(environment)).forEach(environments::add);
    for (String name : environments) {
      Optional<HistoryEntry> landed = snapshot.history(name).find(e -> e.promotionId().equals(promotionId), since);
      if (landed.isEmpty()) {
        continue;
      }
      return Optional.of(alreadyLanded(landed.get(), promotionId, environment, application, digest));
    }
    return Optional.empty();
  }

  /** The plan of a promotion id found in the history: done, if it is the same promotion; refused otherwise. */
  private static Plan alreadyLanded(HistoryEntry e, String promotionId, String environment, String application,
      ImageDigest digest) {
    boolean same = e.environment().equals(environment) && e.application().equals(application)
        && (digest == null ? e.isRollback() : digest.equals(e.digest()));
    if (!same) {
      throw ReleaseException.badInput("promotion id '" + promotionId + "' already landed in commit "
          + e.commitId().substring(0, 12) + " for " + e.application() + " in " + e.environment() + " ("
          + (e.isRollback() ? "rollback to " : "") + ImageDigest.shortForm(e.digest()) + "), not for "
          + application + " in " + environment + (digest == null ? "" : " (" + ImageDigest.shortForm(digest) + ")")
          + "; a promotion id names one promotion: reuse it only to retry that one, and give this one a new"
          + " --promotion-id");
    }
    return Plan.finished(PromotionResult.alreadyLanded(e.promotionId(), e.environment(), e.application(),
        e.image(), e.digest(), e.previousDigest(), e.commitId(),
        "promotion " + e.promotionId() + " already landed as commit " + e.commitId().substring(0, 12)
            + "; nothing to do"));
  }

  /** A commit the history would not count must not land: it would move the environment without a record. */
  private void requireCounted(ObjectId commit) {
    if (repository.trust().isEmpty()) {
      return;
    }
    CommitSignature signature = CommitSignatures.verify(repository.repository(), commit,
        repository.trust().get().root(), Role.RELEASE_MANAGER);
    if (!signature.trusted()) {
      throw ReleaseException.refused("the promotion commit was signed with " + signer.format().lowerCase() + " key "
          + signer.fingerprint() + ", which is not a release-manager key of the "
          + repository.trust().get().root().describe() + " (" + signature.detail() + "); nothing was pushed. Sign"
          + " with the release key, or add it to the trust root's '#@role release-manager' section");
    }
  }

  private Plan planPromotion(Snapshot snapshot, Promotion promotion) {
    ReleaseConfig config = snapshot.config();
    EnvironmentSpec env = config.environment(promotion.environment());
    ApplicationSpec app = config.application(promotion.application());
    if (!promotion.isRollback() && !promotion.image().sameRepository(app.image())) {
      throw ReleaseException.badInput("image " + promotion.image().pinned() + " is not from application '"
          + app.name() + "'s repository " + app.image() + " (odoo-gitops.yaml); promote an image of "
          + app.image());
    }
    ManifestEditor editor = ManifestEditor.forLayout(env.layout());
    ManifestSet manifests = snapshot.manifests(env);
    DeployedImage current = editor.current(manifests, app);
    Map<String, byte[]> changes = editor.apply(manifests, app, promotion.image());
    if (changes.isEmpty()) {
      return Plan.finished(PromotionResult.noChange(promotion.promotionId(), env.name(), app.name(),
          promotion.image().pinned(), promotion.image().digest(), current.digest(),
          env.name() + " already runs " + promotion.image().shortDigest() + " for " + app.name()
              + " (" + current.location() + "); nothing to promote"));
    }
    return new Plan(null, promotion, current.digest(), changes);
  }

  private PlannedRollback planRollback(Snapshot snapshot, RollbackRequest request, String rollbackId) {
    ReleaseConfig config = snapshot.config();
    EnvironmentSpec env = config.environment(request.environment());
    ApplicationSpec app = config.application(request.application());
    DeployedImage current = snapshot.deployed(env.name(), app.name());
    RollbackPlanner planner = new RollbackPlanner(env.name(), app.name());
    RollbackPlanner.Target target;
    try (ReleaseHistory.Entries ran = snapshot.history(env.name()).promotions(app.name(), null, null)) {
      target = request.to() == null ? planner.previous(ran, current.digest()) : planner.explicit(ran, request.to());
    }
    ImageRef image = imageOf(target, current);
    if (!image.sameRepository(app.image())) {
      // A registry that is no longer the application's may hold anything under that digest by now.
      throw ReleaseException.refused("the rollback target " + image.pinned() + " is not an image of application '"
          + app.name() + "'s repository " + app.image() + " (odoo-gitops.yaml); nothing was committed. Roll back"
          + " with --to a digest or promotion id of " + app.image() + " (see 'odoo-gitops history --env "
          + env.name() + " --app " + app.name() + "'), or promote a known good image of it");
    }
    // A rollback is never stopped by a hold, but it must not bring a held digest back: that would re-deploy the
    // release an earlier rollback took away (and re-run its migration) without anyone lifting the hold on purpose.
    Holds.read(snapshot, env.name(), app.name()).on(image.digest()).ifPresent(hold -> {
      throw ReleaseException.refused("the rollback target " + image.shortDigest() + " is held: rollback commit "
          + hold.rollbackCommit().substring(0, 12) + " took it away from " + app.name() + " in " + env.name()
          + "; nothing was committed. Roll back to another state, or lift the hold on purpose first with '"
          + hold.releaseCommand() + "'");
    });
    Promotion.Builder rollback = Promotion.builder(env.name(), app.name(), image);
    if (request.initiatorClaimed()) {
      rollback.initiatorClaim(request.initiator());
    } else {
      rollback.initiator(request.initiator());
    }
    RestoreGuard.Outcome restore = new RestoreGuard(repository, snapshot, env, app.name())
        .check(target.rollbackOf(), request);
    return new PlannedRollback(rollback
        .promotionId(rollbackId)
        .reason(request.reason() == null ? "one-step rollback" : request.reason())
        .buildUrl(request.buildUrl())
        .trailers(restore.trailers())
        .rollback(target.rollbackOf(), target.rollbackTo())
        .build(), restore.databaseSwitch());
  }

  /** The rollback to land, and the switch to the restored database its commit makes, if any. */
  private record PlannedRollback(Promotion promotion, RestoreGuard.Switch databaseSwitch) {}

  /** The target's image as its manifest named it; a bare digest (the state before the history) takes today's. */
  private static ImageRef imageOf(RollbackPlanner.Target target, DeployedImage current) {
    if (target.image() == null) {
      return new ImageRef(current.repository(), null, target.digest());
    }
    try {
      return ImageRef.parse(target.image());
    } catch (ReleaseException e) {
      // A tag odoo-gitops would not write: keep the repository and digest, which are what runs.
      String repository = ImageRef.split(target.image()).map(ImageRef.Written::repository)
          .orElse(current.repository());
      return new ImageRef(repository, null, target.digest());
    }
  }

  /**
   * The commit a round lands. {@code notes} are lines added to the result's message; a raw plan (no promotion, such
   * as a hold release) lands {@code rawMessage} without a gate and reports {@code rawLanded} with the commit's id.
   */
  private record Plan(PromotionResult finished, Promotion promotion, ImageDigest previousDigest,
      Map<String, byte[]> changes, String notes, String rawMessage, PromotionResult rawLanded) {
    Plan(PromotionResult finished, Promotion promotion, ImageDigest previousDigest, Map<String, byte[]> changes) {
      this(finished, promotion, previousDigest, changes, "", null, null);
    }

    static Plan finished(PromotionResult result) {
      return new Plan(result, null, null, null);
    }

    /** This plan with the environment switched to the restored database, in the same commit. */
    Plan switching(Snapshot snapshot, RestoreGuard.Switch databaseSwitch) {
      Map<String, byte[]> files = new java.util.LinkedHashMap<>(changes);
      byte[] before = files.containsKey(databaseSwitch.file()) ? files.get(databaseSwitch.file())
          : snapshot.read(databaseSwitch.file()).orElseThrow(() -> ReleaseException.badInput(databaseSwitch.file()
              + " (restore.switch.file in odoo-gitops.yaml) is not in the GitOps repository; nothing was"
              + " committed. Name the file that holds the database, relative to the environment's path"));
      files.put(databaseSwitch.file(), DatabaseSwitch.set(databaseSwitch.file(), before, databaseSwitch.path(),
          databaseSwitch.database()));
      return new Plan(null, promotion, previousDigest, files);
    }

    static Plan raw(Map<String, byte[]> changes, String message, PromotionResult landed) {
      return new Plan(null, null, null, changes, "", message, landed);
    }
  }

  /**
   * A rollback's plan with the hold it sets said, and the image automation of the environment found and, where the
   * environment's {@code automation.pinOnRollback} asks for it, pinned in the same commit. Never stops the rollback.
   */
  private Plan withHold(Snapshot snapshot, Plan plan) {
    if (plan.finished() != null || plan.promotion() == null) {
      return plan;
    }
    EnvironmentSpec env = snapshot.config().environment(plan.promotion().environment());
    ApplicationSpec app = snapshot.config().application(plan.promotion().application());
    AutomationPins.Pinned pinned = AutomationPins.onRollback(snapshot, env, app, plan.changes(),
        plan.promotion().promotionId());
    Map<String, byte[]> changes = new java.util.LinkedHashMap<>(plan.changes());
    changes.putAll(pinned.changes());
    String notes = (plan.previousDigest() != null ? "\n  hold: holds " + plan.previousDigest()
        + " until released: promoting it again is refused until a newer digest is promoted or '"
        + Hold.releaseCommand(env.name(), app.name(), plan.previousDigest()) + "'"
        : "") + pinned.notes().stream().map(n -> "\n  automation: " + n).reduce("", String::concat);
    return new Plan(null, plan.promotion(), plan.previousDigest(), changes, notes, null, null);
  }

  private Duration backoff(int attempt) {
    return backoff(random, backoffBase, backoffCap, attempt);
  }

  static Duration backoff(Random random, Duration base, Duration maximum, int attempt) {
    long cap = Math.min(maximum.toMillis(), base.toMillis() << Math.min(attempt, 16));
    // Full jitter: racing promoters that collided once should not collide again in lockstep.
    return Duration.ofMillis(cap <= 0 ? 0 : random.nextLong(cap + 1));
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ReleaseException.infrastructure("interrupted while waiting to retry the promotion; nothing was pushed"
          + " in the interrupted round", e);
    }
  }

  /** Wide configuration with sensible defaults. */
  public static final class Builder {
    private final GitOpsRepository repository;
    private String committerName = "odoo-gitops";
    private String committerEmail = "odoo-gitops@localhost";
    private Duration retryDeadline = DEFAULT_RETRY_DEADLINE;
    private Duration backoffBase = Duration.ofMillis(50);
    private Duration backoffCap = Duration.ofSeconds(2);
    private Consumer<String> progress = s -> { };
    private LandingCheck landingCheck = LandingCheck.NONE;
    private Clock clock = Clock.systemUTC();
    private Random random = new Random();
    private CommitSigner signer;

    private Builder(GitOpsRepository repository) {
      this.repository = repository;
    }

    public Builder committer(String name, String email) {
      this.committerName = name;
      this.committerEmail = email;
      return this;
    }

    /** How long a promotion keeps replaying its round while other promotions win the race (at least one round). */
    public Builder retryDeadline(Duration deadline) {
      if (deadline == null || deadline.isNegative()) {
        throw ReleaseException.badInput("--retry-deadline must be zero or more seconds");
      }
      this.retryDeadline = deadline;
      return this;
    }

    public Builder backoff(Duration base, Duration cap) {
      this.backoffBase = base;
      this.backoffCap = cap;
      return this;
    }

    public Builder progress(Consumer<String> progress) {
      this.progress = progress;
      return this;
    }

    public Builder landingCheck(LandingCheck check) {
      this.landingCheck = check;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder random(Random random) {
      this.random = random;
      return this;
    }

    /** Signs promotion and rollback commits; required when the repository has a trust root. */
    public Builder signer(CommitSigner signer) {
      this.signer = signer;
      return this;
    }

    public PromotionEngine build() {
      return new PromotionEngine(this);
    }
  }
}
