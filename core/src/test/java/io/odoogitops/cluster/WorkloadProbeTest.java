package io.odoogitops.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.odoogitops.ImageDigest;
import io.odoogitops.cluster.WorkloadStatus.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rollout rules of {@code kubectl rollout status}, applied to objects as the API server returns them. */
class WorkloadProbeTest {

  private static final ImageDigest DIGEST = new ImageDigest("sha256:" + "e".repeat(64));
  private static final String IMAGE = "registry.example.com/shop/odoo@" + DIGEST;
  private static final String OLD_IMAGE = "registry.example.com/shop/odoo@sha256:" + "0".repeat(64);

  private static WorkloadProbe probe(WorkloadRef ref, String container) {
    return new WorkloadProbe(null, "shop", ref, container);
  }

  private static Deployment deployment(String odooImage, long generation, long observed, int replicas, int updated,
      int available) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("odoo").withGeneration(generation).endMetadata()
        .withNewSpec().withReplicas(3).withNewTemplate().withNewSpec()
        .addNewContainer().withName("odoo").withImage(odooImage).endContainer()
        .addNewContainer().withName("nginx").withImage("nginx@sha256:" + "f".repeat(64)).endContainer()
        .endSpec().endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(observed).withReplicas(replicas).withUpdatedReplicas(updated)
        .withAvailableReplicas(available).endStatus()
        .build();
  }

  @Test
  void deploymentIsRolledOutWhenEveryReplicaIsNewAndAvailable() {
    WorkloadProbe probe = probe(WorkloadRef.parse("deployment/odoo"), null);
    assertThat(probe.interpret(deployment(IMAGE, 2, 2, 3, 3, 3), DIGEST).phase()).isEqualTo(Phase.ROLLED_OUT);
    assertThat(probe.interpret(deployment(IMAGE, 2, 1, 3, 3, 3), DIGEST).phase())
        .as("controller has not seen the new generation").isEqualTo(Phase.ROLLING);
    assertThat(probe.interpret(deployment(IMAGE, 2, 2, 4, 3, 3), DIGEST).phase())
        .as("an old replica is still running").isEqualTo(Phase.ROLLING);
    assertThat(probe.interpret(deployment(IMAGE, 2, 2, 3, 3, 2), DIGEST).phase())
        .as("one new replica not available yet").isEqualTo(Phase.ROLLING);
    WorkloadStatus old = probe.interpret(deployment(OLD_IMAGE, 2, 2, 3, 3, 3), DIGEST);
    assertThat(old.phase()).isEqualTo(Phase.ROLLING);
    assertThat(old.runsDigest()).isFalse();
  }

  @Test
  void namedContainerMustBeTheOneWithTheDigest() {
    Deployment d = deployment(IMAGE, 1, 1, 3, 3, 3);
    assertThat(probe(WorkloadRef.parse("deployment/odoo"), "odoo").interpret(d, DIGEST).runsDigest()).isTrue();
    WorkloadStatus sidecar = probe(WorkloadRef.parse("deployment/odoo"), "nginx").interpret(d, DIGEST);
    assertThat(sidecar.runsDigest()).isFalse();
    assertThat(sidecar.images()).containsExactly("nginx@sha256:" + "f".repeat(64));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      registry.example.com/shop/odoo@D           | true
      registry.example.com/shop/odoo:17.0-abc@D  | true
      localhost:5000/shop/odoo@D                 | true
      odoo@D                                     | true
      registry.example.com/shop/odoo:17.0        | false
      registry.example.com/shop/odoo@sha256:OLD  | false
      registry.example.com/Shop/odoo@D           | false
      registry.example.com/shop/odoo@Dx          | false
      """)
  void theImageIsReadWithTheOneGrammar(String image, boolean runs) {
    String written = image.replace("@D", "@" + DIGEST).replace("OLD", "0".repeat(64));
    WorkloadStatus status = probe(WorkloadRef.parse("deployment/odoo"), "odoo")
        .interpret(deployment(written, 1, 1, 3, 3, 3), DIGEST);
    assertThat(status.runsDigest()).isEqualTo(runs);
    assertThat(status.phase()).isEqualTo(runs ? Phase.ROLLED_OUT : Phase.ROLLING);
  }

  private static StatefulSet statefulSet(String current, String update, Integer available, int ready) {
    return new StatefulSetBuilder()
        .withNewMetadata().withName("odoo").withGeneration(3L).endMetadata()
        .withNewSpec().withReplicas(2).withNewTemplate().withNewSpec()
        .addNewContainer().withName("odoo").withImage(IMAGE).endContainer().endSpec().endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(3L).withReplicas(2).withUpdatedReplicas(2)
        .withAvailableReplicas(available).withReadyReplicas(ready)
        .withCurrentRevision(current).withUpdateRevision(update).endStatus()
        .build();
  }

  @Test
  void statefulSetIsRolledOutWhenTheCurrentRevisionCaughtUp() {
    WorkloadProbe probe = probe(WorkloadRef.parse("statefulset/odoo"), null);
    assertThat(probe.interpret(statefulSet("odoo-7f", "odoo-7f", 2, 2), DIGEST).phase()).isEqualTo(Phase.ROLLED_OUT);
    assertThat(probe.interpret(statefulSet("odoo-6c", "odoo-7f", 2, 2), DIGEST).phase()).isEqualTo(Phase.ROLLING);
    assertThat(probe.interpret(statefulSet("odoo-7f", "odoo-7f", null, 2), DIGEST).phase())
        .as("readyReplicas stands in for availableReplicas on older API servers").isEqualTo(Phase.ROLLED_OUT);
    assertThat(probe.interpret(statefulSet("odoo-7f", "odoo-7f", null, 1), DIGEST).phase()).isEqualTo(Phase.ROLLING);
  }
}
