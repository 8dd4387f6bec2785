package io.odoogitops.dryrun.clone;

import io.odoogitops.ReleaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code CREATE DATABASE clone TEMPLATE source} on the staging server, where {@code source} is a database refreshed
 * from production (by replication or a nightly restore) on that same server. Asks for {@code STRATEGY FILE_COPY} on
 * PostgreSQL 15+: there the default WAL_LOG writes every page through the WAL, which measured ~9x slower than the
 * file copy on a 2 GB database (see DESIGN.md); older servers always copy files.
 */
public final class TemplateCloneStrategy implements CloneStrategy {

  private final StagingServer staging;

  public TemplateCloneStrategy(StagingServer staging) {
    this.staging = staging;
  }

  @Override
  public String name() {
    return "template";
  }

  @Override
  public StagingClone create(PgEndpoint source, CloneName name) {
    PgEndpoint admin = staging.admin();
    if (!admin.host().equals(source.host()) || admin.port() != source.port()) {
      throw ReleaseException.badInput("the template strategy copies a database of the staging server itself, but"
          + " the source " + source.host() + ":" + source.port() + " is not the staging server " + admin.host() + ":"
          + admin.port() + "; use the dump or embedded strategy, or point the source at the refreshed copy");
    }
    String template = source.database();
    String clone = name.toString();
    long started = System.nanoTime();
    // CREATE DATABASE ... TEMPLATE fails if anyone else is connected to the template, including a concurrent
    // clone of the same template: serialize per template.
    try (StagingServer.LockedSession locked = staging.lock("template:" + template)) {
      Connection c = locked.connection();
      requireExists(c, template);
      String strategy = PgSessions.serverMajor(c) >= 15 ? " STRATEGY FILE_COPY" : "";
      try (Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + PgSessions.quoteIdentifier(clone) + " TEMPLATE "
            + PgSessions.quoteIdentifier(template) + strategy);
      }
    } catch (SQLException e) {
      if ("55006".equals(e.getSQLState())) {
        // PostgreSQL already waited 5 s for the other sessions to go away
        throw ReleaseException.refused("template database '" + template + "' has other sessions open;"
            + " CREATE DATABASE ... TEMPLATE needs it idle: stop whatever is connected to it (the refresh job,"
            + " a psql) and rerun");
      }
      throw ReleaseException.infrastructure("cannot clone template database '" + template + "' into " + clone + ": "
          + PgSessions.firstLine(e.getMessage()), e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    return new StagingClone(name, name(), admin.withDatabase(clone), took, () -> staging.dropDatabase(clone));
  }

  private static void requireExists(Connection c, String template) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, template);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw ReleaseException.badInput("template database '" + template + "' does not exist on the staging"
              + " server; check the source URL");
        }
      }
    }
  }

  @Override
  public List<String> sweep(String prefix, Duration ttl, Clock clock) {
    return staging.sweep(prefix, ttl, clock);
  }
}
