package io.odoogitops.dryrun.clone;

import io.odoogitops.ReleaseException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where one PostgreSQL database is and who logs in. The password is held here because JDBC and the client tools need
 * it, but it never appears in {@link #toString()}, errors or reports: only {@link #describe()} is shown to people.
 */
public record PgEndpoint(String host, int port, String database, String user, String password) {

  public PgEndpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    if (port <= 0 || port > 65535) {
      throw ReleaseException.badInput("PostgreSQL port " + port + " is out of range 1-65535");
    }
    requirePlainDatabaseName(database);
  }

  /**
   * A database name is only a name. Drivers and client tools read more into some characters: the JDBC driver takes
   * what follows {@code ?} or {@code &} as connection parameters (a password, or {@code options} that turn off the
   * read-only guard), and libpq takes a name with {@code =} or a {@code postgresql://} prefix as a whole connection
   * string. The name is passed as a connection property anyway; refusing these keeps every consumer safe.
   */
  private static void requirePlainDatabaseName(String database) {
    if (database.isEmpty()) {
      throw ReleaseException.badInput("the PostgreSQL database name is empty; e.g. jdbc:postgresql://db:5432/odoo");
    }
    for (int i = 0; i < database.length(); i++) {
      char c = database.charAt(i);
      if (c == '?' || c == '&' || c == '=' || c == '/' || c == '#' || Character.isISOControl(c)) {
        // Only what precedes the character is shown: what follows may be a password.
        throw ReleaseException.badInput("the PostgreSQL database name '" + database.substring(0, i) + "…' contains "
            + (Character.isISOControl(c) ? "a control character" : "'" + c + "'")
            + ", which would be read as connection parameters; give the plain database name (URL parameters and"
            + " connection options are not accepted: the session settings are odoo-gitops' own)");
      }
    }
  }

  /**
   * Parses {@code jdbc:postgresql://host[:port]/db} or {@code postgresql://host[:port]/db}. Credentials in the URL are
   * refused: they would end up in shell history and CI logs, so they come from the environment or a file instead.
   */
  public static PgEndpoint parse(String url, String user, String password) {
    if (url == null || url.isBlank()) {
      throw ReleaseException.badInput("no PostgreSQL URL given; expected jdbc:postgresql://host:5432/database");
    }
    String plain = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
    URI uri;
    try {
      uri = new URI(plain);
    } catch (URISyntaxException e) {
      throw ReleaseException.badInput("cannot parse PostgreSQL URL '" + redact(url)
          + "'; expected jdbc:postgresql://host:5432/database");
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw ReleaseException.badInput("PostgreSQL URL '" + redact(url)
          + "' must start with jdbc:postgresql:// or postgresql://");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw ReleaseException.badInput("PostgreSQL URL '" + redact(url) + "' has parameters; give only"
          + " jdbc:postgresql://host:port/database (URL parameters can change session settings such as the read-only"
          + " guard on production, so none are accepted)");
    }
    if (uri.getUserInfo() != null) {
      throw ReleaseException.badInput("PostgreSQL URL '" + redact(url) + "' carries credentials; pass the user with"
          + " its flag and the password through an environment variable or a file");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (uri.getHost() == null || path.isEmpty()) {
      throw ReleaseException.badInput("PostgreSQL URL '" + redact(url) + "' needs a host and a database name,"
          + " e.g. jdbc:postgresql://db.example.com:5432/odoo");
    }
    requirePlainDatabaseName(path);
    if (user == null || user.isBlank()) {
      throw ReleaseException.badInput("no user given for " + uri.getHost() + "/" + path);
    }
    return new PgEndpoint(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path, user, password);
  }

  /**
   * For tools that take only a URL (Flyway). The name is encoded, so the driver's decoding gives it back as it is;
   * sessions of this program pass it as a property instead (see {@link PgSessions}).
   */
  public String jdbcUrl() {
    return serverUrl() + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The server alone; the database goes in the {@code PGDBNAME} property. */
  String serverUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/";
  }

  public PgEndpoint withDatabase(String otherDatabase) {
    return new PgEndpoint(host, port, otherDatabase, user, password);
  }

  /** For messages and reports: where, and as whom, never the password. */
  public String describe() {
    return user + "@" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "PgEndpoint[" + describe() + "]";
  }

  /** The URL up to where a secret could start: user-info masked, parameters and encoded characters cut off. */
  private static String redact(String url) {
    String masked = url.replaceAll("//[^/@]*@", "//***@");
    int scheme = masked.indexOf("//");
    int cut = masked.length();
    for (char c : new char[] {'?', '#', '%', '&', '=', ';'}) {
      int at = masked.indexOf(c, scheme < 0 ? 0 : scheme);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    return cut < masked.length() ? masked.substring(0, cut) + "…" : masked;
  }
}
