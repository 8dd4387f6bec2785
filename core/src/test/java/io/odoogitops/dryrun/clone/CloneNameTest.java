package io.odoogitops.dryrun.clone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CloneNameTest {

  @Test
  void roundTripsThroughItsTextualForm() {
    CloneName name = new CloneName("odoo_gitops_dryrun", "a1b2c3", Instant.parse("2026-11-23T17:05:09.123Z"));
    assertThat(name.toString()).isEqualTo("odoo_gitops_dryrun_a1b2c3_20261123170509");
    assertThat(CloneName.parse("odoo_gitops_dryrun", name.toString())).contains(name);
    assertThat(name.toString().length()).isLessThan(63);
  }

  @Test
  void neverRecognizesDatabasesThatAreNotClones() {
    assertThat(CloneName.parse("odoo_gitops_dryrun", "odoo_prod")).isEmpty();
    assertThat(CloneName.parse("odoo_gitops_dryrun", "odoo_gitops_dryrun_x_2026")).isEmpty();
    assertThat(CloneName.parse("odoo_gitops_dryrun", "other_gitops_dryrun_x_20261123170509")).isEmpty();
  }

  @Test
  void refusesNamesThatWouldNeedQuoting() {
    assertThatThrownBy(() -> new CloneName("Prod-Clone", "x", Instant.EPOCH)).isInstanceOf(ReleaseException.class);
    assertThatThrownBy(() -> new CloneName("ok", "A;drop", Instant.EPOCH)).isInstanceOf(ReleaseException.class);
  }

  @Test
  void readsTheMajorFromPgDumpVersionOutput() {
    assertThat(PgClientTools.parseMajor("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)")).contains(15);
    assertThat(PgClientTools.parseMajor("pg_dump (PostgreSQL) 17beta1")).contains(17);
    assertThat(PgClientTools.parseMajor("bash: pg_dump: command not found")).isEmpty();
  }

  @Test
  void dumpsRestoreOnlyIntoTheSameOrANewerMajor() {
    DumpRestore.requireRestorable(15, 15, "the embedded server");
    DumpRestore.requireRestorable(14, 16, "the staging server");
    assertThatThrownBy(() -> DumpRestore.requireRestorable(16, EmbeddedCloneStrategy.EMBEDDED_MAJOR,
        "the embedded server"))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("the source is PostgreSQL 16 but the embedded server is PostgreSQL 15");
  }

  @Test
  void endpointsRefuseCredentialsInTheUrlAndNeverPrintThePassword() {
    PgEndpoint e = PgEndpoint.parse("jdbc:postgresql://db.example.com/odoo", "odoo", "topsecret");
    assertThat(e.port()).isEqualTo(5432);
    assertThat(e.toString()).doesNotContain("topsecret");
    assertThatThrownBy(() -> PgEndpoint.parse("postgresql://odoo:topsecret@db/odoo", "odoo", null))
        .hasMessageContaining("carries credentials").hasMessageNotContaining("topsecret");
  }
}
