package io.odoogitops.dryrun.upgrade;

import io.odoogitops.ImageDigest;
import io.odoogitops.image.ImageArchive;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.odoo.log.OdooLogReader;
import io.odoogitops.odoo.log.OdooUpgradeLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.ResourceReaper;

/**
 * The dry-run's {@code odoo -u} phase in a container of the built image, on a machine with a Docker engine:
 * {@code odoo -d <clone> -u <modules> [-i <modules>] --stop-after-init --workers=0 --no-http}, with the clone's
 * connection in libpq's {@code PGHOST}/{@code PGPORT}/{@code PGUSER}/{@code PGPASSWORD} environment (never on the
 * command line). The image is pulled by its digest, or loaded from the archive {@code odoo-gitops build} wrote.
 *
 * <p>The image's entrypoint is replaced by {@code odoo}: the official image's entrypoint adds {@code --db_host},
 * {@code --db_user} and {@code --db_password} arguments of its own, which would put a password on the command line and
 * point Odoo at another server. On Linux the container shares the host's network, so a clone on 127.0.0.1 is
 * reachable; elsewhere (Docker Desktop) a loopback host is rewritten to {@code host.docker.internal}.
 *
 * <p>The container is removed when the run ends, whatever happened: success, failure, timeout, interrupt, exception.
 * It carries Testcontainers' session labels, so should this JVM die first, Ryuk removes it; it is also labelled
 * {@value #RUN_LABEL} for {@code docker ps}.
 *
 * <p>Without a Docker engine it refuses, and callers learn that before any clone is made: {@link #check()} and
 * {@link Builder#build()} both refuse.
 */
public final class ContainerOdooUpgrade implements OdooUpgradePhase {

  static final String NO_DOCKER =
      "no Docker engine: use --odoo-bin for a local process or --upgrade-job for a Kubernetes Job";
  static final String RUN_LABEL = "io.odoogitops.dryrun.odoo-upgrade";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  /** A longer line is cut: the reader keeps a few thousand characters of a line anyway. */
  static final int MAX_LINE_BYTES = 64 * 1024;
  private static final long LOG_DRAIN_MILLIS = 5_000;
  private static final String DOCKER_HOST_ALIAS = "host.docker.internal";

  // Odoo module technical names, and the database names Odoo accepts (odoo.service.db._check_db_name)
  private static final Pattern MODULE = Pattern.compile("[a-z0-9_]+");
  private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  private final Optional<ImageArchive> archive;
  private final Duration timeout;
  private final Consumer<String> progress;
  private final Consumer<String> odooLog;
  private final boolean hostNetwork;
  private final BooleanSupplier dockerAvailable;

  private ContainerOdooUpgrade(Builder builder, Optional<ImageArchive> archive, boolean hostNetwork) {
    this.archive = archive;
    this.dockerAvailable = builder.dockerAvailable;
    this.timeout = builder.timeout;
    this.progress = builder.progress;
    this.odooLog = builder.odooLog;
    this.hostNetwork = hostNetwork;
  }

  /**
   * Refuses when no Docker engine answers. Callers run it (or {@link Builder#build()}) before cloning: a refusal
   * after a copy of production was made wastes the most expensive step.
   *
   * @throws ReleaseException infrastructure, naming the runners that work without Docker
   */
  public static void check() {
    check(() -> DockerClientFactory.instance().isDockerAvailable());
  }

