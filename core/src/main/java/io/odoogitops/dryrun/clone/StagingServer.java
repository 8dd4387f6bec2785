package io.odoogitops.dryrun.clone;

import io.odoogitops.ReleaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL server that hosts clones, reached through an administrative endpoint (usually its {@code postgres}
 * maintenance database) whose user may CREATE and DROP databases. It never holds production data we care about:
 * everything it creates carries the clone prefix and is dropped again.
 */
public final class StagingServer {

  private final PgEndpoint admin;
  private final Duration lockWait;

  public StagingServer(PgEndpoint admin, Duration lockWait) {
    this.admin = admin;
    this.lockWait = lockWait;
  }

  public PgEndpoint admin() {
    return admin;
  }

  public Connection session() {
    return PgSessions.readWrite(admin);
  }

  public int serverMajor() {
    try (Connection c = session()) {
      return PgSessions.serverMajor(c);
    } catch (SQLException e) {
      throw ReleaseException.infrastructure("cannot read the version of staging server " + admin.describe(), e);
    }
  }

  /** Holds {@link StagingLock} on {@code target} for the lifetime of the returned session handle. */
  public LockedSession lock(String target) {
    Connection session = session();
    try {
      return new LockedSession(session, StagingLock.acquire(session, target, lockWait));
    } catch (RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  /** A session holding a staging lock; closing releases both. */
  public record LockedSession(Connection connection, StagingLock lock) implements AutoCloseable {
    @Override
    public void close() {
      lock.close();
      closeQuietly(connection);
    }
  }

  public void createEmptyDatabase(String name) {
    execute("CREATE DATABASE " + PgSessions.quoteIdentifier(name) + " TEMPLATE template0", "create database " + name);
  }

  /**
   * Drops a database even if sessions are still attached (a killed run's backend may still be sleeping in it).
   * {@code WITH (FORCE)} exists from PostgreSQL 13; older servers get their sessions terminated first.
   */
  public void dropDatabase(String name) {
    try (Connection c = session(); Statement st = c.createStatement()) {
      if (PgSessions.serverMajor(c) >= 13) {
        st.execute("DROP DATABASE IF EXISTS " + PgSessions.quoteIdentifier(name) + " WITH (FORCE)");
      } else {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
          ps.setString(1, name);
          ps.execute();
        }
        st.execute("DROP DATABASE IF EXISTS " + PgSessions.quoteIdentifier(name));
      }
    } catch (SQLException e) {
      throw ReleaseException.infrastructure("cannot drop database " + name + " on " + admin.host() + ":"
          + admin.port() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Drops clones of {@code prefix} older than {@code ttl}, under the prefix's lock so two sweeps never race. Younger
   * clones may belong to a run still going on and are left alone.
   */
  public List<String> sweep(String prefix, Duration ttl, Clock clock) {
    List<String> dropped = new ArrayList<>();
    Instant cutoff = clock.instant().minus(ttl);
    try (LockedSession locked = lock("sweep:" + prefix)) {
      for (String name : databasesLike(locked.connection(), prefix)) {
        boolean stale = CloneName.parse(prefix, name).map(n -> !n.createdAt().isAfter(cutoff)).orElse(false);
        if (stale) {
          dropDatabase(name);
          dropped.add(name);
        }
      }
    }
    return dropped;
  }

  public List<String> clones(String prefix) {
    try (Connection c = session()) {
      return databasesLike(c, prefix).stream().filter(n -> CloneName.parse(prefix, n).isPresent()).toList();
    } catch (SQLException e) {
      throw ReleaseException.infrastructure("cannot list databases on " + admin.describe(), e);
    }
  }

  private static List<String> databasesLike(Connection c, String prefix) {
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT datname FROM pg_database WHERE starts_with(datname, ?) ORDER BY datname")) {
      ps.setString(1, prefix + "_");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw ReleaseException.infrastructure("cannot list databases on the staging server: " + e.getMessage(), e);
    }
    return names;
  }

  void execute(String sql, String what) {
    try (Connection c = session(); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw ReleaseException.infrastructure("cannot " + what + " on " + admin.host() + ":" + admin.port() + ": "
          + e.getMessage(), e);
    }
  }

  static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // nothing left to do with a session we are abandoning
    }
  }
}
