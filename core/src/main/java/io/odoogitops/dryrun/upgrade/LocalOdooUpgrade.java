package io.odoogitops.dryrun.upgrade;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.odoo.log.OdooLogReader;
import io.odoogitops.odoo.log.OdooUpgradeLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@code odoo -u} as a process on this machine:
 * {@code ODOO_BIN [args] -d <clone> -u <modules> [-i <modules>] --stop-after-init --workers=0 --no-http}. The clone's
 * connection goes only into libpq's environment ({@code PGHOST}, {@code PGPORT}, {@code PGUSER},
 * {@code PGPASSWORD}): never on the command line, where {@code ps} shows it to every user of the machine. Works with
 * every clone strategy, {@code embedded} included, since Odoo runs where the clone is reachable.
 *
 * <p>The log is streamed line by line (to the progress consumer, with the password masked should Odoo ever print
 * it) and parsed as it arrives; the exit code, ERROR/CRITICAL lines and the timeout are judged by
 * {@link UpgradeOutcome#judge}, the same rule as the Kubernetes Job's. The process and every process it started are
 * killed on timeout, on interrupt and when the JVM stops; none outlives the run.
 */
public final class LocalOdooUpgrade implements OdooUpgradePhase {

  /** How long Odoo gets to stop after SIGTERM before it is killed. */
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final long POLL_MILLIS = 200;
  private static final int MAX_ERROR_LINES = 50;
  /** Set, with a value of its own, in every run's environment: how the run's processes are found to be killed. */
  private static final String MARKER = "ODOO_GITOPS_UPGRADE_RUN";
  /** Far above any line of Odoo's log; the log reader keeps even less of a line. */
  static final int MAX_LINE_CHARS = 64 * 1024;
  /** Variables that would make libpq connect elsewhere than the environment we set says. */
  private static final List<String> LIBPQ_OVERRIDES = List.of("PGSERVICE", "PGSERVICEFILE", "PGDATABASE",
      "PGHOSTADDR", "PGPASSFILE", "PGOPTIONS");

  private final Path odooBin;
  private final List<String> args;
  private final Duration timeout;
  private final Consumer<String> progress;

  private LocalOdooUpgrade(Builder b) {
    this.odooBin = b.odooBin;
    this.args = List.copyOf(b.args);
    this.timeout = b.timeout;
    this.progress = b.progress;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean needsReachableClone() {
    return false;
  }

  public Path odooBin() {
    return odooBin;
  }

  /** The command line, without any credential: they are in the environment only. */
  List<String> command(OdooUpgradeTarget target) {
    List<String> command = new ArrayList<>();
    command.add(odooBin.toString());
    command.addAll(args);
    command.add("-d");
    command.add(target.database().database());
    if (!target.modules().isEmpty()) {
      command.add("-u");
      command.add(String.join(",", target.modules()));
    }
    if (!target.install().isEmpty()) {
      command.add("-i");
      command.add(String.join(",", target.install()));
    }
    command.add("--stop-after-init");
    command.add("--workers=0");
    command.add("--no-http");
    return command;
  }

  @Override
  public OdooUpgradeRun run(OdooUpgradeTarget target) {
    List<String> command = command(target);
    String what = "local process";
    long startNanos = System.nanoTime();
    String problem = Builder.problem(odooBin);
    if (problem != null) {
      // it was checked when the run was configured; it changed since
      return ended(target, what, UpgradeOutcome.FAILED, problem, null, OdooUpgradeLog.empty(), startNanos);
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    LIBPQ_OVERRIDES.forEach(env::remove);
    String marker = MARKER + "=" + UUID.randomUUID();
    env.put(MARKER, marker.substring(MARKER.length() + 1));
    PgEndpoint db = target.database();
    env.put("PGHOST", db.host());
    env.put("PGPORT", String.valueOf(db.port()));
    env.put("PGUSER", db.user());
    if (db.password() == null || db.password().isEmpty()) {
      env.remove("PGPASSWORD");
    } else {
      env.put("PGPASSWORD", db.password());
    }
    progress.accept("running " + String.join(" ", command) + " (connection in PGHOST/PGPORT/PGUSER/PGPASSWORD,"
        + " timeout " + timeout + ")");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return ended(target, what, UpgradeOutcome.FAILED, "cannot start " + odooBin + ": " + e.getMessage(), null,
          OdooUpgradeLog.empty(), startNanos);
    }
    what = "local process " + process.pid();
    Set<ProcessHandle> family = new LinkedHashSet<>();
    Thread hook = new Thread(() -> killTree(process, family, marker), "odoo-upgrade-kill-" + process.pid());
    Runtime.getRuntime().addShutdownHook(hook);
    LogPump pump = new LogPump(process, progress, db.password());
    pump.start();
    try {
      long deadline = startNanos + timeout.toNanos();
      boolean exited = false;
      while (!exited) {
        process.descendants().forEach(family::add);
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        exited = process.waitFor(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)),
            TimeUnit.NANOSECONDS);
      }
      if (!exited) {
        killTree(process, family, marker);
        pump.join(GRACE.toMillis());
        return ended(target, what, UpgradeOutcome.TIMED_OUT, "odoo -u did not finish within " + timeout
            + "; it was killed", null, pump.summary(), startNanos);
      }
      // Odoo is gone; whatever it started must go too, or it would keep a session on the clone
      killTree(process, family, marker);
      pump.join(GRACE.toMillis());
      OdooUpgradeLog log = pump.summary();
      return ended(target, what, UpgradeOutcome.SUCCEEDED, null, process.exitValue(), log, startNanos);
    } catch (InterruptedException e) {
      killTree(process, family, marker);
      Thread.currentThread().interrupt();
      throw ReleaseException.infrastructure("odoo -u (" + what + ") interrupted; the process was killed", e);
    } finally {
      killTree(process, family, marker);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is stopping and runs the hook itself; killing twice is harmless
      }
    }
  }

  private OdooUpgradeRun ended(OdooUpgradeTarget target, String what, UpgradeOutcome ended, String detail,
      Integer exitCode, OdooUpgradeLog log, long startNanos) {
    UpgradeOutcome.Ending ending = UpgradeOutcome.judge(ended, detail, exitCode, log.errorLines());
    long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
    progress.accept("odoo -u: " + ending.outcome() + (ending.detail() == null ? "" : " (" + ending.detail() + ")"));
    return new OdooUpgradeRun(ending.outcome().name(), ending.outcome() == UpgradeOutcome.SUCCEEDED,
        target.modules(), target.image(), what, exitCode, log.errorLines(), durationMs, ending.detail(), log, null);
  }

  /** SIGTERM to the process and every descendant seen, then SIGKILL to whatever is still alive after the grace. */
  private static void killTree(Process process, Set<ProcessHandle> family, String marker) {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(process.toHandle());
    process.descendants().forEach(family::add);
    family.addAll(marked(marker));
    all.addAll(family);
    if (all.stream().noneMatch(ProcessHandle::isAlive)) {
      return;
    }
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + GRACE.toNanos();
    for (ProcessHandle p : all) {
      long remaining = deadline - System.nanoTime();
      try {
        if (remaining > 0) {
          p.onExit().get(remaining, TimeUnit.NANOSECONDS);
        }
      } catch (Exception notYet) {
        // killed below
      }
    }
    all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // a process that survives SIGKILL is stuck in the kernel; nothing more can be done from here
      }
    }
  }

  /**
   * The processes whose environment carries this run's {@code marker}: Odoo's offspring, also those that left its
   * process tree (a daemon in a new session whose parent exited), which would otherwise outlive the run, keep a
   * session on the clone and hold the log's pipe open. Linux only; elsewhere, none.
   */
  private static List<ProcessHandle> marked(String marker) {
    byte[] wanted = marker.getBytes(StandardCharsets.UTF_8);
    List<ProcessHandle> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        long pid = Long.parseLong(proc.getFileName().toString());
        if (pid != self && holdsEntry(proc.resolve("environ"), wanted)) {
          ProcessHandle.of(pid).ifPresent(found::add);
        }
      }
    } catch (IOException | RuntimeException noProc) {
      // no /proc: the process tree is all there is to kill
    }
    return found;
  }

  /** Whether the NUL-separated {@code environ} holds exactly the entry {@code wanted}. */
  private static boolean holdsEntry(Path environ, byte[] wanted) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(environ);
    } catch (IOException | SecurityException goneOrNotOurs) {
      return false;
    }
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == 0) {
        if (i - start == wanted.length && Arrays.equals(bytes, start, i, wanted, 0, wanted.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  /** Reads the merged stdout/stderr on its own thread, so the caller can enforce the timeout. */
  private static final class LogPump extends Thread {
    private final Process process;
    private final Consumer<String> progress;
    private final String secret;
    private final OdooLogReader reader = new OdooLogReader();
    private volatile OdooUpgradeLog summary = OdooUpgradeLog.empty();

    LogPump(Process process, Consumer<String> progress, String secret) {
      super("odoo-upgrade-log-" + process.pid());
      setDaemon(true);
      this.process = process;
      this.progress = progress;
      this.secret = secret == null || secret.isEmpty() ? null : secret;
    }

    @Override
    public void run() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        StringBuilder line = new StringBuilder();
        long cut;
        while ((cut = readLine(in, line)) >= 0) {
          Instant at = Instant.now();
          String shown = mask(line.toString(), cut > 0);
          if (cut > 0) {
            shown += " [cut: " + cut + " more characters]";
          }
          reader.accept(at, shown);
          progress.accept("odoo: " + shown);
        }
      } catch (IOException e) {
        // the stream closes this way when the process is killed; what was read stays
      } finally {
        summary = reader.summary();
      }
    }

    OdooUpgradeLog summary() {
      return isAlive() ? OdooUpgradeLog.empty() : summary;
    }

    /**
     * Reads the next line into {@code line}, its first {@link #MAX_LINE_CHARS} characters only: the output is the
     * code under test's, and one line without an end must not take the JVM's memory ({@code readLine} would).
     *
     * @return -1 at the end of the output, else how many characters of the line were dropped
     */
    static long readLine(Reader in, StringBuilder line) throws IOException {
      line.setLength(0);
      long dropped = 0;
      boolean any = false;
      int c;
      while ((c = in.read()) != -1) {
        any = true;
        if (c == '\n') {
          break;
        }
        if (line.length() < MAX_LINE_CHARS) {
          line.append((char) c);
        } else {
          dropped++;
        }
      }
      if (!any) {
        return -1;
      }
      if (dropped == 0 && !line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
        line.setLength(line.length() - 1);
      }
      return dropped;
    }

    /** The line with the password masked, also its beginning where the line was cut inside it. */
    String mask(String line, boolean cut) {
      if (secret == null) {
        return line;
      }
      String masked = line.replace(secret, "********");
      if (cut) {
        for (int k = Math.min(secret.length() - 1, masked.length()); k > 0; k--) {
          if (masked.endsWith(secret.substring(0, k))) {
            return masked.substring(0, masked.length() - k) + "********";
          }
        }
      }
      return masked;
    }
  }

  /** {@code odoo-bin} path (required), extra arguments, timeout (default 1 h), progress (default silent). */
  public static final class Builder {
    private Path odooBin;
    private final List<String> args = new ArrayList<>();
    private Duration timeout = Duration.ofHours(1);
    private Consumer<String> progress = line -> { };

    public Builder odooBin(Path value) {
      this.odooBin = value;
      return this;
    }

    /** One extra argument, placed before Odoo's own, e.g. {@code -c /etc/odoo/odoo.conf}'s two halves. */
    public Builder arg(String value) {
      this.args.add(Objects.requireNonNull(value, "arg"));
      return this;
    }

    public Builder args(List<String> values) {
      values.forEach(this::arg);
      return this;
    }

    public Builder timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    public Builder progress(Consumer<String> value) {
      this.progress = value == null ? line -> { } : value;
      return this;
    }

    /** @throws ReleaseException bad input when {@code odoo-bin} is missing, not a file or not executable */
    public LocalOdooUpgrade build() {
      if (odooBin == null) {
        throw ReleaseException.badInput("no --odoo-bin given; pass the path of odoo-bin (or the odoo wrapper of"
            + " your virtualenv) to run odoo -u on the clone");
      }
      String problem = problem(odooBin);
      if (problem != null) {
        throw ReleaseException.badInput(problem);
      }
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw ReleaseException.badInput("the odoo -u timeout must be positive, was " + timeout);
      }
      for (String arg : args) {
        if (ownedByTheRun(arg)) {
          throw ReleaseException.badInput("--odoo-arg " + arg + " is set by the dry-run itself (database, modules)"
              + " or would put a password on the command line; remove it");
        }
      }
      return new LocalOdooUpgrade(this);
    }

    /** Long options of Odoo the dry-run sets itself, or that would put a password on the command line. */
    private static final List<String> OWNED = List.of("database", "update", "init", "db_password");

    /**
     * Whether {@code arg} sets the database, the modules or a password in any spelling Odoo's optparse takes: a
     * short option with its value attached ({@code -wsecret}) or a long option abbreviated ({@code --db_pass=x}).
     */
    static boolean ownedByTheRun(String arg) {
      if (arg.startsWith("--")) {
        String name = arg.substring(2).split("=", 2)[0];
        return !name.isEmpty() && OWNED.stream().anyMatch(o -> o.startsWith(name));
      }
      return arg.matches("-[duiw].*");
    }

    static String problem(Path odooBin) {
      if (!Files.exists(odooBin)) {
        return "--odoo-bin " + odooBin + " does not exist; pass the path of odoo-bin";
      }
      if (!Files.isRegularFile(odooBin)) {
        return "--odoo-bin " + odooBin + " is not a regular file; pass the path of odoo-bin itself";
      }
      if (!Files.isExecutable(odooBin)) {
        return "--odoo-bin " + odooBin + " is not executable; chmod +x it or pass the executable wrapper";
      }
      return null;
    }
  }
}
