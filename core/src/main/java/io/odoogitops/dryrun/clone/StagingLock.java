package io.odoogitops.dryrun.clone;

import io.odoogitops.ReleaseException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A session-level advisory lock on the staging server, keyed by what must not overlap (a template database, the
 * sweep of a prefix). Session-level on purpose: if this process dies, the server ends the session and releases the
 * lock, so a crashed run never blocks the next one.
 */
public final class StagingLock implements AutoCloseable {

  private final Connection session;
  private final long key;
  private final String target;

  private StagingLock(Connection session, long key, String target) {
    this.session = session;
    this.key = key;
    this.target = target;
  }

  /** Waits up to {@code wait} for the lock on {@code target}; the session stays open while the lock is held. */
  public static StagingLock acquire(Connection session, String target, Duration wait) {
    long key = keyOf(target);
    try (Statement st = session.createStatement()) {
      // advisory locks obey lock_timeout, which turns "wait forever behind a stuck run" into a clear error
      st.execute("SET lock_timeout = " + Math.max(1, wait.toMillis()));
    } catch (SQLException e) {
      throw ReleaseException.infrastructure("cannot prepare the staging lock session: " + e.getMessage(), e);
    }
    try (PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_lock(?)")) {
      ps.setLong(1, key);
      ps.execute();
      return new StagingLock(session, key, target);
    } catch (SQLException e) {
      if ("55P03".equals(e.getSQLState())) {
        throw ReleaseException.refused("another dry-run holds the staging lock on '" + target + "' for more than "
            + wait.toSeconds() + "s; wait for it to finish or raise the lock wait");
      }
      throw ReleaseException.infrastructure("cannot take the staging lock on '" + target + "': "
          + e.getMessage(), e);
    } finally {
      try (Statement st = session.createStatement()) {
        st.execute("RESET lock_timeout");
      } catch (SQLException ignored) {
        // the session is unusable anyway; the error above says why
      }
    }
  }

  /** Stable across processes and versions: the first 8 bytes of the SHA-256 of the target's name. */
  static long keyOf(String target) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(("odoo-gitops:" + target).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest, 0, 8).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  public String target() {
    return target;
  }

  @Override
  public void close() {
    try (PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      ps.setLong(1, key);
      ps.execute();
    } catch (SQLException e) {
      // closing the session releases it as well, which callers always do next
    }
  }
}
