package io.odoogitops.gitops;

import io.odoogitops.ImageDigest;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.policy.Action;
import io.odoogitops.policy.Approval;
import io.odoogitops.policy.Ballots;
import io.odoogitops.policy.SignedVote;
import io.odoogitops.policy.VoteStatement;
import java.util.LinkedHashMap;
import java.util.Map;
import io.odoogitops.policy.Candidate;
import io.odoogitops.policy.ConfigGroupDirectory;
import io.odoogitops.policy.Decision;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.GateRequest;
import io.odoogitops.policy.GroupDirectory;
import io.odoogitops.policy.OverrideRequest;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.Trailer;
import io.odoogitops.policy.UpstreamEvidence;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointRef;
import io.odoogitops.restore.RestorePointSignature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The release policy as a {@link LandingCheck}: evaluated against the configuration and history of the very commit a
 * promotion is built on, right before the push, so approvals, freezes and {@code promoteFrom} are judged on the state
 * that will actually change — not on what a gate saw minutes earlier.
 */
public final class GateCheck implements LandingCheck {

  /** How far back the {@code promoteFrom} environment's history is read for digests it ran. */
  static final int UPSTREAM_HISTORY_LIMIT = 500;
  /** Votes on one candidate; far more than any team casts, few enough to read on every decision. */
  static final int MAX_VOTE_FILES = 1000;

  private final Inputs inputs;
  private final Function<ZoneId, Instant> when;
  private final Function<ReleaseConfig, GroupDirectory> directory;
  private final boolean bindPromotion;

  /**
   * What the gate weighs besides the repository: who asks, who wrote the code, the votes, the dry-run, an override.
   *
   * @param sourceAuthor author of the source revision (barred from approving); null if unknown
   * @param approvals unsigned votes: counted only while the policy names no allowed signers
   * @param ballots signed vote files given besides those in the repository's {@code votes/} directory
   * @param authorIdentities further identities of the source revision's author (barred under four-eyes)
   * @param restorePoint the restore point taken before the promotion; recorded in its commit when the gate accepts it
   * @param restorePointSignature the armored signature next to the point's evidence; committed next to it
   */
  public record Inputs(String sourceAuthor, List<Approval> approvals, Optional<DryRunEvidence> dryRun,
      Optional<OverrideRequest> override, Ballots ballots, Set<String> authorIdentities,
      Optional<RestorePoint> restorePoint, Optional<String> restorePointSignature) {
    public Inputs {
      approvals = List.copyOf(approvals);
      ballots = ballots == null ? Ballots.none() : ballots;
      authorIdentities = authorIdentities == null ? Set.of() : Set.copyOf(authorIdentities);
      restorePoint = restorePoint == null ? Optional.empty() : restorePoint;
      restorePointSignature = restorePoint.isEmpty() || restorePointSignature == null ? Optional.empty()
          : restorePointSignature;
    }

    /** Inputs with an unsigned restore point. */
    public Inputs(String sourceAuthor, List<Approval> approvals, Optional<DryRunEvidence> dryRun,
        Optional<OverrideRequest> override, Ballots ballots, Set<String> authorIdentities,
        Optional<RestorePoint> restorePoint) {
      this(sourceAuthor, approvals, dryRun, override, ballots, authorIdentities, restorePoint, Optional.empty());
    }

    /** Inputs without a restore point. */
    public Inputs(String sourceAuthor, List<Approval> approvals, Optional<DryRunEvidence> dryRun,
        Optional<OverrideRequest> override, Ballots ballots, Set<String> authorIdentities) {
      this(sourceAuthor, approvals, dryRun, override, ballots, authorIdentities, Optional.empty());
    }

    /** Inputs without signed votes besides the repository's. */
    public Inputs(String sourceAuthor, List<Approval> approvals, Optional<DryRunEvidence> dryRun,
        Optional<OverrideRequest> override) {
      this(sourceAuthor, approvals, dryRun, override, Ballots.none(), Set.of());
    }

    public static Inputs none() {
      return new Inputs(null, List.of(), Optional.empty(), Optional.empty());
    }
  }

  public GateCheck(Inputs inputs, Clock clock) {
    this(inputs, zone -> clock.instant(), ConfigGroupDirectory::of);
  }

  /**
   * @param when the instant to decide at, given the policy's zone (so "2026-12-31T10:00" can mean local time)
   * @param directory group membership; Jenkins passes its security realm's, the CLI the configuration's {@code groups}
   */
  public GateCheck(Inputs inputs, Function<ZoneId, Instant> when,
      Function<ReleaseConfig, GroupDirectory> directory) {
    this(inputs, when, directory, true);
  }

  private GateCheck(Inputs inputs, Function<ZoneId, Instant> when,
      Function<ReleaseConfig, GroupDirectory> directory, boolean bindPromotion) {
    this.inputs = inputs;
    this.when = when;
    this.directory = directory;
    this.bindPromotion = bindPromotion;
  }

