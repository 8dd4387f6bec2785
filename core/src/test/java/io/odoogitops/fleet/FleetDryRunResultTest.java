package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet dry-run's exit code: missing evidence outranks a FAIL, a FAIL a WARN; skipped tenants never count. */
class FleetDryRunResultTest {

  private static FleetDryRunResult.TenantResult judged(String tenant, String verdict, int exitCode) {
    return new FleetDryRunResult.TenantResult(tenant, "w", FleetDryRunResult.Status.JUDGED, verdict,
        "PREVIOUS_IMAGE_COMPATIBLE", 10, "/r/" + tenant + "/dry-run.json", "sha256:00", exitCode, List.of());
  }

  private static FleetDryRunResult result(FleetDryRunResult.TenantResult... tenants) {
    return new FleetDryRunResult("saas", "odoo", new ImageDigest("sha256:" + "ab".repeat(32)), "/r", 2, List.of(tenants));
  }

  @Test
  void exitCodesRankMissingEvidenceThenFailThenWarn() {
    FleetDryRunResult.TenantResult skipped = FleetDryRunResult.TenantResult.skipped("s", "w", "no dryRun.source");
    assertThat(result(judged("a", "PASS", 0), skipped).exitCode()).isZero();
    assertThat(result(judged("a", "WARN", 0)).exitCode()).isZero();
    assertThat(result(judged("a", "WARN", 4), judged("b", "PASS", 0)).exitCode()).isEqualTo(4);
    assertThat(result(judged("a", "WARN", 4), judged("b", "FAIL", 1)).exitCode()).isEqualTo(1);
    FleetDryRunResult.TenantResult refusedLogin = FleetDryRunResult.TenantResult.error("c", "w",
        ReleaseException.badInput("PostgreSQL refused the login"), Duration.ofSeconds(1));
    assertThat(result(judged("b", "FAIL", 1), refusedLogin).exitCode()).isEqualTo(2);
    FleetDryRunResult.TenantResult unreachable = FleetDryRunResult.TenantResult.error("d", "w",
        ReleaseException.infrastructure("cannot reach PostgreSQL", null), Duration.ofSeconds(1));
    assertThat(result(refusedLogin, unreachable, judged("b", "FAIL", 1)).exitCode()).isEqualTo(3);
    assertThat(result(FleetDryRunResult.TenantResult.notRun("e", "w", "stopped")).exitCode()).isEqualTo(3);
  }

  @Test
  void countsByVerdictOrStatus() {
    assertThat(result(judged("a", "PASS", 0), judged("b", "FAIL", 1), judged("c", "PASS", 0),
        FleetDryRunResult.TenantResult.skipped("s", "w", "no dryRun.source")).counts())
        .containsExactly(java.util.Map.entry("FAIL", 1), java.util.Map.entry("PASS", 2),
            java.util.Map.entry("skipped", 1));
  }
}
