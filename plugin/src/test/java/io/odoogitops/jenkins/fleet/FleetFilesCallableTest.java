package io.odoogitops.jenkins.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What odooFleetPromote reads on the agent from {@code restorePoints} (and {@code dryRunReports}): each tenant's named
 * files, nothing else, no link followed; run as the agent runs it, without a Jenkins runtime.
 */
class FleetFilesCallableTest {

  @TempDir
  Path dir;

  private static OdooFleetPromoteStep.ReportsCallable points() {
    return new OdooFleetPromoteStep.ReportsCallable("restorePoints", "'fleet restore-point take'",
        List.of("restore-point.json", "restore-point.json.sig"));
  }

  @Test
  void eachTenantsPointAndSignatureAreReadAndNothingElse() throws Exception {
    Path points = Files.createDirectories(dir.resolve("points"));
    Files.writeString(Files.createDirectories(points.resolve("globex")).resolve("restore-point.json"), "{\"id\":1}");
    Files.writeString(points.resolve("globex/restore-point.json.sig"), "-----BEGIN SSH SIGNATURE-----");
    Files.writeString(Files.createDirectories(points.resolve("initech")).resolve("restore-point.json"), "{}");
    Files.writeString(points.resolve("initech/notes.txt"), "not evidence");
    Files.writeString(Files.createDirectories(points.resolve("Not_A_Tenant")).resolve("restore-point.json"), "{}");
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("restore-point.json"), "{\"id\":\"planted\"}");
    Files.createSymbolicLink(points.resolve("hooli"), elsewhere);

    Map<String, byte[]> read = points().invoke(points.toFile(), null);

    assertThat(read).containsOnlyKeys("globex/restore-point.json", "globex/restore-point.json.sig",
        "initech/restore-point.json");
    assertThat(new String(read.get("globex/restore-point.json"), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
  }

  @Test
  void aFifoInPlaceOfTheEvidenceIsRefusedAndAMissingDirectoryIsBadInput() throws Exception {
    Path points = Files.createDirectories(dir.resolve("points/globex"));
    Process mkfifo = new ProcessBuilder("mkfifo", points.resolve("restore-point.json").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    // opening a FIFO would block until a writer comes: the core's check refuses it before reading
    assertThatThrownBy(() -> points().invoke(dir.resolve("points").toFile(), null))
        .isInstanceOf(AbortException.class).hasMessageStartingWith("bad_input: ").hasMessageContaining("globex");

    assertThatThrownBy(() -> points().invoke(dir.resolve("none").toFile(), null))
        .isInstanceOf(AbortException.class)
        .hasMessage("bad_input: restorePoints " + dir.resolve("none") + " is not a directory; pass the directory"
            + " 'fleet restore-point take' wrote (one <tenant>/restore-point.json per tenant)");
  }
}
