package io.odoogitops.cluster;

import io.odoogitops.ReleaseException;

/**
 * How the upgrade Job reaches the staging clone's PostgreSQL server. Handed to the pod only through a Secret created
 * for the run, as libpq's {@code PGHOST}/{@code PGPORT}/{@code PGUSER}/{@code PGPASSWORD}: Odoo leaves unset
 * connection options to libpq, which reads them from the environment. The password never appears in the Job spec,
 * the pod's command line, a log or {@link #toString()}.
 */
public record DatabaseCredentials(String host, int port, String user, String password) {

  public DatabaseCredentials {
    if (host == null || host.isBlank()) {
      throw ReleaseException.badInput("no database host given for the upgrade job");
    }
    if (port <= 0 || port > 65535) {
      throw ReleaseException.badInput("database port " + port + " is out of range");
    }
    if (user == null || user.isBlank()) {
      throw ReleaseException.badInput("no database user given for the upgrade job");
    }
    if (password == null) {
      throw ReleaseException.badInput("no database password given for the upgrade job");
    }
  }

  @Override
  public String toString() {
    return user + "@" + host + ":" + port + " (password hidden)";
  }
}
