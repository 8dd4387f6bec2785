package io.odoogitops.cli;

import io.odoogitops.InputFiles;
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
      // A trailing newline from `echo token > file` is never part of the secret.
      return Optional.of(InputFiles.readUtf8(file, what + " file", InputFiles.SECRET_LIMIT).strip());
    }
    String value = variable == null ? null : env.get(variable);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
