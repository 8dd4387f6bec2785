package io.odoogitops.cluster;

import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One run of {@code odoo -u <modules> [-i <modules>] --stop-after-init --workers=0 -d <database>} in the cluster.
 *
 * @param namespace where the Job and its Secret are created
 * @param image the built image, pinned by digest ({@code registry/repo@sha256:...}): a tag could move under the run
 * @param modules the technical names of the modules to upgrade ({@code -u})
 * @param install the technical names of the modules to install ({@code -i}): dependencies the release adds
 * @param database the staging clone to upgrade, never the source database
 * @param credentials how to reach the clone's server
 * @param timeout how long the upgrade may take; also set as the Job's {@code activeDeadlineSeconds}
 * @param pollInterval how often the Job's status is read
 * @param serviceAccount the pod's service account, {@code null} for the namespace default
 */
public record UpgradeJobSpec(
    String namespace,
    String image,
    List<String> modules,
    List<String> install,
    String database,
    DatabaseCredentials credentials,
    Duration timeout,
    Duration pollInterval,
    String serviceAccount) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

  // Odoo module technical names: Python identifiers in practice.
  private static final Pattern MODULE = Pattern.compile("[a-z0-9_]+");
  // PostgreSQL identifiers Odoo accepts for database names (odoo.service.db._check_db_name rules).
  private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  public UpgradeJobSpec {
    KubernetesNames.requireDnsName(namespace, "upgrade job namespace");
    // The one grammar, as the Docker runner reads it; the Job's spec carries the text, so it must be exactly that.
    if (image == null || !image.equals(image.strip()) || !ImageRef.isPinned(image)) {
      throw ReleaseException.badInput("upgrade job image '" + image + "' must be pinned by digest "
          + "(registry/repository@sha256:<64 hex digits>)");
    }
    modules = List.copyOf(modules == null ? List.of() : modules);
    install = List.copyOf(install == null ? List.of() : install);
    if (modules.isEmpty() && install.isEmpty()) {
      throw ReleaseException.badInput("no modules to upgrade or install");
    }
    for (String module : Stream.concat(modules.stream(), install.stream()).toList()) {
      if (!MODULE.matcher(module).matches()) {
        throw ReleaseException.badInput("'" + module + "' is not an Odoo module name (lower-case letters, digits, _)");
      }
    }
    if (database == null || !DATABASE.matcher(database).matches()) {
      throw ReleaseException.badInput("'" + database + "' is not a valid Odoo database name");
    }
    if (credentials == null) {
      throw ReleaseException.badInput("no database credentials for the upgrade job");
    }
    if (timeout == null || timeout.toSeconds() < 1) {
      throw ReleaseException.badInput("upgrade job timeout must be at least one second, got " + timeout);
    }
    if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
      throw ReleaseException.badInput("upgrade job poll interval must be positive, got " + pollInterval);
    }
    if (serviceAccount != null) {
      KubernetesNames.requireDnsName(serviceAccount, "service account");
    }
  }

  /** The container's arguments after {@code odoo}; no credentials, those come from the Secret's environment. */
  List<String> odooArguments() {
    List<String> arguments = new ArrayList<>();
    if (!modules.isEmpty()) {
      arguments.addAll(List.of("-u", String.join(",", modules)));
    }
    if (!install.isEmpty()) {
      arguments.addAll(List.of("-i", String.join(",", install)));
    }
    arguments.addAll(List.of("--stop-after-init", "--workers=0", "-d", database));
    return List.copyOf(arguments);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects the wide configuration; {@link #build()} validates it all at once. */
  public static final class Builder {
    private String namespace;
    private String image;
    private List<String> modules;
    private List<String> install;
    private String database;
    private DatabaseCredentials credentials;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private String serviceAccount;

    private Builder() {
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder image(String image) {
      this.image = image;
      return this;
    }

    public Builder modules(List<String> modules) {
      this.modules = modules;
      return this;
    }

    public Builder install(List<String> install) {
      this.install = install;
      return this;
    }

    public Builder database(String database) {
      this.database = database;
      return this;
    }

    public Builder credentials(DatabaseCredentials credentials) {
      this.credentials = credentials;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    public Builder serviceAccount(String serviceAccount) {
      this.serviceAccount = serviceAccount;
      return this;
    }

    public UpgradeJobSpec build() {
      return new UpgradeJobSpec(namespace, image, modules, install, database, credentials, timeout, pollInterval,
          serviceAccount);
    }
  }
}
