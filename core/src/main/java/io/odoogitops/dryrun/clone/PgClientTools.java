package io.odoogitops.dryrun.clone;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code pg_dump} and {@code pg_restore} of one installation. pg_dump refuses to dump a server newer than itself, so
 * the tools are chosen by version against the source, not merely found on the PATH: Debian installs several majors
 * side by side under {@code /usr/lib/postgresql/<major>/bin} and only one of them is on the PATH.
 */
public record PgClientTools(Path pgDump, Path pgRestore, int major, String version) {

  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");
  private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

  /**
   * The newest installation not older than {@code serverMajor}.
   *
   * @param binDir a directory the user pointed at; when present, the only candidate
   */
  public static PgClientTools locate(Optional<Path> binDir, int serverMajor) {
    List<PgClientTools> candidates = new ArrayList<>();
    if (binDir.isPresent()) {
      candidates.add(inspect(binDir.get()).orElseThrow(() -> ReleaseException.badInput("no runnable pg_dump and"
          + " pg_restore in " + binDir.get() + "; point --pg-bin-dir at the bin directory of a PostgreSQL client")));
    } else {
      candidates.addAll(debianInstallations());
      onPath().ifPresent(candidates::add);
    }
    if (candidates.isEmpty()) {
      throw ReleaseException.badInput("pg_dump and pg_restore were not found (looked in " + DEBIAN_ROOT
          + "/*/bin and on the PATH); install the PostgreSQL client (Debian: postgresql-client) or pass --pg-bin-dir");
    }
    PgClientTools newest = candidates.stream().max(Comparator.comparingInt(PgClientTools::major)).orElseThrow();
    if (newest.major() < serverMajor) {
      throw ReleaseException.badInput("the source server is PostgreSQL " + serverMajor + " but the newest pg_dump"
          + " found is " + newest.version() + " (" + newest.pgDump() + "), and pg_dump refuses servers newer than"
          + " itself; install postgresql-client-" + serverMajor + " or pass --pg-bin-dir");
    }
    return candidates.stream().filter(t -> t.major() >= serverMajor)
        .min(Comparator.comparingInt(PgClientTools::major)).orElse(newest);
  }

  static Optional<Integer> parseMajor(String versionOutput) {
    Matcher m = VERSION.matcher(versionOutput);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  private static List<PgClientTools> debianInstallations() {
    if (!Files.isDirectory(DEBIAN_ROOT)) {
      return List.of();
    }
    try (Stream<Path> majors = Files.list(DEBIAN_ROOT)) {
      return majors.map(d -> d.resolve("bin")).map(PgClientTools::inspect).flatMap(Optional::stream).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Optional<PgClientTools> onPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Optional<PgClientTools> tools = inspect(Path.of(dir));
      if (tools.isPresent()) {
        return tools;
      }
    }
    return Optional.empty();
  }

  private static Optional<PgClientTools> inspect(Path dir) {
    Path dump = dir.resolve("pg_dump");
    Path restore = dir.resolve("pg_restore");
    if (!Files.isExecutable(dump) || !Files.isExecutable(restore)) {
      return Optional.empty();
    }
    try {
      Process p = new ProcessBuilder(dump.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.empty();
      }
      Matcher m = VERSION.matcher(out);
      if (!m.find()) {
        return Optional.empty();
      }
      String version = m.group(1) + (m.group(2) == null ? "" : "." + m.group(2));
      return Optional.of(new PgClientTools(dump.toRealPath(), restore.toRealPath(), Integer.parseInt(m.group(1)),
          version));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
