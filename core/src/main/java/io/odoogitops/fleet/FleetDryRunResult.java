package io.odoogitops.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.setup.DryRunOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code fleet dry-run} found, tenant by tenant in wave order.
 *
 * @param reportDir the directory holding {@code <tenant>/dry-run.json}
 * @param parallel how many dry-runs were allowed at a time
 */
public record FleetDryRunResult(String fleet, String application, ImageDigest digest, String reportDir, int parallel,
    List<TenantResult> tenants) {

  public FleetDryRunResult {
    tenants = List.copyOf(tenants);
  }

  /** How a tenant's dry-run ended. */
  public enum Status {
    /** Ran and judged: see the verdict. */
    JUDGED,
    /** Could not run (unreachable source, refused login, ...): no report. */
    ERROR,
    /** Names no database of its own. */
    SKIPPED,
    /** The run was stopped before this tenant started. */
    NOT_RUN;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * One tenant's row.
   *
   * @param verdict PASS, WARN or FAIL when judged, else null
   * @param rollbackSafety the report's rollback safety when judged, else null
   * @param durationMs wall time of the tenant's dry-run, clone included; 0 when it did not run
   * @param report the tenant's dry-run.json, when judged
   * @param reportSha256 its SHA-256, {@code sha256:…}
   * @param exitCode what the tenant's dry-run alone would exit with; 0 for skipped tenants
   * @param reason why a tenant was skipped, did not run or failed to run; the reasons of a verdict otherwise
   */
  public record TenantResult(String tenant, String wave, Status status, String verdict, String rollbackSafety,
      long durationMs, String report, String reportSha256, int exitCode, List<String> reason) {

    public TenantResult {
      reason = List.copyOf(reason);
    }

    static TenantResult ran(String tenant, String wave, DryRunOutcome outcome, Duration took) {
      return new TenantResult(tenant, wave, Status.JUDGED, outcome.verdict().name(),
          outcome.report().judgement().rollbackSafety().name(), took.toMillis(), outcome.files().json().toString(),
          "sha256:" + outcome.files().sha256(), outcome.exitCode(), outcome.reasonLines());
    }

    static TenantResult error(String tenant, String wave, ReleaseException e, Duration took) {
      return new TenantResult(tenant, wave, Status.ERROR, null, null, took.toMillis(), null, null, e.exitCode(),
          List.of(e.getMessage()));
    }

    static TenantResult skipped(String tenant, String wave, String why) {
      return new TenantResult(tenant, wave, Status.SKIPPED, null, null, 0, null, null, 0, List.of(why));
    }

    static TenantResult notRun(String tenant, String wave, String why) {
      return new TenantResult(tenant, wave, Status.NOT_RUN, null, null, 0, null, null,
          ReleaseException.Kind.INFRASTRUCTURE.exitCode(), List.of(why));
    }
  }

  /**
   * The run's exit code: a tenant that could not run wins (3 before 2: the evidence is missing, not judged), then any
   * FAIL (1), then a WARN mapped to a non-zero code, else 0. Skipped tenants do not count.
   */
  @JsonProperty("exitCode")
  public int exitCode() {
    int unjudged = tenants.stream().filter(t -> t.status() == Status.ERROR || t.status() == Status.NOT_RUN)
        .mapToInt(TenantResult::exitCode).max().orElse(0);
    if (unjudged != 0) {
      return unjudged;
    }
    if (tenants.stream().anyMatch(t -> "FAIL".equals(t.verdict()))) {
      return ReleaseException.Kind.REFUSED.exitCode();
    }
    return tenants.stream().filter(t -> t.status() == Status.JUDGED).mapToInt(TenantResult::exitCode)
        .filter(code -> code != 0).findFirst().orElse(0);
  }

  /** Tenants per outcome: {@code PASS}, {@code WARN}, {@code FAIL}, {@code error}, {@code skipped}, {@code not run}. */
  @JsonProperty("counts")
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    tenants.forEach(t -> counts.merge(t.status() == Status.JUDGED ? t.verdict() : t.status().label(), 1,
        Integer::sum));
    return counts;
  }
}
