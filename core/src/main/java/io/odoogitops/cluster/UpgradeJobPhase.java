package io.odoogitops.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.dryrun.upgrade.OdooUpgradePhase;
import io.odoogitops.dryrun.upgrade.OdooUpgradeRun;
import io.odoogitops.dryrun.upgrade.OdooUpgradeTarget;
import java.util.Objects;

/**
 * The dry-run's {@code odoo -u} phase as a Kubernetes Job: each run is one {@link OdooUpgradeJob}, which creates the
 * Job and the credentials Secret, streams the log and deletes both whatever happens.
 */
public final class UpgradeJobPhase implements OdooUpgradePhase {

  private final KubernetesClient client;
  private final ProgressListener listener;
  private final UpgradeJobSettings settings;
  private final String qualifier;

  /** @param client an open client; the caller closes it after the dry-run */
  public UpgradeJobPhase(KubernetesClient client, ProgressListener listener, UpgradeJobSettings settings) {
    this(client, listener, settings, null);
  }

  /**
   * @param client an open client, which several phases may share; the caller closes it after the dry-runs
   * @param qualifier in the name of every Job this phase runs ({@code fleet dry-run}: the tenant); null for none
   */
  public UpgradeJobPhase(KubernetesClient client, ProgressListener listener, UpgradeJobSettings settings,
      String qualifier) {
    this.client = Objects.requireNonNull(client, "client");
    this.listener = listener;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.qualifier = qualifier;
  }

  @Override
  public OdooUpgradeRun run(OdooUpgradeTarget target) {
    PgEndpoint clone = target.database();
    String host = settings.databaseHost() != null ? settings.databaseHost() : clone.host();
    UpgradeJobSpec spec = UpgradeJobSpec.builder()
        .namespace(settings.namespace())
        .image(target.image())
        .modules(target.modules())
        .install(target.install())
        .database(clone.database())
        // A clone server that trusts its clients has no password; libpq treats an empty PGPASSWORD as none.
        .credentials(new DatabaseCredentials(host, clone.port(), clone.user(),
            clone.password() == null ? "" : clone.password()))
        .timeout(settings.timeout())
        .pollInterval(settings.pollInterval())
        .serviceAccount(settings.serviceAccount())
        .build();
    UpgradeJobResult result = new OdooUpgradeJob(client, listener, qualifier).run(spec);
    // the dry-run measures the run on the clone around this call, and attributes it to modules by this log
    return new OdooUpgradeRun(result.outcome().name(), result.passed(), result.modules(), result.image(),
        result.job(), result.exitCode(), result.errorLines(), result.duration().toMillis(), result.detail(),
        result.odooLog(), null);
  }
}
