package io.odoogitops.dryrun.clone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * What the container strategy does without Docker, which is every machine of this project's CI: it refuses, names the
 * strategies that work, and leaves nothing behind. Runs everywhere; the container path itself is covered by
 * {@link ContainerCloneStrategyIT} where a Docker engine exists.
 */
class ContainerCloneStrategyTest {

  /** Nothing listens on port 1: had the strategy asked the source anything, it would fail with "cannot reach". */
  private static final PgEndpoint UNREACHABLE_SOURCE =
      new PgEndpoint("127.0.0.1", 1, "odoo", "release", "s3cret-Pa55");

  @TempDir
  Path work;

  private DumpRestore dumpRestore() {
    return new DumpRestore(Optional.empty(), 2, work.resolve("dumps"));
  }

  private static CloneName name() {
    return new CloneName(CloneName.DEFAULT_PREFIX, "ctr1", Instant.now());
  }

  @Test
  void withoutDockerItRefusesBeforeTouchingTheSourceAndLeavesNothingBehind() throws Exception {
    ContainerCloneStrategy strategy = new ContainerCloneStrategy(dumpRestore(), Optional.empty(), () -> false);

    assertThatThrownBy(() -> strategy.create(UNREACHABLE_SOURCE, name()))
        .isInstanceOf(ReleaseException.class)
        .hasMessage("no Docker engine: use --strategy embedded (the default), template or dump")
        .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
    try (var left = Files.list(work)) {
      assertThat(left).as("no dump directory, no data directory").isEmpty();
    }
  }

  /** The real probe, on a machine without Docker: it must answer (not hang, not throw) and the refusal follows. */
  @Test
  @DisabledIf("dockerAvailable")
  void theRealDockerProbeRefusesOnThisMachine() throws Exception {
    ContainerCloneStrategy strategy = new ContainerCloneStrategy(dumpRestore(), Optional.empty());

    assertThatThrownBy(() -> strategy.create(UNREACHABLE_SOURCE, name()))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("no Docker engine")
        .hasMessageNotContaining("s3cret");
    try (var left = Files.list(work)) {
      assertThat(left).isEmpty();
    }
  }

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  @Test
  void theImageFollowsTheSourceMajorUnlessOneIsGiven() {
    ContainerCloneStrategy official = new ContainerCloneStrategy(dumpRestore(), Optional.empty(), () -> true);
    assertThat(official.imageFor(15).asCanonicalNameString()).isEqualTo("postgres:15");
    assertThat(official.imageFor(17).asCanonicalNameString()).isEqualTo("postgres:17");

    String pinned = "registry.example.com/mirror/postgres@sha256:" + "a".repeat(64);
    ContainerCloneStrategy mirrored = new ContainerCloneStrategy(dumpRestore(), Optional.of(pinned), () -> true);
    assertThat(mirrored.imageFor(15).asCanonicalNameString()).isEqualTo(pinned);
    assertThat(mirrored.imageFor(15).isCompatibleWith(org.testcontainers.utility.DockerImageName.parse("postgres")))
        .isTrue();
  }

  @Test
  void aMalformedImageIsBadInput() {
    assertThatThrownBy(() -> new ContainerCloneStrategy(dumpRestore(), Optional.of("Not An Image!"), () -> true))
        .isInstanceOf(ReleaseException.class)
        .hasMessageStartingWith("'Not An Image!' is not an image reference")
        .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
  }

  @Test
  void sweepingLeavesCrashedContainersToRyuk() {
    ContainerCloneStrategy strategy = new ContainerCloneStrategy(dumpRestore(), Optional.empty(), () -> false);
    assertThat(strategy.name()).isEqualTo("container");
    assertThat(strategy.sweep(CloneName.DEFAULT_PREFIX, Duration.ofHours(6), Clock.systemUTC())).isEmpty();
  }
}
