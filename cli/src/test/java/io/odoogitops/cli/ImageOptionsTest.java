package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Digest and pinned-image options are parsed once, by picocli's converters, before a command runs: a bad value is
 * bad input (exit 2) with the core's wording and the option's name, whatever else the command line lacks.
 */
class ImageOptionsTest {

  static final String D = "sha256:" + "ab".repeat(32);

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource(delimiter = '|', textBlock = """
      approve              | --digest       | latest       | --digest 'latest' is not an image digest
      hold release         | --digest       | sha256:abc   | --digest 'sha256:abc' is not an image digest
      restore-point take   | --digest       | SHA256:AB    | --digest 'SHA256:AB' is not an image digest
      verify               | --digest       | 17.0         | --digest '17.0' is not an image digest
      dry-run              | --image-digest | sha512:ab    | --image-digest 'sha512:ab' is not an image digest
      gate check           | --digest       | 17.0-latest  | --digest '17.0-latest' is not an image digest
      promote              | --image        | odoo:17.0    | malformed image reference 'odoo:17.0': it has no digest
      promote              | --image        | Odoo@D       | malformed image reference 'Odoo@D'
      fleet plan           | --image        | odoo         | malformed image reference 'odoo': it has no digest
      fleet status         | --image        | odoo@sha256:12 | malformed image reference 'odoo@sha256:12'
      fleet dry-run        | --image        | odoo:17      | malformed image reference 'odoo:17': it has no digest
      """)
  void aBadValueIsBadInputNamingTheOption(String command, String option, String value, String message) {
    String given = value.replace("@D", "@" + D);
    String[] words = command.split(" ");
    String[] args = new String[words.length + 2];
    System.arraycopy(words, 0, args, 0, words.length);
    args[words.length] = option;
    args[words.length + 1] = given;

    PolicyCli run = PolicyCli.run(args);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err()).contains("error: " + message.replace("@D", "@" + D))
        .doesNotContain("Exception").doesNotContain("\tat ");
  }
}
