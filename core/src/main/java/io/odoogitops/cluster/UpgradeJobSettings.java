package io.odoogitops.cluster;

import io.odoogitops.ReleaseException;
import java.time.Duration;

/**
 * Where and how a dry-run's {@code odoo -u} Job runs; the image, modules and database come from the dry-run itself.
 * Validated when built, so that a typo fails before a clone of production is made.
 *
 * @param databaseHost the clone server's host as the cluster resolves it (e.g. {@code pg.staging.svc}); {@code null}
 *     for the host the clone strategy connected to
 * @param serviceAccount {@code null} for the namespace's default
 */
public record UpgradeJobSettings(String namespace, Duration timeout, String serviceAccount, String databaseHost,
    Duration pollInterval) {

  public UpgradeJobSettings {
    KubernetesNames.requireDnsName(namespace, "upgrade job namespace");
    if (timeout == null || timeout.toSeconds() < 1) {
      throw ReleaseException.badInput("upgrade job timeout must be at least one second, got " + timeout);
    }
    if (serviceAccount != null) {
      KubernetesNames.requireDnsName(serviceAccount, "service account");
    }
    if (databaseHost != null && databaseHost.isBlank()) {
      throw ReleaseException.badInput("the upgrade job's database host is blank; omit it to use the staging host");
    }
    if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
      throw ReleaseException.badInput("upgrade job poll interval must be positive, got " + pollInterval);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Defaults: timeout {@link UpgradeJobSpec#DEFAULT_TIMEOUT}, polls every {@link UpgradeJobSpec#DEFAULT_POLL_INTERVAL}.
   */
  public static final class Builder {
    private String namespace;
    private Duration timeout = UpgradeJobSpec.DEFAULT_TIMEOUT;
    private String serviceAccount;
    private String databaseHost;
    private Duration pollInterval = UpgradeJobSpec.DEFAULT_POLL_INTERVAL;

    private Builder() {
    }

    public Builder namespace(String value) {
      this.namespace = value;
      return this;
    }

    public Builder timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    public Builder serviceAccount(String value) {
      this.serviceAccount = value;
      return this;
    }

    public Builder databaseHost(String value) {
      this.databaseHost = value;
      return this;
    }

    public Builder pollInterval(Duration value) {
      this.pollInterval = value;
      return this;
    }

    public UpgradeJobSettings build() {
      return new UpgradeJobSettings(namespace, timeout, serviceAccount, databaseHost, pollInterval);
    }
  }
}
