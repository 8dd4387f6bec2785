package io.odoogitops.policy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.AllowedSignersSpec;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.RepoPath;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.signing.AllowedSigners;
import io.odoogitops.signing.SshKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import io.odoogitops.config.ReleaseConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The release policy of one {@code odoo-gitops.yaml}: freeze queries and gate decisions per environment. This is the
 * entry point for the CLI, the GitOps engine and the Jenkins plugin.
 *
 * <pre>{@code
 * ReleasePolicy policy = ReleasePolicy.of(config);
 * Decision decision = policy.evaluate(GateRequest.builder(Candidate.promotion("production", "odoo", digest))
 *     .initiator("alice").approvals(votes).dryRun(evidence).upstream(staging).at(clock.instant()).build());
 * decision.requireAllowed();   // REFUSED (exit 1) with every failed rule
 * decision.trailers();         // Approved-By, Dry-Run, Freeze-Override, Override-Justification
 * }</pre>
 */
public final class ReleasePolicy {

  private final ReleaseConfig config;
  private final GroupDirectory directory;
  private final Map<String, FreezeSchedule> schedules = new ConcurrentHashMap<>();
  private final RepositoryFiles files;
  private volatile Optional<AllowedSigners> signers;

  private ReleasePolicy(ReleaseConfig config, GroupDirectory directory, RepositoryFiles files) {
    this.config = config;
    this.directory = directory;
    this.files = files;
  }

  /** The policy of a loaded (validated) configuration, with groups from its {@code groups:} block. */
  public static ReleasePolicy of(ReleaseConfig config) {
    return new ReleasePolicy(config, ConfigGroupDirectory.of(config), RepositoryFiles.NONE);
  }

  /** The policy with groups resolved elsewhere, such as a Jenkins security realm. */
  public static ReleasePolicy of(ReleaseConfig config, GroupDirectory directory) {
    return new ReleasePolicy(config, directory, RepositoryFiles.NONE);
  }

  /**
   * The policy with the repository it lives in at the decided commit, from which an {@code allowedSigners} file is
   * read.
   */
  public static ReleasePolicy of(ReleaseConfig config, GroupDirectory directory, RepositoryFiles files) {
    return new ReleasePolicy(config, directory, files);
  }

  /**
   * The keys votes must be signed with; empty when the configuration names none (votes are then unverified and the
   * gate advisory). A named file that is missing or malformed is bad input: a gate must not quietly fall back to
   * counting unverified votes.
   */
  public Optional<AllowedSigners> allowedSigners() {
    Optional<AllowedSigners> resolved = signers;
    if (resolved == null) {
      resolved = Optional.ofNullable(config.allowedSigners()).map(this::resolve);
      signers = resolved;
    }
    return resolved;
  }

  private AllowedSigners resolve(AllowedSignersSpec spec) {
    if (spec.file() == null) {
      List<AllowedSigners.Entry> entries = new ArrayList<>();
      spec.keys().forEach((voter, keys) -> keys.forEach(key -> entries.add(new AllowedSigners.Entry(voter, null,
          null, null, SshKeys.parse(key), ReleaseConfig.FILE_NAME + " allowedSigners." + voter))));
      return AllowedSigners.of(entries);
    }
    String path = RepoPath.normalize(spec.file());
    byte[] bytes = files.read(path).orElseThrow(() -> ReleaseException.badInput(ReleaseConfig.FILE_NAME
        + ": allowedSigners names " + path + ", which does not exist" + (files == RepositoryFiles.NONE
            ? " here (decide against the GitOps repository with --repo)" : " in the GitOps repository")
        + "; add the file (ssh-keygen's allowed_signers format) or list the keys inline"));
    if (bytes.length > AllowedSigners.MAX_BYTES) {
      throw ReleaseException.badInput(path + ": " + bytes.length + " bytes is larger than the "
          + AllowedSigners.MAX_BYTES + "-byte limit for an allowed signers file");
    }
    try {
      return AllowedSigners.parse(new String(bytes, StandardCharsets.UTF_8), path);
    } catch (IllegalArgumentException e) {
      throw ReleaseException.badInput(e.getMessage());
    }
  }

  /** The freeze schedule of {@code environment}; unknown names are bad input. */
  public FreezeSchedule schedule(String environment) {
    EnvironmentSpec env = config.environment(environment);
    return schedules.computeIfAbsent(env.name(), name -> FreezeSchedule.of(config, env));
  }

  public FreezeStatus status(String environment, Instant at) {
    return schedule(environment).status(at);
  }

