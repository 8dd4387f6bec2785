package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.cli.CliJarIT.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher the build puts next to the jar ({@code target/odoo-gitops}), run as a user runs it: it records a
 * class-data sharing archive on first use and maps it later, replaces a truncated one, and runs the command whatever
 * is wrong with its cache.
 */
class CliLauncherIT {

  private static final Path JAR = Path.of(System.getProperty("odoogitops.jar", "target/odoo-gitops.jar"));
  private static final String IMAGE = "registry.example.com/acme/odoo@sha256:" + "ab".repeat(32);

  @TempDir Path dir;

  /** The launcher and the jar copied to a directory whose path has blanks, as an install may have. */
  private Path install() throws IOException {
    assumeTrue(System.getProperty("odoogitops.version") != null, "not run by failsafe after the package phase");
    Path bin = Files.createDirectories(dir.resolve("opt dir/odoo gitops"));
    Files.copy(JAR.resolveSibling("odoo-gitops"), bin.resolve("odoo-gitops"));
    Files.copy(JAR, bin.resolve("odoo-gitops.jar"));
    return bin.resolve("odoo-gitops");
  }

  @Test
  void theArchiveIsCreatedOnFirstUseThenReusedAndATruncatedOneIsReplaced() throws Exception {
    Path launcher = install();
    Path cache = dir.resolve("cache");
    Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());

    // A run that fails (here: no repository named) records nothing: its classes are not the command's.
    Run failed = run(launcher, env, "history", "--env", "production");
    assertThat(failed.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(failed.err()).contains("no GitOps repository given");
    try (Stream<Path> files = Files.list(cache.resolve("odoo-gitops/cds"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".jsa"))).isEmpty();
    }

