package io.odoogitops.dryrun.clone;

import io.odoogitops.ReleaseException;
import java.net.URI;
import java.net.URISyntaxException;
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
    if (uri.getUserInfo() != null) {
      throw ReleaseException.badInput("PostgreSQL URL '" + redact(url) + "' carries credentials; pass the user with"
          + " its flag and the password through an environment variable or a file");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (uri.getHost() == null || path.isEmpty()) {
      throw ReleaseException.badInput("PostgreSQL URL '" + redact(url) + "' needs a host and a database name,"
          + " e.g. jdbc:postgresql://db.example.com:5432/odoo");
    }
    if (user == null || user.isBlank()) {
      throw ReleaseException.badInput("no user given for " + uri.getHost() + "/" + path);
    }
    return new PgEndpoint(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path, user, password);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
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

  private static String redact(String url) {
    return url.replaceAll("//[^/@]*@", "//***@");
  }
}
