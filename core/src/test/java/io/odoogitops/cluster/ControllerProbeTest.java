package io.odoogitops.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.odoogitops.cluster.ControllerStatus.Phase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControllerProbeTest {

  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  private static final String OTHER = "fedcba9876543210fedcba9876543210fedcba98";

  private final ArgoApplicationProbe argo = new ArgoApplicationProbe(ControllerRef.argoApplication("shop", null));
  private final FluxKustomizationProbe flux = new FluxKustomizationProbe(ControllerRef.fluxKustomization("shop", null));

  private static GenericKubernetesResource withStatus(Map<String, Object> status) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setAdditionalProperty("status", status);
    return r;
  }

  private static GenericKubernetesResource argoApp(String revision, String sync, String health) {
    return withStatus(Map.of("sync", Map.of("revision", revision, "status", sync), "health", Map.of("status", health)));
  }

  @Test
  void argoIsAppliedOnlyWhenSyncedAndHealthyAtTheCommit() {
    assertThat(argo.interpret(argoApp(COMMIT, "Synced", "Healthy"), COMMIT).phase()).isEqualTo(Phase.APPLIED);
    assertThat(argo.interpret(argoApp(COMMIT, "Synced", "Healthy"), COMMIT.substring(0, 7)).phase())
        .as("abbreviated commit").isEqualTo(Phase.APPLIED);
    assertThat(argo.interpret(argoApp(COMMIT, "Synced", "Progressing"), COMMIT).phase()).isEqualTo(Phase.PENDING);
    assertThat(argo.interpret(argoApp(COMMIT, "OutOfSync", "Healthy"), COMMIT).phase()).isEqualTo(Phase.PENDING);
    assertThat(argo.interpret(argoApp(OTHER, "Synced", "Healthy"), COMMIT).phase()).isEqualTo(Phase.PENDING);
  }

  @Test
  void argoDegradedCountsOnlyForOurCommit() {
    assertThat(argo.interpret(argoApp(COMMIT, "Synced", "Degraded"), COMMIT).phase()).isEqualTo(Phase.FAILED);
    assertThat(argo.interpret(argoApp(OTHER, "Synced", "Degraded"), COMMIT).phase())
        .as("an older revision's trouble is not ours").isEqualTo(Phase.PENDING);
  }

  @Test
  void argoFailedSyncOperationOfTheCommitFails() {
    ControllerStatus status = argo.interpret(withStatus(Map.of(
        "sync", Map.of("revision", OTHER, "status", "OutOfSync"),
        "health", Map.of("status", "Healthy"),
        "operationState", Map.of("phase", "Failed", "message", "one or more objects failed to apply",
            "syncResult", Map.of("revision", COMMIT)))), COMMIT);
    assertThat(status.phase()).isEqualTo(Phase.FAILED);
    assertThat(status.detail()).contains("ended in Failed").contains("failed to apply");
  }

  @Test
  void argoMultiSourceApplicationsReportRevisions() {
    ControllerStatus status = argo.interpret(withStatus(Map.of(
        "sync", Map.of("revisions", List.of("abc1234def", COMMIT), "status", "Synced"),
        "health", Map.of("status", "Healthy"))), COMMIT);
    assertThat(status.revision()).isEqualTo(COMMIT);
    assertThat(status.phase()).isEqualTo(Phase.APPLIED);
  }

  private static GenericKubernetesResource kustomization(String applied, String attempted, String ready,
      String reason) {
    return withStatus(Map.of("lastAppliedRevision", "main@sha1:" + applied, "lastAttemptedRevision",
        "main@sha1:" + attempted, "conditions", List.of(Map.of("type", "Ready", "status", ready, "reason", reason,
            "message", "m"))));
  }

  @Test
  void fluxIsAppliedWhenReadyAndTheAppliedRevisionNamesTheCommit() {
    assertThat(flux.interpret(kustomization(COMMIT, COMMIT, "True", "ReconciliationSucceeded"), COMMIT).phase())
        .isEqualTo(Phase.APPLIED);
    assertThat(flux.interpret(kustomization(OTHER, COMMIT, "Unknown", "Progressing"), COMMIT).phase())
        .isEqualTo(Phase.PENDING);
    assertThat(flux.interpret(kustomization(OTHER, OTHER, "True", "ReconciliationSucceeded"), COMMIT).phase())
        .isEqualTo(Phase.PENDING);
  }

  @Test
  void fluxFailsOnTerminalReasonsOfTheAttemptedCommitOnly() {
    assertThat(flux.interpret(kustomization(OTHER, COMMIT, "False", "BuildFailed"), COMMIT).phase())
        .isEqualTo(Phase.FAILED);
    assertThat(flux.interpret(kustomization(OTHER, COMMIT, "False", "DependencyNotReady"), COMMIT).phase())
        .as("waiting for a dependency is not a failure of this revision").isEqualTo(Phase.PENDING);
    assertThat(flux.interpret(kustomization(OTHER, OTHER, "False", "BuildFailed"), COMMIT).phase())
        .isEqualTo(Phase.PENDING);
  }

  @Test
  void missingStatusIsPendingNotAnError() {
    ControllerStatus status = argo.interpret(new GenericKubernetesResource(), COMMIT);
    assertThat(status.phase()).isEqualTo(Phase.PENDING);
    assertThat(status.summary()).contains("Unknown/Unknown at no revision yet");
    assertThat(flux.interpret(new GenericKubernetesResource(), COMMIT).phase()).isEqualTo(Phase.PENDING);
  }

  @Test
  void theCommitOfARevisionIsItsWholeCommitId() {
    assertThat(ControllerProbe.commitOf(COMMIT)).isEqualTo(COMMIT);
    assertThat(ControllerProbe.commitOf("main@sha1:" + COMMIT)).as("flux").isEqualTo(COMMIT);
    assertThat(ControllerProbe.commitOf("main/" + COMMIT.toUpperCase())).as("flux, legacy").isEqualTo(COMMIT);
    String sha256 = "ab".repeat(32);
    assertThat(ControllerProbe.commitOf("main@sha256:" + sha256)).isEqualTo(sha256);
    assertThat(ControllerProbe.commitOf("0123456")).as("abbreviated: not a whole id").isNull();
    assertThat(ControllerProbe.commitOf(COMMIT + "ab")).as("42 hex digits are no commit id").isNull();
    assertThat(ControllerProbe.commitOf("1.4.2")).as("a Helm chart version").isNull();
    assertThat(ControllerProbe.commitOf(null)).isNull();
  }
}
