package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.odoogitops.ReleaseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code fleet restore-point take} did, tenant by tenant: the tenants that needed no point first, then those
 * that did, in wave order.
 *
 * @param wave the rollout's current wave; null when every wave is done
 * @param dir the directory holding {@code <tenant>/restore-point.json}
 * @param parallel how many points were allowed at a time
 */
public record FleetRestorePointResult(String fleet, String application, ImageDigest digest, String wave, String dir,
    int parallel, List<TenantPoint> tenants) {

  public FleetRestorePointResult {
    tenants = List.copyOf(tenants);
  }

  /** How a tenant's point ended. */
  public enum Status {
    /** Taken; its evidence (and signature) written. */
    TAKEN,
    /** Needed none now (see the reason). */
    SKIPPED,
    /** Needed one and taking it failed: no evidence from this run. */
    FAILED;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One tenant's row.
   *
   * @param trailer the point's {@code Restore-Point:} trailer, when taken
   * @param evidence its evidence file, when taken
   * @param signature its signature file, when taken and signed
   * @param reason why it needed a point, why not, or why taking it failed
   * @param exitCode what {@code restore-point take} alone would exit with for this tenant
   */
  public record TenantPoint(String tenant, String wave, Status status, String trailer, String evidence,
      String signature, String reason, int exitCode) {

    static TenantPoint taken(String tenant, String wave, String trailer, String evidence, String signature,
        String why) {
      return new TenantPoint(tenant, wave, Status.TAKEN, trailer, evidence, signature, why, 0);
    }

    static TenantPoint skipped(String tenant, String wave, String why) {
      return new TenantPoint(tenant, wave, Status.SKIPPED, null, null, null, why, 0);
    }

    static TenantPoint failed(String tenant, String wave, ReleaseException e) {
      return new TenantPoint(tenant, wave, Status.FAILED, null, null, null, e.getMessage(), e.exitCode());
    }
  }

  /** The worst exit code of the tenants that needed a point: 0 when every one was taken. */
  @JsonProperty("exitCode")
  public int exitCode() {
    return tenants.stream().mapToInt(TenantPoint::exitCode).max().orElse(0);
  }

  /** Tenants per status. */
  @JsonProperty("counts")
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    tenants.forEach(t -> counts.merge(t.status().label(), 1, Integer::sum));
    return counts;
  }
}
