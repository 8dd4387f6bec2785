package io.odoogitops.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/**
 * The Job controller's and the kubelet's part for an upgrade Job on the fabric8 mock server in CRUD mode, played by
 * a test: the pod ran Odoo, printed a log and exited. Shared by the single and the fleet dry-run's Job tests.
 */
public final class JobStandIn {

  private JobStandIn() {
  }

  /** {@code job}'s pod ran, printed {@code log} and exited with {@code exitCode}; the Job says so in its status. */
  public static void finish(KubernetesMockServer server, KubernetesClient client, Job job, int exitCode,
      String log) {
    String namespace = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    String pod = name + "-q2w9z";
    server.expect().get()
        .withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log?pretty=false&container=odoo&follow=true")
        .andReturn(200, log).always();
    client.pods().inNamespace(namespace).resource(new PodBuilder()
        .withNewMetadata().withName(pod).withNamespace(namespace)
        .addToLabels(OdooUpgradeJob.JOB_NAME_LABEL, name).endMetadata()
        .withNewSpec().addNewContainer().withName("odoo").withImage("odoo").endContainer().endSpec()
        .withNewStatus().withContainerStatuses(new ContainerStatusBuilder().withName("odoo")
            .withNewState().withNewTerminated().withExitCode(exitCode).endTerminated().endState().build())
        .endStatus().build()).create();
    boolean succeeded = exitCode == 0;
    client.batch().v1().jobs().inNamespace(namespace).withName(name)
        .edit(j -> new JobBuilder(j).editOrNewStatus().withSucceeded(succeeded ? 1 : 0).withFailed(succeeded ? 0 : 1)
            .withConditions(new JobConditionBuilder().withType(succeeded ? "Complete" : "Failed").withStatus("True")
                .withReason(succeeded ? null : "BackoffLimitExceeded").build())
            .endStatus().build());
  }
}
