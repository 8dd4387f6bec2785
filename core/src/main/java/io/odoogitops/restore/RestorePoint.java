package io.odoogitops.restore;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A restore point: the database of one environment as it was before a release reached it, taken for one application
 * and bound to the digest of the release it protects against. Exactly one of {@link #cloudNativePG()} and
 * {@link #dump()} is set, as {@link #kind()} says; {@link #filestore()} where the environment configures one.
 *
 * @param id the Backup object's name (cloudnativepg) or the dump directory's name (dump)
 * @param takenAt when the database state was fixed: the backup's stoppedAt, or the moment before pg_dump's snapshot
 * @param location where it is: {@code namespace/backup} or the dump directory's absolute path
 */
public record RestorePoint(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("kind") RestorePointKind kind,
    @JsonProperty("id") String id,
    @JsonProperty("takenAt") Instant takenAt,
    @JsonProperty("environment") String environment,
    @JsonProperty("application") String application,
    @JsonProperty("digest") ImageDigest digest,
    @JsonProperty("location") String location,
    @JsonProperty("cloudNativePG") CloudNativePGBackup cloudNativePG,
    @JsonProperty("dump") DumpDirectory dump,
    @JsonProperty("filestore") FilestorePart filestore) {

  public static final int SCHEMA_VERSION = 1;

  public RestorePoint {
    if (schemaVersion != SCHEMA_VERSION) {
      throw ReleaseException.badInput("restore point evidence of schema version " + schemaVersion + " is not"
          + " supported; this odoo-gitops reads version " + SCHEMA_VERSION);
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(takenAt, "takenAt");
    new RestorePointRef(kind, id, takenAt);
    requireName(environment, "environment");
    requireName(application, "application");
    Objects.requireNonNull(digest, "the restore point's digest");
    if (location == null || location.isBlank()) {
      throw ReleaseException.badInput("the restore point has no location");
    }
    if ((kind == RestorePointKind.CLOUDNATIVEPG) != (cloudNativePG != null)
        || (kind == RestorePointKind.DUMP) != (dump != null)) {
      throw ReleaseException.badInput("the restore point of kind " + kind.word() + " must describe exactly its "
          + kind.word() + " part");
    }
    // The restore plan puts these into commands for a shell and kubectl: only what those read as one plain word.
    if (cloudNativePG != null) {
      requireKubernetesName(cloudNativePG.namespace(), "CloudNativePG namespace");
      requireKubernetesName(cloudNativePG.cluster(), "CloudNativePG cluster");
      requireKubernetesName(cloudNativePG.backup(), "CloudNativePG backup");
    }
    if (dump != null) {
      if (dump.source() == null || !DUMP_SOURCE.matcher(dump.source()).matches()) {
        throw ReleaseException.badInput("the restore point's dump source '" + RestorePointRef.printable(dump.source())
            + "' is not user@host:port/database");
      }
      if (dump.database() == null || !DATABASE.matcher(dump.database()).matches()) {
        throw ReleaseException.badInput("the restore point's dump database '"
            + RestorePointRef.printable(dump.database()) + "' is not a database name (letters, digits, '_', '.',"
            + " '-'; at most 63)");
      }
      if (dump.directory() == null || !dump.directory().startsWith("/") || dump.directory().contains("\n")) {
        throw ReleaseException.badInput("the restore point's dump directory must be an absolute path");
      }
    }
  }

  private static final java.util.regex.Pattern DUMP_SOURCE =
      java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,63}@[A-Za-z0-9_.:\\[\\]-]{1,253}:[0-9]{1,5}/[A-Za-z0-9_.-]{1,63}");
  private static final java.util.regex.Pattern DATABASE = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,63}");

  private static void requireKubernetesName(String value, String what) {
    if (!io.odoogitops.config.ClusterSpec.isObjectName(value)) {
      throw ReleaseException.badInput("the restore point's " + what + " '" + RestorePointRef.printable(value)
          + "' is not a Kubernetes object name");
    }
  }

  /** What the promotion commit records. */
  @JsonIgnore
  public RestorePointRef ref() {
    return new RestorePointRef(kind, id, takenAt);
  }

  /** {@code Restore-Point: <kind> <id> <time>}. */
  @JsonIgnore
  public String trailer() {
    return ref().trailer();
  }

  /**
   * What keeps this point from protecting a promotion of {@code digest} of {@code application} to {@code environment}
   * whose last dry-run finished at {@code dryRunAt}: empty when it does. A point taken before the dry-run may predate
   * data the dry-run's verdict relied on, and a point of another digest was taken for another release.
   */
  public List<String> problemsFor(String environment, String application, ImageDigest digest, Instant dryRunAt) {
    List<String> problems = new java.util.ArrayList<>();
    if (!this.environment.equals(environment) || !this.application.equals(application)) {
      problems.add("the restore point " + id + " was taken for " + this.application + " in " + this.environment
          + ", not " + application + " in " + environment);
    }
    if (!this.digest.equals(digest)) {
      problems.add("the restore point " + id + " is bound to " + ImageDigest.shortForm(this.digest) + ", not "
          + ImageDigest.shortForm(digest) + "; take one for this digest");
    }
    if (dryRunAt != null && takenAt.isBefore(dryRunAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))) {
      problems.add("the restore point " + id + " was taken at " + takenAt + ", before the last dry-run (" + dryRunAt
          + "); take a fresh one");
    }
    return problems;
  }

  private static void requireName(String value, String what) {
    if (value == null || !value.matches("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?")) {
      throw ReleaseException.badInput("the restore point's " + what + " '" + RestorePointRef.printable(value)
          + "' is not a valid name");
    }
  }

  /**
   * A CloudNativePG {@code Backup}, as its status reported it when it completed.
   *
   * @param backupId barman's id of the base backup (empty for volume snapshots)
   */
  public record CloudNativePGBackup(
      @JsonProperty("namespace") String namespace,
      @JsonProperty("cluster") String cluster,
      @JsonProperty("backup") String backup,
      @JsonProperty("method") String method,
      @JsonProperty("backupId") String backupId,
      @JsonProperty("beginLSN") String beginLsn,
      @JsonProperty("endLSN") String endLsn,
      @JsonProperty("startedAt") Instant startedAt,
      @JsonProperty("stoppedAt") Instant stoppedAt,
      @JsonProperty("plugin") String plugin) {}

  /**
   * A directory-format dump, checked after it was written.
   *
   * @param source the database dumped, as {@code user@host:port/db} (never a password)
   * @param tocEntries entries {@code pg_restore -l} listed
   * @param tableData TABLE DATA entries among them, at least one per user table of the source
   */
  public record DumpDirectory(
      @JsonProperty("directory") String directory,
      @JsonProperty("source") String source,
      @JsonProperty("database") String database,
      @JsonProperty("jobs") int jobs,
      @JsonProperty("serverMajor") int serverMajor,
      @JsonProperty("pgDumpVersion") String pgDumpVersion,
      @JsonProperty("tocEntries") int tocEntries,
      @JsonProperty("tableData") int tableData,
      @JsonProperty("bytes") long bytes) {}

  /**
   * The Odoo filestore: a VolumeSnapshot ({@code kind=volumeSnapshot}, {@code name} the snapshot in
   * {@code namespace}, {@code source} the PVC) or a copy ({@code kind=copy}, {@code name} the copy's directory,
   * {@code source} the filestore directory).
   */
  public record FilestorePart(
      @JsonProperty("kind") String kind,
      @JsonProperty("name") String name,
      @JsonProperty("namespace") String namespace,
      @JsonProperty("source") String source,
      @JsonProperty("snapshotClass") String snapshotClass,
      @JsonProperty("takenAt") Instant takenAt,
      @JsonProperty("files") long files,
      @JsonProperty("bytes") long bytes) {

    public static final String VOLUME_SNAPSHOT = "volumeSnapshot";
    public static final String COPY = "copy";
  }
}
