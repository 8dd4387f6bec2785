package io.odoogitops.fleet;

import com.fasterxml.jackson.annotation.JsonValue;
import io.odoogitops.ImageDigest;
import io.odoogitops.gitops.HistoryEntry;
import io.odoogitops.policy.ReleasePolicy;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the rollout of one digest across a fleet stands, read from the GitOps history alone: there is no second
 * store, so any machine reads the same state and a crashed run leaves nothing to repair.
 *
 * @param at when the state was read (freeze states are as of then)
 * @param tenants one row per tenant, in wave order
 * @param halt the halt in force, recorded by a failure or {@code fleet rollback} and not yet cleared by
 *     {@code fleet resume}; null when none
 * @param ignoredRecords record commits of the rollout that do not count (not signed by a release key under a trust
 *     root), newest first, each as {@code <commit>: <why>}
 * @param holds the holds in force on the fleet's application in its tenants, whatever digest they hold: a rollback
 *     set them, and promoting the held digest there is refused until it is released
 */
public record FleetState(String fleet, String application, ImageDigest digest, ZonedDateTime at,
    List<TenantState> tenants, Halt halt, List<String> ignoredRecords, List<TenantHold> holds) {

  public FleetState {
    tenants = List.copyOf(tenants);
    ignoredRecords = ignoredRecords == null ? List.of() : List.copyOf(ignoredRecords);
    holds = holds == null ? List.of() : List.copyOf(holds);
  }

  /** A state without holds read. */
  public FleetState(String fleet, String application, ImageDigest digest, ZonedDateTime at, List<TenantState> tenants,
      Halt halt, List<String> ignoredRecords) {
    this(fleet, application, digest, at, tenants, halt, ignoredRecords, List.of());
  }

  /**
   * A hold on the fleet's application in one tenant.
   *
   * @param rollbackCommit the rollback that set it
   * @param since when that rollback landed, in the tenant's zone
   * @param releaseCommand how to lift it on purpose
   */
  public record TenantHold(String tenant, ImageDigest digest, String rollbackCommit, ZonedDateTime since,
      String releaseCommand) {}

  /** This state with the holds in force. */
  public FleetState withHolds(List<TenantHold> inForce) {
    return new FleetState(fleet, application, digest, at, tenants, halt, ignoredRecords, inForce);
  }

  /** A tenant's state for the digest. */
  public enum State {
    /** Runs the digest; its verification is still to come (or not recorded). */
    PROMOTED,
    /** Runs the digest, verified (or without a cluster to verify in), and its wave's soak is over. */
    VERIFIED,
    /** Runs the digest, verified, and its wave's soak is not over yet. */
    SOAKING,
    /** Its promotion failed verification, or its gate refused it for another reason than a freeze. */
    FAILED,
    /**
     * Runs the digest under a trust root, but no sanctioned (signed) promotion or rollback put it there: someone
     * changed the manifests outside odoo-gitops. Not done, so its wave cannot finish and no later wave opens.
     */
    CHANGED_OUTSIDE,
    /** Ran the digest, and a rollback took it away. */
    ROLLED_BACK,
    /** Ran the digest, and a later promotion replaced it. */
    SUPERSEDED,
    /** Has not run the digest and may receive it. */
    WAITING,
    /** Has not run the digest and is inside a freeze window. */
    FROZEN;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * One tenant's row.
   *
   * @param running the digest the tenant's manifests name now
   * @param promotion the commit that promoted the digest to the tenant, if any within the history read
   * @param rollback the commit that rolled it back, when the state is {@code rolled back}
   * @param frozenUntil for a frozen tenant, when promotions open again in its own zone; null if not within two years
   * @param verified whether a cluster verification of the promotion succeeded (true as well for a tenant without a
   *     cluster, whose promotion counts as verified); null: not recorded
   * @param verifiedAt when the verification was recorded (the promotion's time without a cluster), or null
   * @param failure why the tenant failed, for {@code failed}; else null
   */
  public record TenantState(String tenant, String wave, String zone, State state, ImageDigest running,
      CommitRef promotion, CommitRef rollback, List<String> frozenBy, ZonedDateTime frozenUntil, Boolean verified,
      ZonedDateTime verifiedAt, String failure) {

    public TenantState {
      frozenBy = List.copyOf(frozenBy);
    }

    /** A row without records: never verified, nothing failed. */
    public TenantState(String tenant, String wave, String zone, State state, ImageDigest running, CommitRef promotion,
        CommitRef rollback, List<String> frozenBy, ZonedDateTime frozenUntil, Boolean verified) {
      this(tenant, wave, zone, state, running, promotion, rollback, frozenBy, frozenUntil, verified, null, null);
    }

    TenantState with(State newState) {
      return new TenantState(tenant, wave, zone, newState, running, promotion, rollback, frozenBy, frozenUntil,
          verified, verifiedAt, failure);
    }
  }

  /**
   * Why a rollout stopped, as recorded in its halt record commit.
   *
   * @param reason why, for people
   * @param tenant the tenant that failed, or null (e.g. {@code fleet rollback})
   * @param wave that tenant's wave, or null
   * @param commit the record commit of the halt
   * @param by who recorded it (the run's initiator), or null
   */
  public record Halt(String reason, String tenant, String wave, String commit, ZonedDateTime at, String by) {}

  /** A commit of the history, as status shows it. */
  public record CommitRef(String commit, ZonedDateTime time, String promotionId, String fleet, String wave,
      String initiator) {

    static CommitRef of(FleetCommit c, java.time.ZoneId zone) {
      HistoryEntry e = c.entry();
      return new CommitRef(e.commitId(), e.time().atZone(zone), e.promotionId(), c.fleet(), c.wave(),
          e.initiator());
    }
  }

  /**
   * Derives the state of every tenant: a pure function of the fleet, each tenant's deployed digest and its history
   * (newest first), and the freeze schedules at {@code now}.
   *
   * @param facts per tenant; a tenant without facts is read as never having run anything
   */
  public static FleetState of(Fleet fleet, ImageDigest digest, Map<String, TenantFacts> facts, ReleasePolicy policy,
      Instant now) {
    List<TenantState> rows = new ArrayList<>();
    for (Fleet.Wave wave : fleet.waves()) {
      for (Fleet.Tenant tenant : wave.tenants()) {
        rows.add(tenant(wave, tenant, digest, facts.getOrDefault(tenant.name(), TenantFacts.NONE), policy, now));
      }
    }
    return new FleetState(fleet.name(), fleet.application(), digest, now.atZone(policy.zone()), rows, null,
        List.of());
  }

  /**
   * Like {@link #of(Fleet, String, Map, ReleasePolicy, Instant)}, with what the rollout's records say: tenants
   * verified, soaking or failed, and the halt in force.
   *
   * @param unverified tenants with a {@code cluster:} block, whose promotion counts as verified only once a record
   *     says so; any other tenant's promotion counts as verified when it lands
   * @param trusted whether the history was read under a trust root ({@code Snapshot.trusted()}): then a tenant
   *     counts as promoted only through a sanctioned commit of the digest, never through its manifests alone
   */
  public static FleetState of(Fleet fleet, ImageDigest digest, Map<String, TenantFacts> facts, ReleasePolicy policy,
      Instant now, FleetRecords records, Set<String> unverified, boolean trusted) {
    List<TenantState> rows = new ArrayList<>();
    for (Fleet.Wave wave : fleet.waves()) {
      List<TenantState> waveRows = new ArrayList<>();
      for (Fleet.Tenant tenant : wave.tenants()) {
        TenantState row = tenant(wave, tenant, digest, facts.getOrDefault(tenant.name(), TenantFacts.NONE), policy,
            now);
        if (trusted && row.state() == State.PROMOTED && row.promotion() == null) {
          row = changedOutside(row);
        }
        waveRows.add(withRecords(row, records, unverified.contains(tenant.name())));
      }
      // The wave soaks from its last verification on, once every tenant is verified.
      boolean allVerified = waveRows.stream().allMatch(r -> r.state() == State.VERIFIED);
      Instant soakEnd = waveRows.stream().map(TenantState::verifiedAt).filter(java.util.Objects::nonNull)
          .max(Comparator.naturalOrder()).map(t -> t.toInstant().plus(wave.soak())).orElse(null);
      for (TenantState r : waveRows) {
        boolean soaking = allVerified && soakEnd != null && now.isBefore(soakEnd);
        rows.add(soaking ? r.with(State.SOAKING) : r);
      }
    }
    return new FleetState(fleet.name(), fleet.application(), digest, now.atZone(policy.zone()), rows,
        records.halt(), records.ignored());
  }

  /** The reason shown for a tenant in {@link State#CHANGED_OUTSIDE}. */
  static final String CHANGED_OUTSIDE_REASON = "changed outside odoo-gitops: its manifests name the digest, but no"
      + " promotion signed by a release key put it there";

  private static TenantState changedOutside(TenantState row) {
    return new TenantState(row.tenant(), row.wave(), row.zone(), State.CHANGED_OUTSIDE, row.running(), null, null,
        List.of(), null, null, null, CHANGED_OUTSIDE_REASON + "; revert the change (git revert) so that the fleet"
            + " promotes the tenant with a signed commit");
  }

  private static TenantState withRecords(TenantState row, FleetRecords records, boolean needsRecord) {
    FleetRecords.Verification v = records.verifications().get(row.tenant());
    boolean current = v != null && row.promotion() != null && v.promotion().equals(row.promotion().commit());
    boolean haltNamesIt = records.halt() != null && row.tenant().equals(records.halt().tenant());
    if (row.state() == State.PROMOTED) {
      if (current && !v.passed() || haltNamesIt) {
        return new TenantState(row.tenant(), row.wave(), row.zone(), State.FAILED, row.running(), row.promotion(),
            null, List.of(), null, current ? Boolean.FALSE : null, null, current ? v.detail() : records.halt()
                .reason());
      }
      if (current && v.passed() || !needsRecord) {
        ZonedDateTime at = current ? v.at().atZone(java.time.ZoneId.of(row.zone()))
            : row.promotion() == null ? null : row.promotion().time();
        return new TenantState(row.tenant(), row.wave(), row.zone(), State.VERIFIED, row.running(), row.promotion(),
            null, List.of(), null, Boolean.TRUE, at, null);
      }
      return row;
    }
    if ((row.state() == State.ROLLED_BACK || row.state() == State.WAITING || row.state() == State.FROZEN)
        && (haltNamesIt || current && !v.passed())) {
      String why = current && !v.passed() ? v.detail() : records.halt().reason();
      return new TenantState(row.tenant(), row.wave(), row.zone(), State.FAILED, row.running(), row.promotion(),
          row.rollback(), row.frozenBy(), row.frozenUntil(), current ? v.passed() : null, null, why);
    }
    return row;
  }

  private static TenantState tenant(Fleet.Wave wave, Fleet.Tenant tenant, ImageDigest digest, TenantFacts facts,
      ReleasePolicy policy, Instant now) {
    Optional<FleetCommit> promotion = facts.history().stream()
        .filter(c -> !c.entry().isRollback() && digest.equals(c.entry().digest())).findFirst();
    CommitRef promoted = promotion.map(c -> CommitRef.of(c, tenant.zone())).orElse(null);
    if (digest.equals(facts.running())) {
      // Running the digest counts even when a rollback brought it back: the tenant runs what the fleet releases.
      FleetCommit landed = promotion.orElse(facts.history().stream()
          .filter(c -> digest.equals(c.entry().digest())).findFirst().orElse(null));
      return new TenantState(tenant.name(), wave.name(), tenant.zone().getId(), State.PROMOTED, facts.running(),
          landed == null ? null : CommitRef.of(landed, tenant.zone()), null, List.of(), null, null);
    }
    if (promotion.isPresent()) {
      List<FleetCommit> newer = facts.history().subList(0, facts.history().indexOf(promotion.get()));
      String id = promotion.get().entry().promotionId();
      Optional<FleetCommit> undone = newer.stream().filter(c -> c.entry().isRollback()
          && (c.entry().rollbackOf().contains(id) || digest.equals(c.entry().previousDigest())))
          .reduce((newerOne, olderOne) -> olderOne); // the first rollback after the promotion undid it
      return new TenantState(tenant.name(), wave.name(), tenant.zone().getId(),
          undone.isPresent() ? State.ROLLED_BACK : State.SUPERSEDED, facts.running(), promoted,
          undone.map(c -> CommitRef.of(c, tenant.zone())).orElse(null), List.of(), null, null);
    }
    TenantFreeze freeze = TenantFreeze.of(policy.schedule(tenant.name()), now);
    if (freeze.frozen()) {
      return new TenantState(tenant.name(), wave.name(), tenant.zone().getId(), State.FROZEN, facts.running(), null,
          null, freeze.windows(), freeze.opens().map(o -> o.atZone(tenant.zone())).orElse(null), null);
    }
    return new TenantState(tenant.name(), wave.name(), tenant.zone().getId(), State.WAITING, facts.running(), null,
        null, List.of(), null, null);
  }

  /** How many tenants are in each state, in the enum's order. */
  public Map<State, Integer> counts() {
    Map<State, Integer> counts = new EnumMap<>(State.class);
    tenants.forEach(t -> counts.merge(t.state(), 1, Integer::sum));
    return counts;
  }

  /**
   * The digest the fleet released last: that of the newest promotion commit carrying {@code Fleet: fleet} in any
   * tenant's history; empty when none does.
   */
  public static Optional<ImageDigest> latestDigest(String fleet, Map<String, TenantFacts> facts) {
    return facts.values().stream().flatMap(f -> f.history().stream())
        .filter(c -> fleet.equals(c.fleet()) && !c.entry().isRollback())
        .max(Comparator.comparing((FleetCommit c) -> c.entry().time()))
        .map(c -> c.entry().digest());
  }
}
