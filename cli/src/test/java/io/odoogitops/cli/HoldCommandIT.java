package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Holds on the command line, against git daemon: rollback says what it holds, history and the gate show it, promote
 * is refused (exit 1) until {@code hold release} lifts it, and the hold commands' exit codes and output.
 */
class HoldCommandIT extends ProductionRepositoryLifecycle {

  static final String IMAGE = ProductionRepository.IMAGE;

  @Test
  void aRolledBackDigestIsHeldUntilReleasedOnTheCommandLine() throws Exception {
    assertThat(cli("promote", "--app", "odoo", "--initiator", "ci", "--image", IMAGE + "@" + digest('1')).exitCode())
        .isZero();
    assertThat(cli("promote", "--app", "odoo", "--initiator", "ci", "--image", IMAGE + "@" + digest('2')).exitCode())
        .isZero();
    CliRun rollback = cli("rollback", "--app", "odoo", "--initiator", "oncall", "--reason", "500s after 2");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(rollback.out()).contains("hold: holds " + digest('2') + " until released",
        "odoo-gitops hold release --env production --app odoo --digest " + digest('2'));

    CliRun history = cli("history");
    assertThat(history.exitCode()).as(history.err()).isZero();
    assertThat(history.out().split("\n")[1]).contains("holds " + digest('2') + " until released");
    JsonNode entries = new ObjectMapper().readTree(cli("history", "--output", "json").out());
    assertThat(entries.get(0).path("kind").asText()).isEqualTo("rollback");
    assertThat(entries.get(0).path("hold").asText()).isEqualTo("holds " + digest('2') + " until released");
    assertThat(entries.get(1).has("hold")).isFalse();

    CliRun again = cli("promote", "--app", "odoo", "--initiator", "ci", "--image", IMAGE + "@" + digest('2'));
    assertThat(again.exitCode()).isEqualTo(Main.REFUSED);
    assertThat(again.err()).contains("hold: " + digest('2') + " is held: rollback commit",
        "odoo-gitops hold release --env production --app odoo --digest " + digest('2'));
    CliRun gate = CliRun.of("gate", "check", "--repo", url, "--cache-dir", dir.resolve("cache").toString(), "--env",
        "production", "--app", "odoo", "--digest", digest('2'), "--initiator", "ci");
    assertThat(gate.exitCode()).isEqualTo(Main.REFUSED);
    assertThat(gate.out()).containsPattern("FAIL +hold +" + digest('2') + " is held");

    CliRun list = cli("hold", "list");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains("odoo in production: " + digest('2') + " held since", "(oncall (claimed))");
    JsonNode listed = new ObjectMapper().readTree(cli("hold", "list", "--app", "odoo", "--output", "json").out());
    assertThat(listed.path("holds").get(0).path("digest").asText()).isEqualTo(digest('2'));

    CliRun noReason = cli("hold", "release", "--app", "odoo", "--digest", digest('2'), "--initiator", "lead");
    assertThat(noReason.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(noReason.err()).contains("--reason is required");
    CliRun notHeld = cli("hold", "release", "--app", "odoo", "--digest", digest('1'), "--reason", "x");
    assertThat(notHeld.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(notHeld.err()).contains("no hold on " + digest('1'));

    CliRun release = cli("hold", "release", "--app", "odoo", "--digest", digest('2'), "--initiator", "lead",
        "--reason", "the 500s came from the proxy", "--release-id", "r1");
    assertThat(release.exitCode()).as(release.err()).isZero();
    assertThat(release.out()).contains("released the hold on " + digest('2'), "release id r1");
    CliRun retry = cli("hold", "release", "--app", "odoo", "--digest", digest('2'), "--initiator", "lead",
        "--reason", "the 500s came from the proxy", "--release-id", "r1", "--output", "json");
    assertThat(retry.exitCode()).as(retry.err()).isZero();
    assertThat(new ObjectMapper().readTree(retry.out()).path("outcome").asText()).isEqualTo("ALREADY_LANDED");

    assertThat(cli("hold", "list").out()).isEqualTo("no holds in production\n");
    assertThat(cli("history").out().split("\n")[1]).contains("held " + digest('2') + ", released by commit",
        "(lead (claimed))");
    CliRun promoted = cli("promote", "--app", "odoo", "--initiator", "ci", "--image", IMAGE + "@" + digest('2'));
    assertThat(promoted.exitCode()).as(promoted.err()).isZero();
  }

  @Test
  void holdWithoutASubcommandIsBadInput() {
    CliRun run = CliRun.of("hold");
    assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err()).contains("name a subcommand: release or list");
  }

  private CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    int at = args[0].equals("hold") ? 2 : 1;
    all.addAll(at, List.of("--repo", url, "--cache-dir", dir.resolve("cache").toString(), "--env", "production"));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }
}