  /** When {@code environment} next accepts a promotion; empty if not within two years. */
  public Optional<Instant> nextOpen(String environment, Instant at) {
    return schedule(environment).nextOpen(at, Action.PROMOTE);
  }

  public List<FreezeInterval> windows(String environment, Instant from, Instant to) {
    return schedule(environment).windows(from, to);
  }

  /** Day-by-day view of {@code environment} from {@code from} to {@code to} inclusive, days as in {@code zone}. */
  public List<FreezeDay> days(String environment, LocalDate from, LocalDate to, ZoneId zone) {
    return schedule(environment).days(from, to, zone);
  }

  /** The zone of the configuration file, in which people read freeze times. */
  public ZoneId zone() {
    return ZoneId.of(config.timeZone());
  }

  /** The environments in the order the file lists them. */
  public List<String> environments() {
    return List.copyOf(config.environments().keySet());
  }

  /**
   * Why {@code vote} could never count under this policy, or empty if it can: a bad signature, a key the allowed
   * signers do not give to its voter, an environment without a gate or override to vote on, a voter who is not among
   * the approvers. Checked before a vote is recorded, so that nothing useless or forged lands in the repository.
   */
  public Optional<String> refusalOf(SignedVote vote, Instant now) {
    VoteStatement statement = vote.statement();
    EnvironmentSpec env = config.environment(statement.environment());
    config.application(statement.application());
    VoteAdmission.Verified verified = VoteAdmission.verify(vote, allowedSigners(), now);
    if (verified.refusal() != null) {
      return Optional.of(verified.refusal());
    }
    boolean override = statement.scope() == ApprovalScope.FREEZE_OVERRIDE;
    List<String> approvers;
    if (override) {
      if (env.override() == null) {
        return Optional.of(env.name() + " allows no freeze override, so a freeze-override vote would not count");
      }
      approvers = env.override().approvers();
    } else {
      if (env.gate() == null) {
        return Optional.of(env.name() + " has no gate, so a vote would not count");
      }
      approvers = env.gate().approvers();
    }
    Approvers eligible = new Approvers(approvers, directory);
    if (!eligible.includes(statement.voter())) {
      return Optional.of(statement.voter() + " is not among the " + (override ? "override " : "")
          + "approvers of " + env.name() + " (" + eligible.describe() + ")");
    }
    return Optional.empty();
  }

  /** Decides on a candidate; every rule is in the result, whether it passed or not. */
  public Decision evaluate(GateRequest request) {
    EnvironmentSpec env = config.environment(request.candidate().environment());
    config.application(request.candidate().application());
    return new PromotionGate(env, schedule(env.name()), directory, allowedSigners()).evaluate(request);
  }

  /**
   * Why the gate of {@code environment} would not take {@code evidence} as its dry-run for want of a trusted signature
   * ({@code dryRunSigners}); empty when it would, or when the gate names no signers.
   */
  public Optional<String> dryRunSignatureProblem(String environment, DryRunEvidence evidence, Instant at) {
    EnvironmentSpec env = config.environment(environment);
    return env.gate() == null ? Optional.empty() : new PromotionGate(env, schedule(env.name()), directory,
        allowedSigners()).signatureProblem(evidence, env.gate().dryRunSigners(), at);
  }

  /**
   * Why the gate of {@code environment} would not take {@code point}, signed by {@code signature} (null for none), as
   * the restore point of {@code application} at {@code digest}, judged at {@code at}: a point of another environment,
   * application or digest, or, when the gate names {@code restorePointSigners}, no signature by one of them over the
   * evidence. Empty when it would. The gate's own check, for whoever re-reads a committed point (a rollback's plan).
   */
  public List<String> restorePointProblems(String environment, String application, ImageDigest digest,
      RestorePoint point, String signature, Instant at) {
    EnvironmentSpec env = config.environment(environment);
    List<String> problems = new ArrayList<>(point.problemsFor(environment, application, digest, null));
    new PromotionGate(env, schedule(env.name()), directory, allowedSigners())
        .restorePointSignatureProblem(point, signature, at).ifPresent(problems::add);
    return problems;
  }

  /**
   * When {@link #evaluate} of the same request, with no new vote, may next answer otherwise: the end or start of a
   * freeze window, or a vote expiring. Empty when nothing changes within the freeze search horizon (two years).
   */
  public Optional<Instant> nextChange(GateRequest request) {
    EnvironmentSpec env = config.environment(request.candidate().environment());
    return new PromotionGate(env, schedule(env.name()), directory, allowedSigners()).nextChange(request);
  }
}
