package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One environment of {@code odoo-gitops.yaml}: where its manifests live, in which layout, and its release policy.
 *
 * @param name the key under {@code environments:}
 * @param path directory of the manifests, relative to the repository root
 * @param layout how the manifests name the image
 * @param file the file to edit, relative to {@code path}; defaults per layout (manifest: every YAML file)
 * @param promoteFrom an environment the digest must already run in before it may come here
 * @param gate approvals and checks required to promote here; {@code null} means none
 * @param freeze windows during which promotions are refused
 * @param override the emergency override of freezes
 * @param cluster where the environment runs, for verification after promotion; null: not verified
 * @param restorePoint when a restore point must be taken before a release lands here (default off)
 * @param restore how restore points are taken when the database is not a CloudNativePG cluster, and the filestore
 * @param labels free-form facts about the environment (tier, region, hosting) that fleet waves select on
 * @param automation image automation writing the environment's files, and whether a rollback pins it; null: none
 * @param dryRun the database this environment's own dry-runs clone ({@code fleet dry-run}); null: none of its own
 */
public record EnvironmentSpec(
    @JsonIgnore String name,
    @JsonProperty("path") String path,
    @JsonProperty("layout") Layout layout,
    @JsonProperty("file") String file,
    @JsonProperty("promoteFrom") String promoteFrom,
    @JsonProperty("gate") GateSpec gate,
    @JsonProperty("freeze") List<FreezeSpec> freeze,
    @JsonProperty("override") OverrideSpec override,
    @JsonProperty("cluster") ClusterSpec cluster,
    @JsonProperty("restorePoint") RestorePointPolicy restorePoint,
    @JsonProperty("restore") RestoreSpec restore,
    @JsonProperty("labels") Map<String, String> labels,
    @JsonProperty("automation") AutomationSpec automation,
    @JsonProperty("dryRun") DryRunSpec dryRun) {

  public EnvironmentSpec {
    freeze = freeze == null ? List.of() : List.copyOf(freeze);
    restorePoint = restorePoint == null ? RestorePointPolicy.OFF : restorePoint;
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
  }

  /** An environment without restore points or labels. */
  public EnvironmentSpec(String name, String path, Layout layout, String file, String promoteFrom, GateSpec gate,
      List<FreezeSpec> freeze, OverrideSpec override, ClusterSpec cluster) {
    this(name, path, layout, file, promoteFrom, gate, freeze, override, cluster, null, null, null, null, null);
  }

  EnvironmentSpec named(String key) {
    return new EnvironmentSpec(key, path, layout, file, promoteFrom, gate, freeze, override, cluster, restorePoint,
        restore, labels, automation, dryRun);
  }

  /** The CloudNativePG cluster restore points back up, if the cluster block names one. */
  public java.util.Optional<ClusterSpec.CloudNativePG> cloudNativePG() {
    return java.util.Optional.ofNullable(cluster).map(ClusterSpec::cloudNativePG);
  }

  /** The logical dump settings, if configured. */
  public java.util.Optional<RestoreSpec.Dump> dump() {
    return java.util.Optional.ofNullable(restore).map(RestoreSpec::dump);
  }

  /** The file to edit relative to the repository root, or {@code null} for "every YAML file under path". */
  public String manifestFile() {
    String f = file != null ? file : layout.defaultFile();
    if (f == null) {
      return null;
    }
    String dir = directory();
    return RepoPath.normalize(dir.isEmpty() ? f : dir + "/" + f);
  }

  /** The manifests' directory, normalized ("" for the repository root). */
  public String directory() {
    return RepoPath.normalize(path);
  }
}