  /**
   * The same check for a question about no particular promotion ({@code gate check} without a promotion id): votes
   * that answer a named promotion are counted as for any promotion of their candidate.
   */
  public GateCheck forAnyPromotion() {
    return new GateCheck(inputs, when, directory, false);
  }

  @Override
  public List<Trailer> check(Snapshot snapshot, Promotion promotion) {
    return land(snapshot, promotion).trailers();
  }

  /** The decision for {@code promotion} when it allows it; a refusal throws {@link GateRefused} carrying it. */
  @Override
  public Landing land(Snapshot snapshot, Promotion promotion) {
    Decision decision = decide(snapshot, promotion);
    GateRefused.requireAllowed(decision);
    return new Landing(decision.trailers(), decision);
  }

  /** The decision for {@code promotion} on {@code snapshot}, allowed or not, without enforcing it. */
  public Decision decide(Snapshot snapshot, Promotion promotion) {
    ReleaseConfig config = snapshot.config();
    Candidate candidate = new Candidate(promotion.environment(), promotion.application(),
        promotion.image().digest(), promotion.isRollback() ? Action.ROLLBACK : Action.PROMOTE);
    ReleasePolicy policy = ReleasePolicy.of(config, directory.apply(config), snapshot.policyFiles());
    GateRequest.Builder request = GateRequest.builder(candidate)
        .initiator(promotion.initiator())
        .sourceAuthor(inputs.sourceAuthor())
        .authorIdentities(inputs.authorIdentities())
        .approvals(inputs.approvals())
        .ballots(votes(snapshot, candidate))
        .ballots(inputs.ballots())
        .promotionId(bindPromotion ? promotion.promotionId() : null)
        .at(when.apply(policy.zone()));
    inputs.dryRun().ifPresent(request::dryRun);
    inputs.override().ifPresent(request::override);
    inputs.restorePoint().ifPresent(request::restorePoint);
    inputs.restorePointSignature().ifPresent(request::restorePointSignature);
    upstream(snapshot, config, promotion).ifPresent(request::upstream);
    List<String> holdNotices = List.of();
    if (!promotion.isRollback()) {
      // A rollback is never stopped by a hold; reading them would only slow the incident down.
      Holds.State holds = Holds.read(snapshot, promotion.environment(), promotion.application());
      request.holds(holds.evidence(promotion.environment(), promotion.application()));
      holdNotices = holds.notices();
    }
    Decision decision = policy.evaluate(request.build()).withNotices(snapshot.trustNotices(promotion.environment()))
        .withNotices(holdNotices);
    return decision;
  }

  /**
   * The restore point's evidence file, at {@link RestorePointEvidence#repositoryPath}, when the decision recorded the
   * point, and its signature next to it: anyone who can read the GitOps repository then sees what protected the
   * release, and who vouched for it ({@code ssh-keygen -Y verify}).
   */
  @Override
  public Map<String, byte[]> evidence(Promotion promotion, List<Trailer> decided) {
    Optional<RestorePoint> point = inputs.restorePoint().filter(p -> decided.contains(
        new Trailer(RestorePointRef.TRAILER, p.ref().trailerValue())));
    if (point.isEmpty()) {
      return Map.of();
    }
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    files.put(RestorePointEvidence.repositoryPath(point.get()),
        RestorePointEvidence.toJson(point.get()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    inputs.restorePointSignature().ifPresent(sig -> files.put(RestorePointSignature.repositoryPath(
        point.get().environment(), point.get().application(), point.get().ref()),
        sig.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return files;
  }

  /** The signed votes on this candidate in the repository at the decided commit, read or not. */
  static Ballots votes(Snapshot snapshot, Candidate candidate) {
    if (candidate.action() == Action.ROLLBACK) {
      return Ballots.none();
    }
    String dir = VoteStatement.votesDirectory(candidate.environment(), candidate.application(), candidate.digest());
    Map<String, byte[]> files = new LinkedHashMap<>();
    snapshot.filesUnder(dir, path -> path.endsWith(SignedVote.SUFFIX), MAX_VOTE_FILES)
        .forEach((path, bytes) -> files.put("repo:" + path, bytes));
    return Ballots.read(files);
  }

  /** Digests the {@code promoteFrom} environment has run: every promotion in its history, and what it runs now. */
  private static Optional<UpstreamEvidence> upstream(Snapshot snapshot, ReleaseConfig config, Promotion promotion) {
    String from = config.environment(promotion.environment()).promoteFrom();
    if (from == null) {
      return Optional.empty();
    }
    Set<ImageDigest> digests = new LinkedHashSet<>();
    snapshot.history(from).list(promotion.application(), UPSTREAM_HISTORY_LIMIT)
        .stream().map(HistoryEntry::digest).filter(java.util.Objects::nonNull).forEach(digests::add);
    // Under a trust root the manifests prove nothing by themselves: a direct push can name any digest there.
    ImageDigest current = snapshot.trusted() ? null : snapshot.deployed(from, promotion.application()).digest();
    if (current != null) {
      digests.add(current);
    }
    return Optional.of(new UpstreamEvidence(from, digests));
  }
}
