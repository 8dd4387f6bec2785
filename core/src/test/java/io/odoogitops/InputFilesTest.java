package io.odoogitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {

  @TempDir
  Path dir;

  private static void assertBadInput(Runnable read, String... parts) {
    assertThatThrownBy(read::run).isInstanceOfSatisfying(ReleaseException.class,
        e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT)).hasMessageContainingAll(parts);
  }

  @Test
  void readsARegularFileWithinTheLimit() throws Exception {
    Path file = Files.writeString(dir.resolve("a.yaml"), "key: välue\n");

    assertThat(InputFiles.readUtf8(file, "configuration file", 64)).isEqualTo("key: välue\n");
    assertThat(InputFiles.read(file, "configuration file", 12)).hasSize(12);
  }

  @Test
  void fifoWithoutWriterIsRefusedWithoutOpeningIt() throws Exception {
    Path fifo = dir.resolve("fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();

    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertBadInput(
        () -> InputFiles.read(fifo, "approvals file", 1024), "approvals file " + fifo, "not a regular file"));
  }

  @Test
  void endlessDeviceIsRefused() {
    assertBadInput(() -> InputFiles.read(Path.of("/dev/zero"), "dry-run report", 1024), "/dev/zero",
        "not a regular file");
  }

  @Test
  void largeSparseFileIsRefusedByItsSizeAlone() throws Exception {
    Path huge = dir.resolve("huge.yaml");
    try (RandomAccessFile raf = new RandomAccessFile(huge.toFile(), "rw")) {
      raf.setLength(300L * 1024 * 1024);
    }

    assertBadInput(() -> InputFiles.read(huge, "configuration file", InputFiles.DOCUMENT_LIMIT),
        "configuration file " + huge, "larger than 4 MiB");
  }

  @Test
  void oneByteOverTheLimitIsRefused() throws Exception {
    Path file = Files.write(dir.resolve("token"), new byte[1025]);

    assertBadInput(() -> InputFiles.read(file, "git token file", 1024), "larger than 1 KiB");
  }

  @Test
  void directoryMissingFileAndNonUtf8AreBadInput() throws Exception {
    assertBadInput(() -> InputFiles.read(dir, "kubeconfig", 1024), "a directory");
    assertBadInput(() -> InputFiles.read(dir.resolve("nope"), "kubeconfig", 1024), "does not exist");
    Path latin1 = Files.write(dir.resolve("l1.sql"), "café".getBytes(StandardCharsets.ISO_8859_1));
    assertBadInput(() -> InputFiles.readUtf8(latin1, "neutralization script", 1024), "not UTF-8");
  }

  @Test
  void symlinkToAFifoIsJudgedByItsTarget() throws Exception {
    Path fifo = dir.resolve("fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
    Path link = Files.createSymbolicLink(dir.resolve("link"), fifo);

    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertBadInput(
        () -> InputFiles.read(link, "kubeconfig", 1024), "not a regular file"));
  }
}
