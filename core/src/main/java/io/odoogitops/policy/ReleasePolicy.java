package io.odoogitops.policy;

import io.odoogitops.config.EnvironmentSpec;
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

  private ReleasePolicy(ReleaseConfig config, GroupDirectory directory) {
    this.config = config;
    this.directory = directory;
  }

  /** The policy of a loaded (validated) configuration, with groups from its {@code groups:} block. */
  public static ReleasePolicy of(ReleaseConfig config) {
    return new ReleasePolicy(config, ConfigGroupDirectory.of(config));
  }

  /** The policy with groups resolved elsewhere, such as a Jenkins security realm. */
  public static ReleasePolicy of(ReleaseConfig config, GroupDirectory directory) {
    return new ReleasePolicy(config, directory);
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

  /** Decides on a candidate; every rule is in the result, whether it passed or not. */
  public Decision evaluate(GateRequest request) {
    EnvironmentSpec env = config.environment(request.candidate().environment());
    config.application(request.candidate().application());
    return new PromotionGate(env, schedule(env.name()), directory).evaluate(request);
  }

  /**
   * When {@link #evaluate} of the same request, with no new vote, may next answer otherwise: the end or start of a
   * freeze window, or a vote expiring. Empty when nothing changes within the freeze search horizon (two years).
   */
  public Optional<Instant> nextChange(GateRequest request) {
    EnvironmentSpec env = config.environment(request.candidate().environment());
    return new PromotionGate(env, schedule(env.name()), directory).nextChange(request);
  }
}
