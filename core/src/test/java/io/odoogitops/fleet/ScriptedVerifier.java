package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import io.odoogitops.cluster.VerificationOutcome;
import io.odoogitops.cluster.VerificationReport;
import io.odoogitops.config.ClusterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A cluster in which the workloads of some tenants go Degraded on the new digest: their verification ends with a
 * {@link VerificationOutcome#CONTROLLER_FAILED} report, exactly as {@code ClusterVerifier} returns one, and every other
 * tenant's with a verified report. Remembers whom it was asked about, so a test can prove later waves never were.
 */
final class ScriptedVerifier implements TenantVerifier {

  static final String DEGRADED = "application is Degraded: CrashLoopBackOff in pod odoo-0";

  private final Set<String> failing;
  private final List<String> asked = new CopyOnWriteArrayList<>();

  ScriptedVerifier(Set<String> failing) {
    this.failing = Set.copyOf(failing);
  }

  @Override
  public VerificationReport verify(String tenant, ClusterSpec cluster, String application, String commit,
      ImageDigest digest) {
    asked.add(tenant);
    boolean fails = failing.contains(tenant);
    return new VerificationReport(tenant, application, commit, digest,
        fails ? VerificationOutcome.CONTROLLER_FAILED : VerificationOutcome.VERIFIED, fails ? DEGRADED : null,
        Instant.EPOCH, Duration.ofSeconds(fails ? 90 : 20), null, null, List.of(), List.of(), null, null);
  }

  /** The tenants verified so far, in the order asked. */
  List<String> asked() {
    return List.copyOf(asked);
  }
}
