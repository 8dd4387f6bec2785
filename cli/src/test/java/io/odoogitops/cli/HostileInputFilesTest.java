package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files named on the command line as an unlucky operator or an attacker would pass them: an endless device, a FIFO
 * nobody writes to, a huge sparse file, a directory. Each must end in exit 2 with the file named, quickly.
 */
class HostileInputFilesTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);

  @TempDir
  Path dir;

  private PolicyCli check(String config, String approvals, String report) {
    return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> PolicyCli.run("gate", "check",
        "--config", config, "--env", "production", "--app", "odoo", "--digest", DIGEST, "--initiator", "alice",
        "--approvals", approvals, "--dry-run-report", report, "--promoted-in", DIGEST,
        "--at", "2026-11-18T10:00:00Z"));
  }

  private String config() throws Exception {
    return Files.writeString(dir.resolve("odoo-gitops.yaml"), PolicyCli.CONFIG).toString();
  }

  private String emptyApprovals() throws Exception {
    return Files.writeString(dir.resolve("approvals.yaml"), "[]\n").toString();
  }

  private Path fifo(String name) throws Exception {
    Path fifo = dir.resolve(name);
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();
    return fifo;
  }

  private Path sparse(String name, long size) throws Exception {
    Path file = dir.resolve(name);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
    return file;
  }

  @Test
  void approvalsFromDevZeroIsBadInput() throws Exception {
    PolicyCli result = check(config(), "/dev/zero", "/dev/null");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("approvals file /dev/zero", "not a regular file");
  }

  @Test
  void dryRunReportFromFifoWithoutWriterDoesNotHang() throws Exception {
    Path fifo = fifo("report.json");

    PolicyCli result = check(config(), emptyApprovals(), fifo.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("dry-run report " + fifo, "not a regular file");
  }

  @Test
  void hugeSparseConfigIsRefusedBeforeReading() throws Exception {
    Path huge = sparse("odoo-gitops.yaml", 300L * 1024 * 1024);

    PolicyCli result = check(huge.toString(), emptyApprovals(), "/dev/null");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("configuration file " + huge, "larger than 1 MiB");
  }

  @Test
  void directoryAsApprovalsIsBadInput() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("votes"));

    PolicyCli result = check(config(), sub.toString(), "/dev/null");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("approvals file " + sub, "a directory");
  }

  @Test
  void secretFileFromFifoDoesNotHang() throws Exception {
    Path fifo = fifo("token");

    PolicyCli result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> PolicyCli.run("history",
        "--repo", "https://git.example.com/gitops.git", "--git-token-file", fifo.toString(), "--env", "production"));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains(fifo.toString(), "not a regular file");
  }

  @Test
  void sshKeyFromAFifoIsRefusedBeforeTheSshLibraryOpensIt() throws Exception {
    Path fifo = fifo("id_ed25519");

    PolicyCli result = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> PolicyCli.run("history",
        "--repo", "ssh://git@127.0.0.1:1/gitops.git", "--ssh-key", fifo.toString(), "--env", "production",
        "--cache-dir", dir.resolve("cache").toString()));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("SSH key file " + fifo, "not a regular file");
  }
}
