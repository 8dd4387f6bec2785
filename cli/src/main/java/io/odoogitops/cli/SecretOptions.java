package io.odoogitops.cli;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads secrets from environment variables or files, never from argv: command lines end up in shell history, process
 * listings and Jenkins logs. A flag may name the variable or file; its value is never echoed.
 */
public final class SecretOptions {

  private final Map<String, String> env;

  public SecretOptions() {
    this(System.getenv());
  }

  SecretOptions(Map<String, String> env) {
    this.env = env;
  }

  /**
   * The secret from {@code file} if given, else from the environment variable {@code variable}.
   *
   * @param what how to name it in an error, e.g. "git token"
   */
  public Optional<String> read(String what, Path file, String variable) {
    if (file != null) {
      try {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        // A trailing newline from `echo token > file` is never part of the secret.
        return Optional.of(text.strip());
      } catch (IOException e) {
        throw ReleaseException.badInput("cannot read the " + what + " from " + file + " ("
            + e.getClass().getSimpleName() + "); check the path and its permissions");
      }
    }
    String value = variable == null ? null : env.get(variable);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
