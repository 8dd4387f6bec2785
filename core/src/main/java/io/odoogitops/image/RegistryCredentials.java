package io.odoogitops.image;

import java.util.Objects;

/**
 * A user name and password (or token) for one registry. Only ever read from the environment or a file by the front
 * ends; {@link #toString()} never shows the secret, so it cannot leak into a log or an error message by accident.
 */
public record RegistryCredentials(String username, String password) {

  public RegistryCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=***]";
  }
}
