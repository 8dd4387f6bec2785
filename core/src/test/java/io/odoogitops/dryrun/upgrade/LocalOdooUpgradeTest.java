package io.odoogitops.dryrun.upgrade;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.odoogitops.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The arguments the local runner refuses: Odoo parses them with optparse, which takes more spellings than one. */
class LocalOdooUpgradeTest {

  @TempDir
  static Path dir;

  private static Path odooBin() throws Exception {
    Path bin = dir.resolve("odoo-bin");
    if (!Files.exists(bin)) {
      Files.writeString(bin, "#!/bin/sh\n");
      Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwx------"));
    }
    return bin;
  }

  /** A short option with its value attached, and a long option abbreviated, as optparse accepts them. */
  @ParameterizedTest
  @ValueSource(strings = {"-wsecret", "--db_pass=secret", "--db_passw", "-dprod", "--datab=prod", "-uall",
      "--upd=all", "-iall", "--ini=all", "-d", "--database=prod", "--db_password"})
  void argumentsThatSetTheDatabaseModulesOrAPasswordAreRefusedInEverySpelling(String arg) throws Exception {
    assertThatThrownBy(() -> LocalOdooUpgrade.builder().odooBin(odooBin()).arg(arg).build())
        .isInstanceOf(ReleaseException.class).hasMessageContaining("is set by the dry-run itself")
        .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-c", "/etc/odoo/odoo.conf", "--addons-path=/mnt/addons", "--data-dir=/var/lib/odoo",
      "--log-level=info", "--db-filter=^x$", "--without-demo=all"})
  void otherOptionsAndValuesPass(String arg) {
    assertThatCode(() -> LocalOdooUpgrade.builder().odooBin(odooBin()).arg(arg).build()).doesNotThrowAnyException();
  }
}
