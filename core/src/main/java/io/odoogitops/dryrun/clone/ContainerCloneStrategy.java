package io.odoogitops.dryrun.clone;

import io.odoogitops.ReleaseException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A throw-away PostgreSQL container (Testcontainers) of the source's major version, started for this run and filled
 * with {@link DumpRestore}, like {@link EmbeddedCloneStrategy} but with the official image of exactly the source's
 * major instead of the PostgreSQL 15 binaries in the jar. Needs a Docker engine; without one it refuses before
 * touching the source or creating anything.
 *
 * <p>The container is stopped and removed when the clone is closed (or by the clone's shutdown hook). A JVM killed
 * with SIGKILL cannot do that, so {@link #sweep} has nothing to do: Testcontainers' Ryuk sidecar removes every
 * container of a session as soon as that session's JVM disconnects from it. Ryuk is on unless
 * {@code TESTCONTAINERS_RYUK_DISABLED=true}; the container is also named after the clone and labelled, so anyone
 * running {@code docker ps} can tell what it is and remove it by hand.
 *
 * <p>This is the only class that touches Testcontainers: other strategies never load it, so a run without
 * {@code --strategy container} never probes for Docker.
 */
public final class ContainerCloneStrategy implements CloneStrategy {

  /**
   * The official image, tagged with the source's major version ({@code postgres:15}): the tag moves with minor
   * releases, which a restore does not care about. It is not pinned by digest because a digest fixes one major and
   * the major follows the source; a site that wants its own pinned (or mirrored) image passes it to the constructor,
   * e.g. {@code postgres@sha256:...}.
   */
  static final String OFFICIAL_IMAGE = "postgres";
  /** Label on every container this strategy starts; its value is the clone name. */
  static final String CLONE_LABEL = "io.odoogitops.dryrun.clone";
  static final String NO_DOCKER = "no Docker engine: use --strategy embedded (the default), template or dump";

  private static final String SUPERUSER = "postgres";
  private static final int POSTGRES_PORT = 5432;

  private final DumpRestore dumpRestore;
  private final Optional<DockerImageName> image;
  private final BooleanSupplier dockerAvailable;

  /**
   * @param image an image to use instead of {@code postgres:<source major>}, compatible with the official one; its
   *              server must not be older than the source
   */
  public ContainerCloneStrategy(DumpRestore dumpRestore, Optional<String> image) {
    // Testcontainers caches the answer; the probe runs when a clone is created, never when this class is loaded
    this(dumpRestore, image, () -> DockerClientFactory.instance().isDockerAvailable());
  }

  /** With the Docker probe replaced: lets the refusal be tested on machines that do have Docker. */
  ContainerCloneStrategy(DumpRestore dumpRestore, Optional<String> image, BooleanSupplier dockerAvailable) {
    this.dumpRestore = dumpRestore;
    // checked here, so a malformed --container-image fails before any sweep or clone
    this.image = image.map(ContainerCloneStrategy::compatibleImage);
    this.dockerAvailable = dockerAvailable;
  }

  @Override
  public String name() {
    return "container";
  }

  @Override
  public StagingClone create(PgEndpoint source, CloneName name) {
    // before the source is even asked for its version: without Docker this run leaves no trace anywhere
    if (!dockerAvailable.getAsBoolean()) {
      throw ReleaseException.infrastructure(NO_DOCKER, null);
    }
    String clone = name.toString();
    long started = System.nanoTime();
    dumpRestore.toolsFor(source);
    int sourceMajor = dumpRestore.sourceMajor(source);
    DockerImageName imageName = imageFor(sourceMajor);
    String password = randomPassword();
    PostgreSQLContainer server = new PostgreSQLContainer(imageName)
        .withUsername(SUPERUSER)
        .withPassword(password)
        .withDatabaseName(SUPERUSER)
        .withLabel(CLONE_LABEL, clone)
        .withCreateContainerCmdModifier(cmd -> cmd.withName(clone))
        // a clone is thrown away after the run: durability only costs restore time
        .withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
    try {
      server.start();
    } catch (RuntimeException e) {
      server.stop();
      throw ReleaseException.infrastructure("cannot start the PostgreSQL container " + imageName.asCanonicalNameString()
          + " for clone " + clone + ": " + e.getMessage(), e);
    }
    PgEndpoint admin = new PgEndpoint(server.getHost(), server.getMappedPort(POSTGRES_PORT), SUPERUSER, SUPERUSER,
        password);
    try {
      StagingServer staging = new StagingServer(admin, Duration.ofMinutes(1));
      DumpRestore.requireRestorable(sourceMajor, staging.serverMajor(),
          "the container " + imageName.asCanonicalNameString());
      staging.createEmptyDatabase(clone);
      dumpRestore.copy(source, admin.withDatabase(clone), clone);
    } catch (RuntimeException e) {
      server.stop();
      throw e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    return new StagingClone(name, name(), admin.withDatabase(clone), took, server::stop);
  }

  /**
   * Docker publishes the port on the host's interfaces: a guessable password would open a copy of production. Never
   * logged, never in a report; it dies with the container.
   */
  private static String randomPassword() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** {@code postgres:<major>} unless an image was given. */
  DockerImageName imageFor(int sourceMajor) {
    return image.orElseGet(() -> DockerImageName.parse(OFFICIAL_IMAGE).withTag(Integer.toString(sourceMajor)));
  }

  /** A given image is used as the official one: Testcontainers refuses unknown images for a PostgreSQL container. */
  private static DockerImageName compatibleImage(String reference) {
    try {
      DockerImageName parsed = DockerImageName.parse(reference);
      parsed.assertValid();
      return parsed.asCompatibleSubstituteFor(OFFICIAL_IMAGE);
    } catch (IllegalArgumentException e) {
      throw ReleaseException.badInput("'" + reference + "' is not an image reference (" + e.getMessage()
          + "); give --container-image like postgres:16 or registry/postgres@sha256:<64 hex>");
    }
  }

  /** Nothing to sweep here: Ryuk removes a crashed run's container when that run's JVM disconnects (see above). */
  @Override
  public List<String> sweep(String prefix, Duration ttl, Clock clock) {
    return List.of();
  }
}
