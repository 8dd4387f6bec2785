package io.odoogitops.dryrun.clone;

import io.odoogitops.ReleaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code CREATE DATABASE clone TEMPLATE source} on the staging server, where {@code source} is a database refreshed
 * from production (by replication or a nightly restore) on that same server. Asks for {@code STRATEGY FILE_COPY} on
 * PostgreSQL 15+: there the default WAL_LOG writes every page through the WAL, which measured ~9x slower than the
 * file copy on a 2 GB database (see DESIGN.md); older servers always copy files.
 */
public final class TemplateCloneStrategy implements CloneStrategy {

  /** Enough to find the culprit; a pooler with hundreds of sessions would drown the message. */
  private static final int SESSIONS_SHOWN = 5;

  private final StagingServer staging;

  public TemplateCloneStrategy(StagingServer staging) {
    this.staging = staging;
  }

  @Override
  public String name() {
    return "template";
  }

  @Override
  public void requireCloneable(PgEndpoint source) {
    PgEndpoint admin = staging.admin();
    if (!admin.host().equals(source.host()) || admin.port() != source.port()) {
      throw ReleaseException.badInput("the template strategy copies a database of the staging server itself, but"
          + " the source " + source.host() + ":" + source.port() + " is not the staging server " + admin.host() + ":"
          + admin.port() + "; use the dump or embedded strategy, or point the source at the refreshed copy");
    }
  }

  @Override
  public StagingClone create(PgEndpoint source, CloneName name) {
    requireCloneable(source);
    PgEndpoint admin = staging.admin();
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
      } catch (SQLException e) {
        if ("55006".equals(e.getSQLState())) {
          // PostgreSQL already waited 5 s for the other sessions to go away. Not a verdict on the release (exit 1
          // means FAIL): the staging server is not ready, which is infrastructure.
          throw ReleaseException.infrastructure("template database '" + template + "' is in use by "
              + sessionsOn(c, template) + "; CREATE DATABASE ... TEMPLATE needs it idle, so no clone was made: stop"
              + " what is connected (the refresh job, an Odoo or a psql pointed at the copy) or end those sessions"
              + " with SELECT pg_terminate_backend(pid) on the staging server, then rerun", e);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw ReleaseException.infrastructure("cannot clone template database '" + template + "' into " + clone + ": "
          + PgSessions.firstLine(e.getMessage()), e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    return new StagingClone(name, name(), admin.withDatabase(clone), took, () -> staging.dropDatabase(clone));
  }

  /**
   * Who is connected to {@code database}, as the staging server shows it to us ({@code pg_stat_activity} hides the
   * application and address of other users' sessions from non-superusers without {@code pg_read_all_stats}).
   */
  static String sessionsOn(Connection c, String database) {
    List<String> sessions = new ArrayList<>();
    int total = 0;
    try (PreparedStatement ps = c.prepareStatement("SELECT pid, usename, application_name, client_addr::text,"
        + " state, backend_start FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()"
        + " ORDER BY backend_start")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          total++;
          if (sessions.size() < SESSIONS_SHOWN) {
            sessions.add(describeSession(rs));
          }
        }
      }
    } catch (SQLException e) {
      return "other sessions (who could not be read: " + PgSessions.firstLine(e.getMessage()) + ")";
    }
    if (total == 0) {
      return "other sessions (gone by now)";
    }
    return total + " other session(s): " + String.join("; ", sessions) + (total > sessions.size() ? "; …" : "");
  }

  private static String describeSession(ResultSet rs) throws SQLException {
    StringBuilder s = new StringBuilder("pid ").append(rs.getInt("pid"));
    appendIfKnown(s, " user ", rs.getString("usename"));
    appendIfKnown(s, " application '", rs.getString("application_name"), "'");
    appendIfKnown(s, " from ", rs.getString("client_addr"));
    appendIfKnown(s, ", ", rs.getString("state"));
    Timestamp since = rs.getTimestamp("backend_start");
    if (since != null) {
      s.append(", connected since ").append(since.toInstant().truncatedTo(ChronoUnit.SECONDS));
    } else if (rs.getString("usename") == null) {
      // another role's session (or one just ending): PostgreSQL shows its details only to superusers and
      // pg_read_all_stats members
      s.append(" (details hidden from this role)");
    }
    return s.toString();
  }

  private static void appendIfKnown(StringBuilder s, String prefix, String value) {
    appendIfKnown(s, prefix, value, "");
  }

  /** Names come from other clients: keep them printable and short, they end up in a CI log. */
  private static void appendIfKnown(StringBuilder s, String prefix, String value, String suffix) {
    if (value != null && !value.isBlank()) {
      String clean = value.replaceAll("\\p{Cntrl}", "?");
      s.append(prefix).append(clean.length() > 64 ? clean.substring(0, 64) + "…" : clean).append(suffix);
    }
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
