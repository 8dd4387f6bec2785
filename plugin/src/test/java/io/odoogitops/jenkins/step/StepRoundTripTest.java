package io.odoogitops.jenkins.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.jenkins.dryrun.OdooDryRunStep;
import io.odoogitops.jenkins.freeze.OdooFreezeStatusStep;
import io.odoogitops.jenkins.gate.OdooGateStep;
import io.odoogitops.jenkins.image.OdooBuildImageStep;
import io.odoogitops.jenkins.promote.OdooPromoteStep;
import io.odoogitops.jenkins.rollback.OdooRollbackStep;
import io.odoogitops.jenkins.verify.OdooVerifyStep;
import java.util.HashMap;
import java.util.Map;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.UninstantiatedDescribable;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Every step, configured with all its parameters, goes through structs' {@code DescribableModel} the way the Snippet
 * Generator writes it out and a Jenkinsfile reads it back, and comes back equal; each function name finds its step.
 * StepParametersTest checks the same names without Jenkins.
 */
@WithJenkins
class StepRoundTripTest {

  private static final String IMAGE = "registry.example.com/acme/odoo:17.0-1@sha256:" + "1".repeat(64);

  @Test
  void everyConfiguredStepRoundTripsThroughDescribableModel(JenkinsRule j) throws Exception {
    OdooBuildImageStep build = new OdooBuildImageStep("registry.example.com/acme/odoo", "odoo:17.0");
    build.setAddons("addons, vendor/oca");
    build.setTags("17.0-1");
    build.setOutput("oci:image.tar");
    build.setStrictBase(true);
    build.setInsecureRegistry(true);
    roundTrip(j, "odooBuildImage", build, Map.of("image", "registry.example.com/acme/odoo", "base", "odoo:17.0",
        "strictBase", true));

    OdooDryRunStep dryRun = new OdooDryRunStep(IMAGE);
    dryRun.setMigrations("migrations");
    dryRun.setStrategy("dump");
    dryRun.setMaxDuration("15m");
    dryRun.setOdooArgs("-c\n/etc/odoo/odoo.conf");
    dryRun.setRequireRollbackSafe(true);
    dryRun.setFailOnVerdict(false);
    roundTrip(j, "odooDryRun", dryRun, Map.of("image", IMAGE, "strategy", "dump", "failOnVerdict", false));

    OdooGateStep gate = new OdooGateStep("production", "odoo", IMAGE);
    gate.setDryRunReport("dry-run.json");
    gate.setSourceAuthor("carol");
    gate.setOverrideJustification("incident 42");
    gate.setTimeoutMinutes(30);
    roundTrip(j, "odooGate", gate, Map.of("environment", "production", "timeoutMinutes", 30));

    OdooPromoteStep promote = new OdooPromoteStep("production", "odoo", IMAGE);
    promote.setPromotionId("p-1");
    promote.setReason("release 17.0-1");
    promote.setSourceRevision("abc1234");
    roundTrip(j, "odooPromote", promote, Map.of("application", "odoo", "promotionId", "p-1"));

    OdooRollbackStep rollback = new OdooRollbackStep("production", "odoo");
    rollback.setTo("p-1");
    rollback.setReason("incident 42");
    rollback.setPromotionId("r-1");
    roundTrip(j, "odooRollback", rollback, Map.of("to", "p-1"));

    OdooRollbackStep imageOnly = new OdooRollbackStep("production", "odoo");
    imageOnly.setImageOnly(true);
    imageOnly.setJustification("fix forward with 17.0-3 (INC-42)");
    roundTrip(j, "odooRollback", imageOnly, Map.of("imageOnly", true, "justification",
        "fix forward with 17.0-3 (INC-42)"));

    OdooRollbackStep restored = new OdooRollbackStep("production", "odoo");
    restored.setRestoredDatabase("odoo_20261130021500");
    roundTrip(j, "odooRollback", restored, Map.of("restoredDatabase", "odoo_20261130021500"));

    roundTrip(j, "odooFreezeStatus", new OdooFreezeStatusStep("production"), Map.of("environment", "production"));

    OdooVerifyStep verify = new OdooVerifyStep("production", "odoo", "0123456789abcdef0123456789abcdef01234567");
    verify.setDigest("sha256:" + "1".repeat(64));
    verify.setAutoRollback(false);
    verify.setTimeoutMinutes(15);
    roundTrip(j, "odooVerify", verify, Map.of("autoRollback", false, "timeoutMinutes", 15));
  }

  private static void roundTrip(JenkinsRule j, String function, Step step, Map<String, Object> someArguments)
      throws Exception {
    StepDescriptor descriptor = StepDescriptor.byFunctionName(function);
    assertThat(descriptor).as(function).isNotNull();
    assertThat(descriptor.clazz).isEqualTo(step.getClass());
    UninstantiatedDescribable written = DescribableModel.uninstantiate2_(step);
    assertThat(new HashMap<String, Object>(written.getArguments())).as("%s as the Snippet Generator writes it", function)
        .containsAllEntriesOf(someArguments);
    Step read = DescribableModel.of(step.getClass()).instantiate(written.toMap());
    j.assertEqualDataBoundBeans(step, read);
  }
}
