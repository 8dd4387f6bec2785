package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §4 on the command line, against git daemon: history flags what no promotion explains (text and JSON),
 * rollback ignores it, and promote and rollback have no {@code --at} (their clock is the real one).
 */
class HistoryCheckCommandIT extends ProductionRepositoryLifecycle {

  static final String IMAGE = ProductionRepository.IMAGE;
  static final String KUSTOMIZATION = ProductionRepository.KUSTOMIZATION;

  @Test
  void historyFlagsPlantedTrailersAndDirectPushesWhichRollbackIgnores() throws Exception {
    assertThat(cli("promote", "--app", "odoo", "--initiator", "ci", "--image", IMAGE + "@" + digest('1'),
        "--promotion-id", "p1").exitCode()).isZero();
    assertThat(cli("promote", "--app", "odoo", "--initiator", "ci", "--image", IMAGE + "@" + digest('2'),
        "--promotion-id", "p2").exitCode()).isZero();
    String planted = push(content -> content + "# approved\n", "promote odoo to production\n\nPromotion-Id: planted\n"
        + "Environment: production\nApplication: odoo\nImage: " + IMAGE + "@" + digest('6') + "\nImage-Digest: "
        + digest('6') + "\nApproved-By: dave\nApproved-By: erin\n");
    String direct = push(content -> content.replace(digest('2'), digest('5')), "quick fix");

    CliRun history = cli("history");
    assertThat(history.exitCode()).as(history.err()).isZero();
    String[] lines = history.out().split("\n");
    assertThat(lines[0]).contains(direct.substring(0, 10), "change", "sha256:555555555555",
        "pushed by someone <someone@example.com>");
    assertThat(lines[1]).contains("UNSANCTIONED: " + "the image changed but no promotion explains it");
    assertThat(lines[2]).contains(planted.substring(0, 10), "id=planted");
    assertThat(lines[3]).contains("UNSANCTIONED: trailers do not match the manifest");
    assertThat(lines[4]).contains("id=p2").doesNotContain("UNSANCTIONED");

    JsonNode json = new ObjectMapper().readTree(cli("history", "--output", "json").out());
    assertThat(json.get(0).path("kind").asText()).isEqualTo("change");
    assertThat(json.get(1).path("promotionId").asText()).isEqualTo("planted");
    assertThat(json.get(1).path("sanctioned").asBoolean()).isFalse();
    assertThat(json.get(1).path("problem").asText()).startsWith("trailers do not match the manifest");
    assertThat(json.get(2).path("sanctioned").asBoolean()).isTrue();
    assertThat(json.get(2).path("problem").isNull()).isTrue();

    // The last sanctioned state is p2; what runs (the direct push) is not it, so rollback restores p2, never 6666.
    CliRun rollback = cli("rollback", "--app", "odoo", "--initiator", "oncall", "--reason", "undo the hand edit");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(rollback.out()).contains("to sha256:222222222222");
  }

  @Test
  void promoteAndRollbackHaveNoAtWhileTheWhatIfCommandsMarkTheirAnswerHypothetical() throws Exception {
    int before = commits();
    CliRun promote = cli("promote", "--app", "odoo", "--initiator", "ci", "--image", IMAGE + "@" + digest('1'),
        "--at", "2026-12-03T10:00:00Z");
    assertThat(promote.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(promote.err()).contains("Unknown options: '--at'");
    CliRun rollback = cli("rollback", "--app", "odoo", "--initiator", "oncall", "--at", "2026-12-03T10:00:00Z");
    assertThat(rollback.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(rollback.err()).contains("Unknown options: '--at'");
    assertThat(commits()).isEqualTo(before);

    CliRun check = CliRun.of("gate", "check", "--repo", url, "--cache-dir", dir.resolve("cache").toString(), "--env",
        "production", "--app", "odoo", "--digest", digest('1'), "--initiator", "ci", "--at", "2026-12-03T10:00:00Z");
    assertThat(check.exitCode()).as(check.err()).isZero();
    assertThat(check.out()).contains("at 2026-12-03T10:00:00Z (hypothetical: --at");
    CliRun now = CliRun.of("gate", "check", "--repo", url, "--cache-dir", dir.resolve("cache").toString(), "--env",
        "production", "--app", "odoo", "--digest", digest('1'), "--initiator", "ci", "--output", "json");
    assertThat(new ObjectMapper().readTree(now.out()).path("hypothetical").asBoolean()).isFalse();
    CliRun status = CliRun.of("freeze", "status", "--repo", url, "--cache-dir", dir.resolve("cache").toString(),
        "--at", "2026-12-03T10:00:00Z", "--output", "json");
    assertThat(new ObjectMapper().readTree(status.out()).get(0).path("hypothetical").asBoolean()).isTrue();
  }

  private CliRun cli(String command, String... more) {
    List<String> all = new ArrayList<>(List.of(command, "--repo", url, "--cache-dir", dir.resolve("cache").toString(),
        "--env", "production"));
    all.addAll(List.of(more));
    return CliRun.of(all.toArray(String[]::new));
  }

  private String push(java.util.function.UnaryOperator<String> edit, String message) throws Exception {
    return repository.push(dir, edit, message, "someone");
  }

  private int commits() throws Exception {
    try (Git git = Git.open(repository.served.resolve("gitops.git").toFile())) {
      int n = 0;
      for (var ignored : git.log().call()) {
        n++;
      }
      return n;
    }
  }

  private static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }
}
