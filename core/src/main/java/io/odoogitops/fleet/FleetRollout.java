package io.odoogitops.fleet;

import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.ImageRef;
import io.odoogitops.gitops.PromotionEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

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
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Records that the halt of the rollout of {@code image} is cleared ({@code reason}, the builder's initiator) and
   * advances. Refused when no halt is in force. Tenants that failed are promoted again under fresh promotion ids.
   */
  public FleetAdvance resume(String fleet, ImageRef image, String reason) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Returns every tenant that runs the fleet's digest (its promotion carries {@code Fleet: fleet}) to its previous
   * digest, one rollback commit per tenant with {@code Fleet:}/{@code Wave:} trailers, in one push; rollbacks pass
   * freezes as usual. Records a halt, so that no later run promotes the digest again before {@code fleet resume}.
   *
   * @param digest the digest to roll back; null: the newest one a commit with {@code Fleet: fleet} promoted
   */
  public FleetRollbackResult rollback(String fleet, String digest, String reason) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Where the rollout of {@code digest} stands, as {@code fleet status} shows it, including verifications, soaks and
   * the halt read from the record commits.
   *
   * @param digest null: the newest one a commit with {@code Fleet: fleet} promoted
   */
  public FleetState status(String fleet, String digest) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Gate inputs per tenant: {@code shared} (votes, source author, override) with the tenant's own dry-run evidence,
   * {@code DIR/<tenant>/dry-run.json} and its {@code .sig} when present (the layout {@code fleet dry-run} writes);
   * without a report the tenant has no dry-run evidence.
   */
  public static Function<String, GateCheck.Inputs> dryRunReports(Path dir, GateCheck.Inputs shared) {
    throw new UnsupportedOperationException("not yet");
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

    public FleetRollout build() {
      return new FleetRollout(this);
    }
  }
}
