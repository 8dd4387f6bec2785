package io.odoogitops.dryrun.clone;

import io.odoogitops.ReleaseException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens JDBC sessions and turns connection failures into errors a person can act on. Sessions on a production source
 * are opened with {@code default_transaction_read_only=on} at connect time, so that even a bug in this program cannot
 * write to it: the server refuses, not our discipline.
 */
public final class PgSessions {

  private static final String APPLICATION = "odoo-gitops dry-run";

  private PgSessions() {
  }

  /** A session on a database we must never change. */
  public static Connection readOnly(PgEndpoint endpoint) {
    return open(endpoint, true);
  }

  /** A session on a staging server or a clone, which we own. */
  public static Connection readWrite(PgEndpoint endpoint) {
    return open(endpoint, false);
  }

  private static Connection open(PgEndpoint endpoint, boolean readOnly) {
    Properties props = new Properties();
    // The database travels as a property, never inside the URL, where the driver would read parameters out of it.
    props.setProperty("PGDBNAME", endpoint.database());
    props.setProperty("user", endpoint.user());
    if (endpoint.password() != null) {
      props.setProperty("password", endpoint.password());
    }
    props.setProperty("ApplicationName", APPLICATION);
    props.setProperty("connectTimeout", "15");
    if (readOnly) {
      props.setProperty("options", "-c default_transaction_read_only=on");
    }
    Connection connection;
    try {
      connection = DriverManager.getConnection(endpoint.serverUrl(), props);
    } catch (SQLException e) {
      throw connectFailure(endpoint, e);
    }
    if (readOnly) {
      guardReadOnly(connection, endpoint);
    }
    return connection;
  }

  /**
   * Sets read-only as the last word on the session: after the startup options, the role's and the database's
   * defaults and any service or driver configuration, all of which could say otherwise. Then checks the server agrees.
   */
  private static void guardReadOnly(Connection connection, PgEndpoint endpoint) {
    try (Statement st = connection.createStatement()) {
      st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
      try (ResultSet rs = st.executeQuery("SELECT current_setting('default_transaction_read_only')")) {
        rs.next();
        if (!"on".equals(rs.getString(1))) {
          throw new SQLException("default_transaction_read_only is " + rs.getString(1) + " after SET");
        }
      }
      connection.setReadOnly(true);
    } catch (SQLException e) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the session is refused either way
      }
      throw ReleaseException.infrastructure("cannot make the session on " + endpoint.describe()
          + " read only (" + firstLine(e.getMessage()) + "); nothing was read or written", e);
    }
  }

  static ReleaseException connectFailure(PgEndpoint endpoint, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("28P01") || state.equals("28000")) {
      return ReleaseException.badInput("PostgreSQL refused the login of " + endpoint.describe()
          + " (authentication failed); check the user and the password variable or file");
    }
    if (state.equals("3D000")) {
      return ReleaseException.badInput("database '" + endpoint.database() + "' does not exist on "
          + endpoint.host() + ":" + endpoint.port() + "; check the URL");
    }
    if (state.startsWith("08")) {
      return ReleaseException.infrastructure("cannot reach PostgreSQL at " + endpoint.host() + ":"
          + endpoint.port() + " (" + firstLine(e.getMessage()) + "); check the host, the port and the network", e);
    }
    return ReleaseException.infrastructure("cannot open a session on " + endpoint.describe() + ": "
        + firstLine(e.getMessage()), e);
  }

  /** The server's major version, e.g. 15 for 15.4 (from {@code server_version_num}). */
  public static int serverMajor(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
         ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
      rs.next();
      return rs.getInt(1) / 10000;
    }
  }

  /** Identifiers go into DDL (CREATE/DROP DATABASE), where JDBC parameters are not allowed. */
  public static String quoteIdentifier(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