    Run first = run(launcher, env, "--version");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("odoo-gitops " + System.getProperty("odoogitops.version"));
    Path archive = single(cache.resolve("odoo-gitops/cds"), "-version-");
    long size = Files.size(archive);
    assertThat(archive.getFileName().toString()).endsWith("-" + size + ".jsa");
    assertThat(Files.getPosixFilePermissions(archive.getParent())).isEqualTo(PosixFilePermissions.fromString(
        "rwx------"));
    // The JVM maps it when told it must (-Xshare:on fails otherwise): it is a valid archive of this jar.
    Run shared = java(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-jar",
        archive.resolveSibling(jarLink(archive)).toString(), "--version"));
    assertThat(shared.exitCode()).as(shared.err() + shared.out()).isZero();

    FileTime recorded = Files.getLastModifiedTime(archive);
    Run second = run(launcher, env, "--version");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(single(cache.resolve("odoo-gitops/cds"), "-version-")).isEqualTo(archive);
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(recorded);
    assertThat(leftovers(cache.resolve("odoo-gitops/cds"))).isEmpty();

    // JDK 17 crashes on a truncated archive rather than refusing it; the launcher never hands it one.
    archive.toFile().setWritable(true);
    try (var channel = java.nio.channels.FileChannel.open(archive, java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(size / 3);
    }
    Run truncated = run(launcher, env, "--version");
    assertThat(truncated.exitCode()).as(truncated.err()).isZero();
    assertThat(truncated.out()).isEqualTo(first.out());
    Path replaced = single(cache.resolve("odoo-gitops/cds"), "-version-");
    assertThat(Files.size(replaced)).isGreaterThan(size / 3);
    assertThat(replaced.getFileName().toString()).endsWith("-" + Files.size(replaced) + ".jsa");

    // A new jar (another mtime) never maps the old archive: it records its own.
    Path jar = launcher.resolveSibling("odoo-gitops.jar");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
    Run rebuilt = run(launcher, env, "--version");
    assertThat(rebuilt.exitCode()).as(rebuilt.err()).isZero();
    try (Stream<Path> files = Files.list(cache.resolve("odoo-gitops/cds"))) {
      assertThat(files.filter(p -> p.toString().contains("-version-"))).hasSize(2);
    }
  }

  @Test
  void theFirstRunsOutputIsTheCommandsAloneAndOnlyLongCommandsKeepTheDefaultJit() throws Exception {
    Path launcher = install();
    Path config = Files.writeString(dir.resolve("odoo gitops.yaml"), """
        timeZone: Europe/Brussels
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        environments:
          acme: { path: envs/acme, layout: kustomize }
        fleets:
          saas:
            waves:
              - { name: canary, canary: true, environments: [acme] }
        """);
    Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());
    for (int i = 0; i < 2; i++) {
      // Recording the archive makes the JVM warn about classes it skips: never on stdout, which is JSON here.
      Run plan = run(launcher, env, "fleet", "plan", "--config", config.toString(), "--fleet", "saas", "--image",
          IMAGE, "--at", "2026-12-02T10:00", "--output", "json");
      assertThat(plan.exitCode()).as(plan.err()).isZero();
      assertThat(new ObjectMapper().readTree(plan.out()).path("fleet").asText()).isEqualTo("saas");
    }
    single(dir.resolve("cache/odoo-gitops/cds"), "-fleet_plan-");

    Map<String, String> flags = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString(), "ODOO_GITOPS_JAVA_OPTS",
        "-XX:+PrintCommandLineFlags  -Dodoo.gitops.test=a");
    for (String[] c1 : List.of(new String[] {"fleet", "status"}, new String[] {"fleet", "promote"})) {
      Run query = run(launcher, flags, c1[0], c1[1], "--help");
      assertThat(query.exitCode()).as(query.err()).isZero();
      assertThat(query.out()).as(String.join(" ", c1)).contains("-XX:TieredStopAtLevel=1");
    }
    for (String[] jit : List.of(new String[] {"fleet", "dry-run"}, new String[] {"dry-run"})) {
      List<String> args = new ArrayList<>(List.of(jit));
      args.add("--help");
      Run heavy = run(launcher, flags, args.toArray(String[]::new));
      assertThat(heavy.exitCode()).as(heavy.err()).isZero();
      assertThat(heavy.out()).as(String.join(" ", jit)).contains("-XX:+PrintCommandLineFlags")
          .doesNotContain("TieredStopAtLevel");
    }
  }

  @Test
  void aCacheThatCannotBeUsedRunsThePlainJarAndJavaIsTheOneNamed() throws Exception {
    Path launcher = install();
    Path notADirectory = Files.writeString(dir.resolve("cache-file"), "x");
    Run file = run(launcher, Map.of("XDG_CACHE_HOME", notADirectory.toString()), "--version");
    assertThat(file.exitCode()).as(file.err()).isZero();
    assertThat(file.out()).startsWith("odoo-gitops ");

    // A cds directory that is a link elsewhere is not ours to trust: nothing is read or written there.
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Path linked = Files.createDirectories(dir.resolve("linked/odoo-gitops"));
    Files.createSymbolicLink(linked.resolve("cds"), elsewhere);
    Run link = run(launcher, Map.of("XDG_CACHE_HOME", dir.resolve("linked").toString()), "--version");
    assertThat(link.exitCode()).as(link.err()).isZero();
    try (Stream<Path> files = Files.list(elsewhere)) {
      assertThat(files).isEmpty();
    }

    // Others may write to it: not used either.
    Path open = Files.createDirectories(dir.resolve("open/odoo-gitops/cds"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(open.getParent().getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Run shared = run(launcher, Map.of("XDG_CACHE_HOME", dir.resolve("open").toString()), "--version");
    assertThat(shared.exitCode()).as(shared.err()).isZero();

    // JAVA names the java to run (here a wrapper that says it ran); without a JDK around it, no archive is keyed.
    Path marker = dir.resolve("java ran");
    Path wrapper = dir.resolve("my java");
    Files.writeString(wrapper, "#!/bin/sh\necho ran > '" + marker + "'\nexec '" + javaBinary() + "' \"$@\"\n");
    wrapper.toFile().setExecutable(true);
    Run named = run(launcher, Map.of("XDG_CACHE_HOME", dir.resolve("cache2").toString(), "JAVA", wrapper.toString()),
        "--version");
    assertThat(named.exitCode()).as(named.err()).isZero();
    assertThat(marker).exists();
  }

  /** The jar the archive was recorded against: the hard link in the cache when the install path has blanks. */
  private static String jarLink(Path archive) throws IOException {
    try (Stream<Path> files = Files.list(archive.getParent())) {
      return files.filter(p -> p.toString().endsWith(".jar")).findFirst().map(p -> p.getFileName().toString())
          .orElseThrow(() -> new AssertionError("no hard link of the jar next to " + archive));
    }
  }

  private static Path single(Path cds, String command) throws IOException {
    try (Stream<Path> files = Files.list(cds)) {
      List<Path> archives = files.filter(p -> p.getFileName().toString().contains(command)
          && p.toString().endsWith(".jsa")).toList();
      assertThat(archives).as("archives of " + command + " in " + cds).hasSize(1);
      return archives.get(0);
    }
  }

  private static List<Path> leftovers(Path cds) throws IOException {
    try (Stream<Path> files = Files.list(cds)) {
      return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Run run(Path launcher, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
    // Whatever the machine sets, the launcher sees only what the test gives it.
    all.putIfAbsent("ODOO_GITOPS_JAVA_OPTS", "");
    all.putIfAbsent("JAVA", "");
    return CliJarIT.exec(command, all);
  }

  private static Run java(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(javaBinary()));
    command.addAll(args);
    return CliJarIT.exec(command, Map.of());
  }
}
