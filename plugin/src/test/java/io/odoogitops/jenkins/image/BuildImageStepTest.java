package io.odoogitops.jenkins.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.util.StreamTaskListener;
import io.odoogitops.image.BaseArchive;
import io.odoogitops.image.ImageConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * odooBuildImage's work on the agent, run here as the agent would run it in a workspace, without Jenkins: the core's
 * image build from a local base archive into an OCI archive in the workspace, with the Pipeline's view of the result.
 * No registry and no Docker engine are involved. BuildImageStepPipelineTest runs the step in a Pipeline.
 */
class BuildImageStepTest {

  static final String REVISION = "3ca6218e0d1f2a4b5c6d7e8f9a0b1c2d3e4f5a6b";

  @TempDir
  Path tmp;

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @Test
  void buildsTheWorkspacesAddonsIntoAnOciArchiveAndReturnsThePinnedImage() throws Exception {
    BaseArchive base = baseArchive(tmp.resolve("base"));
    Path workspace = workspace(tmp.resolve("ws"));
    OdooBuildImageStep step = new OdooBuildImageStep(" registry.example.com/acme/odoo ", "docker-archive:"
        + base.file());
    step.setAddons("addons, vendor/oca");
    step.setOutput("oci:image.tar");

    Map<String, Object> result = build(step, workspace, null);

    String digest = (String) result.get("digest");
    assertThat(digest).matches("sha256:[0-9a-f]{64}");
    assertThat(result.get("image")).isEqualTo("registry.example.com/acme/odoo@" + digest);
    assertThat(result.get("repository")).isEqualTo("registry.example.com/acme/odoo");
    assertThat(result.get("baseDigest")).isEqualTo(base.configDigest().value());
    assertThat(result.get("odooSeries")).isEqualTo("17.0");
    assertThat(result.get("revision")).isEqualTo(REVISION);
    assertThat(result.get("modules")).asList()
        .containsExactlyInAnyOrder("acme_sale 17.0.1.1.0", "oca_tools 17.0.3.0.0");
    assertThat((List<?>) result.get("tags")).singleElement().asString().startsWith("17.0-");
    assertThat(Files.size(workspace.resolve("image.tar"))).as("the OCI archive, in the workspace").isPositive();
    assertThat(log.toString(StandardCharsets.UTF_8)).isNotBlank();
  }

  @Test
  void theSameWorkspaceBuildsTheSameDigest() throws Exception {
    BaseArchive base = baseArchive(tmp.resolve("base"));
    OdooBuildImageStep step = new OdooBuildImageStep("registry.example.com/acme/odoo", "docker-archive:" + base.file());
    step.setAddons("addons, vendor/oca");
    step.setOutput("oci:image.tar");

    Object first = build(step, workspace(tmp.resolve("one")), null).get("digest");
    Object second = build(step, workspace(tmp.resolve("two")), null).get("digest");

    assertThat(second).isEqualTo(first);
  }

  @Test
  void aMissingAddonsDirectoryFailsTheStepAsBadInputWithoutAStackTrace() throws Exception {
    BaseArchive base = baseArchive(tmp.resolve("base"));
    OdooBuildImageStep step = new OdooBuildImageStep("registry.example.com/acme/odoo", "docker-archive:" + base.file());
    step.setAddons("no-such-dir");
    step.setOutput("oci:image.tar");

    assertThatThrownBy(() -> build(step, workspace(tmp.resolve("ws")), null))
        .isInstanceOf(AbortException.class)
        .hasMessageStartingWith("bad_input: ")
        .hasNoCause();
  }

  @Test
  void theRegistryPasswordIsASecretOfTheWorkAndHiddenFromItsDescription() {
    OdooBuildImageStep step = new OdooBuildImageStep("registry.example.com/acme/odoo", "odoo:17.0");
    OdooBuildImageStep.Login login = new OdooBuildImageStep.Login("ci", "pa55-w0rd-of-the-registry");
    OdooBuildImageStep.BuildImageCallable work = new OdooBuildImageStep.BuildImageCallable(step, login, REVISION,
        null, StreamTaskListener.fromStdout());

    assertThat(work.secrets()).containsExactly("pa55-w0rd-of-the-registry");
    assertThat(login.toString()).doesNotContain("pa55-w0rd-of-the-registry").contains("ci");
  }

  @Test
  void theSourceLabelNeverCarriesTheCheckoutsCredentials() {
    assertThat(OdooBuildImageStep.publicSource("https://bot:glpat-s3cret@git.example.com/acme/addons.git"))
        .isEqualTo("https://git.example.com/acme/addons.git");
    assertThat(OdooBuildImageStep.publicSource("ssh://git@git.example.com/acme/addons.git"))
        .isEqualTo("ssh://git.example.com/acme/addons.git");
    assertThat(OdooBuildImageStep.publicSource("https://git.example.com/acme/addons.git"))
        .isEqualTo("https://git.example.com/acme/addons.git");
    assertThat(OdooBuildImageStep.publicSource(null)).isNull();
  }

  private Map<String, Object> build(OdooBuildImageStep step, Path workspace, OdooBuildImageStep.Login login)
      throws IOException {
    return new OdooBuildImageStep.BuildImageCallable(step, login, REVISION, "https://git.example.com/acme/addons.git",
        new StreamTaskListener(log, StandardCharsets.UTF_8)).invoke(workspace.toFile(), null);
  }

  /** A stand-in Odoo base image, as {@code docker save} would write it. */
  private static BaseArchive baseArchive(Path dir) throws IOException {
    Path rootfs = dir.resolve("rootfs");
    write(rootfs.resolve("etc/odoo/odoo.conf.sample"), "[options]\n");
    write(rootfs.resolve("usr/bin/odoo"), "#!/bin/sh\necho stand-in odoo\n");
    Files.createDirectories(rootfs.resolve("var/lib/odoo"));
    return BaseArchive.write(rootfs, "odoo-gitops/demo-base:17.0",
        ImageConfig.builder().user("odoo").command(List.of("odoo")).build(), dir.resolve("base.tar"));
  }

  /** A checkout with two addons directories. */
  private static Path workspace(Path ws) throws IOException {
    write(ws.resolve("addons/acme_sale/__manifest__.py"),
        "{'name': 'Acme sale', 'version': '17.0.1.1.0', 'depends': ['sale']}\n");
    write(ws.resolve("addons/acme_sale/__init__.py"), "");
    write(ws.resolve("vendor/oca/oca_tools/__manifest__.py"),
        "{'name': 'OCA tools', 'version': '17.0.3.0.0', 'depends': ['base']}\n");
    write(ws.resolve("vendor/oca/oca_tools/__init__.py"), "");
    write(ws.resolve("README.md"), "not an addon\n");
    return ws;
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
