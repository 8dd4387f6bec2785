package io.odoogitops.jenkins.image;

import hudson.model.Result;
import io.odoogitops.image.BaseArchive;
import io.odoogitops.image.ImageConfig;
import io.odoogitops.jenkins.testing.Pipelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * odooBuildImage in a real Pipeline: addons written into the workspace, a local base archive, an OCI archive out; the
 * revision and the public source come from the checkout's variables. BuildImageStepTest covers the agent's work.
 */
@WithJenkins
class BuildImageStepPipelineTest {

  @TempDir
  Path tmp;

  @Test
  void theImageOfTheWorkspaceIsBuiltAndItsPinnedReferenceReturned(JenkinsRule j) throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs/etc/odoo")).getParent().getParent();
    Files.writeString(rootfs.resolve("etc/odoo/odoo.conf.sample"), "[options]\n");
    BaseArchive base = BaseArchive.write(rootfs, "odoo-gitops/demo-base:17.0",
        ImageConfig.builder().user("odoo").command(List.of("odoo")).build(), tmp.resolve("base.tar"));

    WorkflowRun build = Pipelines.run(j, """
        node {
          writeFile file: 'addons/acme_sale/__manifest__.py', text: "{'name': 'Acme sale', 'version': '17.0.1.1.0'}"
          writeFile file: 'addons/acme_sale/__init__.py', text: ''
          withEnv(['GIT_COMMIT=%s', 'GIT_URL=https://bot:glpat-s3cret@git.example.com/acme/addons.git']) {
            def img = odooBuildImage image: 'registry.example.com/acme/odoo', base: 'docker-archive:%s',
                addons: 'addons', output: 'oci:image.tar'
            echo "built ${img.image} from ${img.revision}: ${img.modules}"
            echo "archive exists: ${fileExists('image.tar')}"
          }
        }
        """.formatted(BuildImageStepTest.REVISION, base.file()));

    j.assertBuildStatusSuccess(build);
    j.assertLogContains("built registry.example.com/acme/odoo@sha256:", build);
    j.assertLogContains("from " + BuildImageStepTest.REVISION + ": [acme_sale 17.0.1.1.0]", build);
    j.assertLogContains("archive exists: true", build);
    j.assertLogNotContains("glpat-s3cret", build);
  }

  @Test
  void aMissingBaseFailsTheStepWithTheCoresMessage(JenkinsRule j) throws Exception {
    WorkflowRun build = Pipelines.run(j, """
        node {
          writeFile file: 'addons/acme_sale/__manifest__.py', text: "{'name': 'Acme sale', 'version': '17.0.1.1.0'}"
          odooBuildImage image: 'registry.example.com/acme/odoo', base: 'docker-archive:%s', addons: 'addons',
              output: 'oci:image.tar'
        }
        """.formatted(tmp.resolve("no-such-base.tar")));

    j.assertBuildStatus(Result.FAILURE, build);
    j.assertLogContains("bad_input: ", build);
    j.assertLogNotContains("at io.odoogitops", build);
  }
}
