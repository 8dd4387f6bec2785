package io.odoogitops.cli;

import io.odoogitops.InputFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * One secret, taken the one way the CLI takes secrets (docs/cli.md, "Secrets"): from a file, {@code --NAME-file PATH},
 * or from a named environment variable, {@code --NAME-env VAR} (with a default name); the file wins. Never its value on
 * the command line: command lines end up in shell history, process listings and CI logs, so {@code --NAME VALUE} is
 * declared, hidden, only to be refused with the convention.
 *
 * <p>A mixin whose flags are named by the command that mixes it in, so every secret of every command is one field:
 * {@code @Mixin SecretOptions token = new SecretOptions("--token", "cluster token", "KUBE_TOKEN");}. Its value is
 * read when the command runs, from the run's environment ({@link Main} hands it over).
 */
public final class SecretOptions {

  private final String flag;
  private final String what;
  private final String defaultVariable;
  private Map<String, String> environment = System.getenv();
  private OptionSpec file;
  private OptionSpec variable;

  /**
   * @param flag the secret's flag without suffix, e.g. {@code --git-token}
   * @param what how to name the secret in help and errors, e.g. "git token"
   * @param defaultVariable the variable read when {@code --NAME-env} names none
   */
  SecretOptions(String flag, String what, String defaultVariable) {
    this.flag = flag;
    this.what = what;
    this.defaultVariable = defaultVariable;
  }

  /** picocli hands over this mixin's own spec while building it; the flags are declared on it then. */
  @Spec
  void declare(CommandSpec mixin) {
    file = OptionSpec.builder(flag + "-file").paramLabel("FILE").type(Path.class)
        .description("File holding the " + what + " (wins over " + flag + "-env).").build();
    variable = OptionSpec.builder(flag + "-env").paramLabel("VAR").type(String.class).defaultValue(defaultVariable)
        .description("Environment variable holding the " + what + " (default: ${DEFAULT-VALUE}).").build();
    mixin.addOption(file).addOption(variable).addOption(OptionSpec.builder(flag).hidden(true).arity("0..1")
        .type(String.class).converters(value -> {
          throw new OnTheCommandLine(flag + " would put the " + what + " on the command line, where shell history,"
              + " process listings and CI logs keep it; put it in a file and pass " + flag + "-file FILE, or in an"
              + " environment variable and pass " + flag + "-env VAR (see 'Secrets' in docs/cli.md)");
        }).build());
  }

  /** The run's environment variables, where {@code --NAME-env} is looked up. */
  void environment(Map<String, String> variables) {
    this.environment = variables;
  }

  /** The secret from {@code --NAME-file} if given, else from the variable {@code --NAME-env} names, if set. */
  public Optional<String> value() {
    Path path = file.getValue();
    if (path != null) {
      // A trailing newline from `echo token > file` is never part of the secret.
      return Optional.of(InputFiles.readUtf8(path, what + " file", InputFiles.SECRET_LIMIT).strip());
    }
    String name = variable();
    String value = name == null ? null : environment.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** The variable read when no file is given. */
  String variable() {
    return variable.getValue();
  }

  /** How to give the secret, for an error saying it is missing. */
  String howToGive() {
    return "put it in a file named by " + flag + "-file or in the environment variable " + variable();
  }

  /** A secret's value given on the command line; never carries the value. */
  static final class OnTheCommandLine extends TypeConversionException {
    private static final long serialVersionUID = 1L;

    OnTheCommandLine(String message) {
      super(message);
    }
  }
}
