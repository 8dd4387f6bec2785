package io.odoogitops.dryrun.clone;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.dryrun.OdooSourceDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The container strategy against a real Docker engine. Skipped where there is none, CI included: the container path
 * is never the only coverage of cloning — {@link CloneStrategiesIT} proves the same dump-and-restore with the embedded
 * strategy everywhere, and {@link ContainerCloneStrategyTest} the refusal without Docker.
 */
@EnabledIf("dockerAvailable")
class ContainerCloneStrategyIT {

  @TempDir
  Path work;

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  @Test
  void containerCloneIsACopyOnTheSourceMajorAndTheContainerIsRemovedOnClose() throws Exception {
    OdooSourceDatabase db = OdooSourceDatabase.shared();
    String checksum = db.checksum(OdooSourceDatabase.SMALL_SOURCE);
    ContainerCloneStrategy strategy = new ContainerCloneStrategy(
        new DumpRestore(Optional.empty(), 2, work.resolve("dumps")), Optional.empty());
    CloneName name = new CloneName(CloneName.DEFAULT_PREFIX, "ctrit", Instant.now());

    try (StagingClone clone = strategy.create(db.smallSource(), name)) {
      assertThat(clone.strategy()).isEqualTo("container");
      assertThat(clone.endpoint().database()).isEqualTo(name.toString());
      assertThat(clone.endpoint().port()).isNotEqualTo(db.port());
      try (Connection c = PgSessions.readWrite(clone.endpoint()); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT count(*) FROM account_move_line")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(OdooSourceDatabase.SMALL_ROWS);
        assertThat(PgSessions.serverMajor(c)).isEqualTo(EmbeddedCloneStrategy.EMBEDDED_MAJOR);
      }
      assertThat(containersOf(name)).hasSize(1);
    }
    assertThat(containersOf(name)).as("stopped and removed on close").isEmpty();
    assertThat(db.checksum(OdooSourceDatabase.SMALL_SOURCE)).isEqualTo(checksum);
  }

  private static List<?> containersOf(CloneName name) {
    return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(ContainerCloneStrategy.CLONE_LABEL, name.toString())).exec();
  }
}