  static void check(BooleanSupplier dockerAvailable) {
    if (!dockerAvailable.getAsBoolean()) {
      throw ReleaseException.infrastructure(NO_DOCKER, null);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether the clone must be reachable from other hosts. With the host's network (Linux) a clone on this machine
   * is reachable; Docker Desktop's containers run in a virtual machine and reach only what listens beyond loopback.
   */
  public boolean needsReachableClone() {
    return !hostNetwork;
  }

  @Override
  public OdooUpgradeRun run(OdooUpgradeTarget target) {
    ImageDigest digest = validate(target);
    check(dockerAvailable);
    archive.ifPresent(a -> requireSameImage(a, digest));
    Network network = network(target.database(), hostNetwork);
    List<String> arguments = odooArguments(target);
    DockerClient docker = DockerClientFactory.instance().client();
    String image = archive.map(a -> load(docker, a)).orElseGet(() -> pull(docker, target.image()));
    String name = UpgradeRunName.next();
    progress.accept("starting container " + name + ": odoo " + String.join(" ", arguments) + " (image "
        + target.image() + ", network " + network.mode() + ", timeout " + timeout + ")");
    long started = System.nanoTime();
    String containerId = null;
    LogFollower follower = new LogFollower();
    try {
      HostConfig hostConfig = HostConfig.newHostConfig().withNetworkMode(network.mode());
      if (network.extraHost() != null) {
        hostConfig.withExtraHosts(network.extraHost());
      }
      Map<String, String> labels = new HashMap<>(DockerClientFactory.DEFAULT_LABELS);
      // the session labels Ryuk removes containers by when this JVM goes away without cleaning up
      labels.putAll(ResourceReaper.instance().getLabels());
      labels.put(RUN_LABEL, name);
      CreateContainerResponse created = docker.createContainerCmd(image)
          .withName(name)
          .withLabels(labels)
          .withEntrypoint("odoo")
          .withCmd(arguments)
          .withEnv(environment(target.database(), network).entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue()).toList())
          .withTty(false)
          .withHostConfig(hostConfig)
          .exec();
      containerId = created.getId();
      try {
        docker.startContainerCmd(containerId).exec();
      } catch (DockerException e) {
        // like a pod in CreateContainerError: the image has no odoo to run, which is the release's fault
        String detail = "the odoo container cannot start: " + e.getMessage();
        progress.accept(name + ": FAILED (" + detail + ")");
        return new OdooUpgradeRun("FAILED", false, target.modules(), target.image(), name, null, List.of(),
            Duration.ofNanos(System.nanoTime() - started).toMillis(), detail, OdooUpgradeLog.empty());
      }
      docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true)
          .exec(follower);
      Integer exitCode = null;
      boolean timedOut = false;
      try {
        exitCode = docker.waitContainerCmd(containerId).exec(new WaitContainerResultCallback())
            .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (DockerClientException e) {
        if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          throw ReleaseException.infrastructure("odoo upgrade container " + name + " interrupted; the container"
              + " was removed", null);
        }
        timedOut = true;
      }
      if (!timedOut) {
        follower.awaitCompletion(LOG_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
      }
      OdooUpgradeLog log = follower.summary();
      Judgement judgement = judge(exitCode, timedOut, log, timeout, target.image());
      long durationMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
      progress.accept(name + ": " + judgement.outcome() + (judgement.detail() == null ? ""
          : " (" + judgement.detail() + ")"));
      return new OdooUpgradeRun(judgement.outcome(), "SUCCEEDED".equals(judgement.outcome()), target.modules(),
          target.image(), name, exitCode, log.errorLines(), durationMs, judgement.detail(), log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ReleaseException.infrastructure("odoo upgrade container " + name + " interrupted; the container was"
          + " removed", null);
    } catch (DockerException | DockerClientException e) {
      throw ReleaseException.infrastructure("the Docker engine refused or failed the odoo upgrade container "
          + name + " (" + e.getMessage() + "); the container was removed", e);
    } finally {
      closeQuietly(follower);
      remove(docker, containerId, name);
    }
  }

  /** The target pinned and well-formed, checked before anything is created; returns the image's digest. */
  static ImageDigest validate(OdooUpgradeTarget target) {
    // The one grammar: what the promotion pins is what the upgrade may run.
    if (!io.odoogitops.ImageRef.isPinned(target.image())) {
      throw ReleaseException.badInput("odoo upgrade image '" + target.image() + "' must be pinned by digest "
          + "(registry/repository@sha256:<64 hex digits>)");
    }
    if (target.modules().isEmpty() && target.install().isEmpty()) {
      throw ReleaseException.badInput("no modules to upgrade or install");
    }
    for (String module : concat(target.modules(), target.install())) {
      if (!MODULE.matcher(module).matches()) {
        throw ReleaseException.badInput("'" + module + "' is not an Odoo module name (lower-case letters, digits, _)");
      }
    }
    if (!DATABASE.matcher(target.database().database()).matches()) {
      throw ReleaseException.badInput("'" + target.database().database() + "' is not a valid Odoo database name");
    }
    return io.odoogitops.ImageRef.parse(target.image()).digest();
  }

  /** What follows {@code odoo}: no credentials, those are in the environment. */
  static List<String> odooArguments(OdooUpgradeTarget target) {
    List<String> arguments = new ArrayList<>(List.of("-d", target.database().database()));
    if (!target.modules().isEmpty()) {
      arguments.addAll(List.of("-u", String.join(",", target.modules())));
    }
    if (!target.install().isEmpty()) {
      arguments.addAll(List.of("-i", String.join(",", target.install())));
    }
    arguments.addAll(List.of("--stop-after-init", "--workers=0", "--no-http"));
    return List.copyOf(arguments);
  }

  /**
   * libpq's environment: Odoo passes only the connection options it was given, libpq fills in the rest. A clone
   * server that trusts its clients has no password; then none is set.
   */
  static Map<String, String> environment(PgEndpoint clone, Network network) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("PGHOST", network.pgHost());
    env.put("PGPORT", Integer.toString(clone.port()));
    env.put("PGUSER", clone.user());
    if (clone.password() != null && !clone.password().isEmpty()) {
      env.put("PGPASSWORD", clone.password());
    }
    return env;
  }

  /**
   * How the container reaches the clone.
   *
   * @param mode Docker's network mode
   * @param pgHost the clone's host as the container sees it
   * @param extraHost an {@code /etc/hosts} entry the container needs, or {@code null}
   */
  record Network(String mode, String pgHost, String extraHost) {
  }

  static Network network(PgEndpoint clone, boolean hostNetwork) {
    if (hostNetwork) {
      return new Network("host", clone.host(), null);
    }
    String host = clone.host().toLowerCase(Locale.ROOT);
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
        || host.equals("[::1]");
    return loopback ? new Network("bridge", DOCKER_HOST_ALIAS, DOCKER_HOST_ALIAS + ":host-gateway")
        : new Network("bridge", clone.host(), null);
  }

  /**
   * The engine shares this host's network only when it runs natively on Linux; Docker Desktop runs its containers
   * in a virtual machine, where {@code --network host} is that machine's network.
   */
  static boolean hostNetworkShared(String osName, String engineOperatingSystem) {
    return osName != null && osName.toLowerCase(Locale.ROOT).contains("linux")
        && (engineOperatingSystem == null || !engineOperatingSystem.contains("Docker Desktop"));
  }

  record Judgement(String outcome, String detail) {
  }

  /** The rules of the Kubernetes Job: timeout, exit code, then ERROR/CRITICAL lines fail the run. */
  static Judgement judge(Integer exitCode, boolean timedOut, OdooUpgradeLog log, Duration timeout, String image) {
    if (timedOut) {
      return new Judgement("TIMED_OUT", "the upgrade did not finish within " + timeout + "; the container was"
          + " removed");
    }
    if (exitCode == null || exitCode != 0) {
      String first = log.errorLines().isEmpty() ? "" : "; first error: " + log.errorLines().get(0);
      return new Judgement("FAILED", "odoo exited with code " + exitCode + first);
    }
    if (log.odooLines() == 0) {
      return new Judgement("FAILED", "the container exited 0 without writing a single Odoo log line; is " + image
          + " an Odoo image with odoo on its PATH?");
    }
    if (!log.errorLines().isEmpty()) {
      return new Judgement("LOG_ERRORS", "odoo exited 0 but logged " + log.errorLines().size()
          + " ERROR/CRITICAL line(s); first: " + log.errorLines().get(0));
    }
    return new Judgement("SUCCEEDED", null);
  }

  private String pull(DockerClient docker, String image) {
    try {
      DockerClientFactory.instance().checkAndPullImage(docker, image);
      return image;
    } catch (RuntimeException e) {
      throw ReleaseException.infrastructure("cannot pull " + image + " for the odoo upgrade (" + e.getMessage()
          + "); check that the Docker engine can reach the registry and is logged in to it (docker login)", e);
    }
  }

  /**
   * Loads the archive into the engine and returns the reference to run. An OCI archive holding another image than
   * the one judged is refused: the upgrade must run exactly the image the verdict is bound to.
   */
  static void requireSameImage(ImageArchive image, ImageDigest digest) {
    if (image.manifestDigest() && !image.digest().equals(digest)) {
      throw ReleaseException.badInput("image archive " + image.file() + " holds " + image.digest()
          + ", not the image " + digest + " this dry-run judges; give the archive that build wrote for it");
    }
  }

  private String load(DockerClient docker, ImageArchive image) {
    progress.accept("loading " + image.file() + " (" + image.format() + " archive, configuration "
        + image.configDigest() + ") into the Docker engine");
    try (InputStream in = image.content()) {
      docker.loadImageCmd(in).exec();
    } catch (IOException | RuntimeException e) {
      throw ReleaseException.infrastructure("the Docker engine could not load " + image.file() + " ("
          + e.getMessage() + "); an OCI archive needs Docker 25 or later, or convert it: skopeo copy oci-archive:"
          + image.file() + " docker-archive:FILE", e);
    }
    for (String reference : image.loadedReferences()) {
      try {
        docker.inspectImageCmd(reference).exec();
        return reference;
      } catch (NotFoundException notUnderThatName) {
        // Docker's image ID is the configuration digest with the classic store, the manifest digest with containerd
      }
    }
    String manifest = image.manifestDigest() ? image.digest().value() : null;
    if (manifest != null) {
      try {
        docker.inspectImageCmd(manifest).exec();
        return manifest;
      } catch (NotFoundException e) {
        // reported below
      }
    }
    throw ReleaseException.infrastructure("the Docker engine loaded " + image.file() + " but knows no image "
        + image.configDigest() + (image.name() == null ? "" : " nor " + image.name()) + "; load it by hand (docker load"
        + " -i " + image.file() + ") and check docker images", null);
  }

  private void remove(DockerClient docker, String containerId, String name) {
    if (containerId == null) {
      return;
    }
    boolean interrupted = Thread.interrupted();
    try {
      docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException gone) {
      // already removed
    } catch (RuntimeException e) {
      progress.accept("cleanup: cannot remove container " + name + " (" + e.getMessage() + "); remove it by hand"
          + " (docker rm -f " + name + ")");
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void closeQuietly(LogFollower follower) {
    try {
      follower.close();
    } catch (IOException | RuntimeException e) {
      // the stream is gone with the container
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * Turns Docker's log frames into lines, one assembler per stream, each line bounded by {@link #MAX_LINE_BYTES},
   * and hands them to the listener and to an {@link OdooLogReader}. Frames arrive on docker-java's thread; the
   * reader is only touched under this object's lock.
   */
  private final class LogFollower extends ResultCallback.Adapter<Frame> {
    private final OdooLogReader reader = new OdooLogReader();
    private final Map<StreamType, LineAssembler> streams = new HashMap<>();

    @Override
    public synchronized void onNext(Frame frame) {
      if (frame == null || frame.getPayload() == null) {
        return;
      }
      streams.computeIfAbsent(frame.getStreamType(), k -> new LineAssembler())
          .feed(frame.getPayload(), this::line);
    }

    private void line(String line) {
      reader.accept(Instant.now(), line);
      odooLog.accept(line);
    }

    synchronized OdooUpgradeLog summary() {
      streams.values().forEach(s -> s.flush(this::line));
      return reader.summary();
    }
  }

  /** Bytes to lines: a line longer than {@link #MAX_LINE_BYTES} keeps its start and loses the rest. */
  static final class LineAssembler {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean cut;

    void feed(byte[] bytes, Consumer<String> lines) {
      for (byte b : bytes) {
        if (b == '\n') {
          flush(lines);
        } else if (line.size() < MAX_LINE_BYTES) {
          line.write(b);
        } else {
          cut = true;
        }
      }
    }

    void flush(Consumer<String> lines) {
      if (line.size() == 0 && !cut) {
        return;
      }
      lines.accept(line.toString(StandardCharsets.UTF_8));
      line.reset();
      cut = false;
    }
  }

  /** The wide configuration; {@link #build()} validates it and probes Docker, before any clone is made. */
  public static final class Builder {
    private Path archive;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Consumer<String> progress = line -> { };
    private Consumer<String> odooLog = line -> { };
    private BooleanSupplier dockerAvailable = () -> DockerClientFactory.instance().isDockerAvailable();

    private Builder() {
    }

    /** Loads this archive (OCI layout or docker save tar) instead of pulling the image from its registry. */
    public Builder archive(Path value) {
      this.archive = value;
      return this;
    }

    public Builder timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    /** One line per step. */
    public Builder progress(Consumer<String> value) {
      this.progress = Objects.requireNonNull(value, "progress");
      return this;
    }

    /** Every line the container writes, as it arrives. */
    public Builder odooLog(Consumer<String> value) {
      this.odooLog = Objects.requireNonNull(value, "odooLog");
      return this;
    }

    /** Replaces the Docker probe: lets the refusal be tested on machines that do have Docker. */
    Builder dockerAvailable(BooleanSupplier value) {
      this.dockerAvailable = Objects.requireNonNull(value, "dockerAvailable");
      return this;
    }

    /**
     * @throws ReleaseException bad input for a timeout under one second or an unreadable archive; infrastructure
     *     without a Docker engine
     */
    public ContainerOdooUpgrade build() {
      if (timeout == null || timeout.toSeconds() < 1) {
        throw ReleaseException.badInput("odoo upgrade timeout must be at least one second, got " + timeout);
      }
      Optional<ImageArchive> image = Optional.ofNullable(archive).map(ImageArchive::open);
      check(dockerAvailable);
      String engine;
      try {
        engine = DockerClientFactory.instance().getInfo().getOperatingSystem();
      } catch (RuntimeException e) {
        throw ReleaseException.infrastructure(NO_DOCKER + " (the engine did not answer: " + e.getMessage() + ")", e);
      }
      boolean hostNetwork = hostNetworkShared(System.getProperty("os.name"), engine);
      return new ContainerOdooUpgrade(this, image, hostNetwork);
    }
  }
}
