package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * What one {@code fleet promote} (or {@code fleet resume}) run did and where the rollout stands after it.
 *
 * @param outcome how the run ended
 * @param message one line for people
 * @param promoted tenants promoted by this run (commit: the promotion commit)
 * @param verified tenants whose verification this run recorded as passed (including tenants without a cluster block)
 * @param failed tenants that failed in this run (gate refusal other than a freeze, failed verification, failed
 *     dry-run); detail says why, commit is the rollback commit when one was made
 * @param queued tenants of the current wave left for a later run because they are frozen, each with when it opens
 * @param nextWave the wave that comes next, or null when the last wave is running or done
 * @param nextWaveAt when {@code nextWave} may start (its predecessor verified and soaked), in the file's zone; null
 *     when not known yet (tenants still to promote or verify) or nothing comes next
 * @param halt the halt in force after the run, or null
 * @param state the fleet's state after the run, as {@code fleet status} shows it
 * @param superseded tenants whose promotion this run found replaced, while it verified them, by a later commit that
 *     deploys another digest there (a promotion or rollback by someone else): neither verified nor failed, not rolled
 *     back; commit is the commit that replaced it (or the later commit the controller synced), detail says what
 */
public record FleetAdvance(String fleet, String application, ImageDigest digest, Outcome outcome, String message,
    List<TenantStep> promoted, List<TenantStep> verified, List<TenantStep> failed, List<Queued> queued,
    String nextWave, ZonedDateTime nextWaveAt, FleetState.Halt halt, FleetState state, List<TenantStep> superseded) {

  public FleetAdvance {
    promoted = List.copyOf(promoted);
    verified = List.copyOf(verified);
    failed = List.copyOf(failed);
    queued = List.copyOf(queued);
    superseded = superseded == null ? List.of() : List.copyOf(superseded);
  }

  /** A run in which no tenant was superseded. */
  public FleetAdvance(String fleet, String application, ImageDigest digest, Outcome outcome, String message,
      List<TenantStep> promoted, List<TenantStep> verified, List<TenantStep> failed, List<Queued> queued,
      String nextWave, ZonedDateTime nextWaveAt, FleetState.Halt halt, FleetState state) {
    this(fleet, application, digest, outcome, message, promoted, verified, failed, queued, nextWave, nextWaveAt, halt,
        state, List.of());
  }

  /** How a run ended. */
  public enum Outcome {
    /** Promoted or verified something, and nothing failed. */
    ADVANCED,
    /** Nothing could be done now: frozen tenants, or the soak of the last finished wave is still running. */
    WAITING,
    /** Every tenant runs the digest, verified; the last wave has soaked or has no soak. */
    COMPLETE,
    /** A failure halted the rollout (now or earlier); {@code fleet resume} clears it. */
    HALTED
  }

  /** One tenant's step in this run. */
  public record TenantStep(String tenant, String wave, String commit, String detail) {}

  /** A frozen tenant of the current wave, promoted by a later run once it opens. */
  public record Queued(String tenant, String wave, List<String> frozenBy, ZonedDateTime opensAt) {
    public Queued {
      frozenBy = List.copyOf(frozenBy);
    }
  }

  /** The CLI's exit code: 1 when halted, else 0 (advanced, waiting or complete). */
  public int exitCode() {
    return outcome == Outcome.HALTED ? 1 : 0;
  }
}
