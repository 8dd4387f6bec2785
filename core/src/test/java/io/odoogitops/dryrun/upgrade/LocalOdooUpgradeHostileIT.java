package io.odoogitops.dryrun.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.odoo.log.ModuleLoad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner against an {@code odoo-bin} whose output and processes are hostile: shell scripts standing in for
 * a release's code that prints without end or leaves a daemon behind. They never connect: the target only names a
 * database.
 */
class LocalOdooUpgradeHostileIT {

  private static final String MODULE_LINE = "2026-11-30 01:00:00,000 42 INFO clone odoo.modules.loading:"
      + " Module sale loaded in 0.10s, 3 queries";

  @TempDir
  Path dir;

  private Path script(String body) throws Exception {
    Path bin = dir.resolve("odoo-bin");
    Files.writeString(bin, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwx------"));
    return bin;
  }

  private static OdooUpgradeTarget target() {
    return new OdooUpgradeTarget(null, OdooSourceDatabase.shared().smallSource(), List.of("sale"));
  }

  @Test
  void aLineWithoutEndIsCutAndTheLogAfterItIsStillRead() throws Exception {
    // 8 MiB on one line, the password in the middle of it and at the cut, then Odoo's own line
    String password = OdooSourceDatabase.PASSWORD;
    Path bin = script("head -c 65530 /dev/zero | tr '\\0' 'a'; printf '%s' \"$PGPASSWORD\";"
        + " head -c 8388608 /dev/zero | tr '\\0' 'b'; echo\necho '" + MODULE_LINE + "'\n");
    List<String> progress = new CopyOnWriteArrayList<>();
    OdooUpgradeRun run = LocalOdooUpgrade.builder().odooBin(bin).timeout(Duration.ofSeconds(60))
        .progress(progress::add).build().run(target());

    assertThat(run.outcome()).isEqualTo("SUCCEEDED");
    assertThat(run.log().modules()).extracting(ModuleLoad::module).containsExactly("sale");
    assertThat(progress).allSatisfy(line -> assertThat(line.length()).isLessThan(70_000));
    assertThat(progress).anySatisfy(line -> assertThat(line).endsWith("[cut: " + (65_530 + password.length() + 8_388_608 - 65_536)
        + " more characters]"));
    assertThat(String.join("\n", progress)).doesNotContain(password)
        .doesNotContain(password.substring(0, 6));
  }

  @Test
  void aDaemonThatKeepsTheOutputOpenIsKilledAndTheLogIsRead() throws Exception {
    Path pidFile = dir.resolve("daemon.pid");
    // the daemon leaves Odoo's process tree (new session, parent gone) but keeps Odoo's stdout
    Path bin = script("echo '" + MODULE_LINE + "'\n"
        + "( setsid sh -c 'echo $$ > " + pidFile + "; exec sleep 120' & )\n"
        + "while [ ! -s " + pidFile + " ]; do sleep 0.05; done\nexit 0\n");
    long started = System.nanoTime();
    OdooUpgradeRun run;
    Optional<ProcessHandle> daemon;
    try {
      run = LocalOdooUpgrade.builder().odooBin(bin).timeout(Duration.ofSeconds(60)).build().run(target());
    } finally {
      daemon = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).filter(ProcessHandle::isAlive);
      daemon.ifPresent(ProcessHandle::destroyForcibly);
    }
    assertThat(daemon).as("the daemon odoo-bin left behind").isEmpty();
    assertThat(run.outcome()).isEqualTo("SUCCEEDED");
    assertThat(run.log().modules()).extracting(ModuleLoad::module).containsExactly("sale");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
  }
}
