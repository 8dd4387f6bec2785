package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How an environment's restore points are taken when its database is not a CloudNativePG cluster (that kind is
 * configured in the {@code cluster} block, {@link ClusterSpec.CloudNativePG}), and where the Odoo filestore goes.
 *
 * @param dump a logical dump of the production database to a directory
 * @param filestore the Odoo filestore, named in the same restore point; null: the point covers the database only
 * @param databaseSwitch where the environment's manifests name the database, so that a rollback after a restore
 *     switches to the restored one in the same commit as the old digest ({@code rollback --restored-database})
 */
public record RestoreSpec(@JsonProperty("dump") Dump dump, @JsonProperty("filestore") Filestore filestore,
    @JsonProperty("switch") Switch databaseSwitch) {

  /** A restore spec without a database switch. */
  public RestoreSpec(Dump dump, Filestore filestore) {
    this(dump, filestore, null);
  }

  /**
   * The scalar that names the database in the environment's manifests, e.g. {@code { file: values.yaml, path:
   * odoo.database.host }}: a YAML file relative to the environment's directory and a dotted path of mapping keys
   * in its first document.
   */
  public record Switch(@JsonProperty("file") String file, @JsonProperty("path") String path) {}

  private static final Pattern DOTTED = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+){0,31}");

  static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final int MAX_JOBS = 64;

  /**
   * {@code pg_dump -Fd -j jobs} of the database into {@code <location>/<env>-<app>-<digest12>-<UTC time>/}.
   *
   * @param location absolute directory on the machine that takes the point
   * @param jobs parallel dump jobs (default 2)
   * @param database the production database: URL and user; the password by variable or file, never here
   * @param timeout how long the dump may take (default PT2H)
   */
  public record Dump(@JsonProperty("location") String location, @JsonProperty("jobs") Integer jobs,
      @JsonProperty("database") Database database, @JsonProperty("timeout") Duration timeout) {
    public Dump {
      jobs = jobs == null ? 2 : jobs;
      timeout = timeout == null ? Duration.ofHours(2) : timeout;
    }
  }

  /**
   * A database connection as the dry-run's source takes it: a URL without credentials or parameters, a user, and
   * the password from an environment variable or a file of the machine that runs odoo-gitops.
   */
  public record Database(@JsonProperty("url") String url, @JsonProperty("user") String user,
      @JsonProperty("passwordEnv") String passwordEnv, @JsonProperty("passwordFile") String passwordFile) {

    /**
     * Checks the connection's keys where they are written; shared by every block that names a database
     * ({@code restore.dump.database}, {@code dryRun.source}).
     */
    void validate(String at, ConfigProblems problems) {
      if (url == null || url.isBlank()) {
        problems.at(at, "'url' is required, e.g. jdbc:postgresql://db.example.com:5432/odoo");
      } else if (!url.matches("(jdbc:)?postgres(ql)?://[^/?#@]+/[^/?#@&=]+")) {
        // PgEndpoint.parse has the last word when the database is used; this catches the common mistakes at their
        // line.
        problems.at(at + "/url", "write jdbc:postgresql://host:port/database, without credentials or parameters"
            + " (the password comes from passwordEnv or passwordFile)");
      }
      if (user == null || user.isBlank()) {
        problems.at(at, "'user' is required: the role odoo-gitops logs in as (it needs only read access)");
      }
      if (passwordEnv != null && passwordFile != null) {
        problems.at(at, "give the password by 'passwordEnv' or by 'passwordFile', not both");
      }
      if (passwordEnv != null && !VARIABLE.matcher(passwordEnv).matches()) {
        problems.at(at + "/passwordEnv", "must name an environment variable (letters, digits, '_'), not hold the"
            + " password");
      }
      if (passwordFile != null) {
        requireAbsolute(at + "/passwordFile", passwordFile, "the file holding the password", problems);
      }
    }

    /**
     * The password from the named file or variable of this machine; null when neither is named (a trusted login).
     *
     * @param variables the process's environment, or a test's
     * @param key where the block is in the file, for the error, e.g. {@code environments.acme.dryRun.source}
     */
    public String password(Map<String, String> variables, String key) {
      if (passwordFile != null) {
        // A trailing newline from `echo secret > file` is never part of the secret.
        return InputFiles.readUtf8(Path.of(passwordFile), "database password file", InputFiles.SECRET_LIMIT).strip();
      }
      if (passwordEnv == null) {
        return null;
      }
      String password = variables.get(passwordEnv);
      if (password == null || password.isEmpty()) {
        throw ReleaseException.badInput("the environment variable " + passwordEnv + " named by " + key
            + ".passwordEnv is not set; export the password in it");
      }
      return password;
    }
  }

  /** Exactly one of a volume snapshot of the filestore's PVC or a copy of its directory. */
  public record Filestore(@JsonProperty("volumeSnapshot") VolumeSnapshot volumeSnapshot,
      @JsonProperty("copy") Copy copy) {}

  /**
   * A {@code snapshot.storage.k8s.io/v1} VolumeSnapshot of the PVC.
   *
   * @param namespace default: the environment's cluster namespace
   * @param timeout how long to wait for readyToUse (default PT30M)
   */
  public record VolumeSnapshot(@JsonProperty("pvc") String pvc, @JsonProperty("snapshotClass") String snapshotClass,
      @JsonProperty("namespace") String namespace, @JsonProperty("timeout") Duration timeout) {
    public VolumeSnapshot {
      timeout = timeout == null ? Duration.ofMinutes(30) : timeout;
    }
  }

  /** A copy of the filestore directory {@code from} into a new directory under {@code to}. */
  public record Copy(@JsonProperty("from") String from, @JsonProperty("to") String to) {}

  void validate(String at, ConfigProblems problems) {
    if (dump != null) {
      validateDump(at + "/dump", problems);
    }
    if (filestore != null) {
      validateFilestore(at + "/filestore", problems);
    }
    if (databaseSwitch != null) {
      validateSwitch(at + "/switch", problems);
    }
  }

  private void validateSwitch(String at, ConfigProblems problems) {
    String file = databaseSwitch.file();
    if (file == null || file.isBlank()) {
      problems.at(at, "'file' is required: the YAML file, relative to the environment's path, that names the"
          + " database (e.g. values.yaml)");
    } else if (file.startsWith("/") || file.indexOf('\0') >= 0 || file.contains("\\")
        || file.matches("(.*/)?\\.\\.?(/.*)?") || !file.matches(".*\\.ya?ml")) {
      problems.at(at + "/file", "'" + file + "' must be a .yaml or .yml file relative to the environment's path,"
          + " without '..'");
    }
    String path = databaseSwitch.path();
    if (path == null || !DOTTED.matcher(path).matches()) {
      problems.at(at + "/path", "'path' must be dotted mapping keys naming the database's scalar, e.g."
          + " odoo.database.host");
    }
  }

  private void validateDump(String at, ConfigProblems problems) {
    requireAbsolute(at + "/location", dump.location(), "the directory dumps are written to", problems);
    if (dump.jobs() < 1 || dump.jobs() > MAX_JOBS) {
      problems.at(at + "/jobs", "must be between 1 and " + MAX_JOBS);
    }
    ClusterSpec.requirePositive(at + "/timeout", dump.timeout(), problems);
    if (dump.database() == null) {
      problems.at(at, "'database' is required: { url: jdbc:postgresql://host:5432/odoo, user: …, passwordEnv: VAR }");
      return;
    }
    dump.database().validate(at + "/database", problems);
  }

  private void validateFilestore(String at, ConfigProblems problems) {
    if ((filestore.volumeSnapshot() == null) == (filestore.copy() == null)) {
      problems.at(at, "name exactly one of 'volumeSnapshot: { pvc: …, snapshotClass: … }' or"
          + " 'copy: { from: DIR, to: DIR }'");
      return;
    }
    VolumeSnapshot snapshot = filestore.volumeSnapshot();
    if (snapshot != null) {
      kubernetesName(at + "/volumeSnapshot/pvc", snapshot.pvc(), "'pvc' (the filestore's PersistentVolumeClaim)",
          problems);
      kubernetesName(at + "/volumeSnapshot/snapshotClass", snapshot.snapshotClass(),
          "'snapshotClass' (a VolumeSnapshotClass of the PVC's CSI driver)", problems);
      if (snapshot.namespace() != null) {
        kubernetesName(at + "/volumeSnapshot/namespace", snapshot.namespace(), "'namespace'", problems);
      }
      ClusterSpec.requirePositive(at + "/volumeSnapshot/timeout", snapshot.timeout(), problems);
    } else {
      requireAbsolute(at + "/copy/from", filestore.copy().from(), "the filestore directory", problems);
      requireAbsolute(at + "/copy/to", filestore.copy().to(), "the directory copies are written to", problems);
    }
  }

  static void kubernetesName(String at, String value, String what, ConfigProblems problems) {
    if (value == null || value.isBlank()) {
      problems.at(at, what + " is required");
    } else if (!ClusterSpec.isObjectName(value)) {
      problems.at(at, "'" + value + "' is not a Kubernetes name (lower-case letters, digits, '-' and '.')");
    }
  }

  private static void requireAbsolute(String at, String path, String what, ConfigProblems problems) {
    if (path == null || path.isBlank()) {
      problems.at(at, "required: " + what + ", as an absolute path");
    } else if (!path.startsWith("/") || path.indexOf('\0') >= 0 || path.matches("(.*/)?\\.\\.(/.*)?")) {
      problems.at(at, "'" + path + "' must be an absolute path without '..': " + what);
    }
  }
}
