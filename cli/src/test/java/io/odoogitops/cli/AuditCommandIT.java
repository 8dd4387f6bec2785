package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code odoo-gitops audit} against git daemon: exit 0 on a clean history, exit 1 with the unsanctioned changes first
 * once someone pushed past the gate; the evidence pack escapes hostile commit messages and is deterministic.
 */
class AuditCommandIT extends ProductionRepositoryLifecycle {

  static final String IMAGE = ProductionRepository.IMAGE;
  static final String HOSTILE = "<script>alert('pwned')</script> | **bold** [link](javascript:alert(1)) & \"q\"";

  @Test
  void aCleanHistoryExitsZeroAndPushesPastTheGateExitOneListedFirst() throws Exception {
    promote('1', "p1");
    promote('2', "p2");

    CliRun clean = audit();
    assertThat(clean.exitCode()).as(clean.err()).isZero();
    assertThat(clean.out()).contains("UNSANCTIONED (0)", "SANCTIONED (3)", "id=p2", "id=p1",
        "release-signature NOT_CHECKED", "not checked: no trust root configured",
        "note: times are committer times");

    String planted = repository.push(dir, content -> content + "# approved\n", "promote odoo to production\n\n"
        + "Promotion-Id: planted\nEnvironment: production\nApplication: odoo\nImage-Digest: " + digest('6') + "\n",
        "someone");
    String direct = repository.push(dir, content -> content.replace(digest('2'), digest('5')), HOSTILE + "\n\nbody",
        "<img src=x onerror=alert(1)>");

    CliRun flagged = audit();
    assertThat(flagged.exitCode()).as(flagged.err()).isEqualTo(Main.REFUSED);
    String[] lines = flagged.out().split("\n");
    int unsanctioned = indexOf(lines, "UNSANCTIONED (2)");
    assertThat(lines[unsanctioned + 1]).contains(direct.substring(0, 12), "change");
    assertThat(lines[unsanctioned + 2]).contains("UNSANCTIONED: the image changed but no promotion explains it");
    assertThat(lines[unsanctioned + 3]).contains(planted.substring(0, 12), "id=planted");
    assertThat(lines[unsanctioned + 4]).contains("UNSANCTIONED: trailers do not match the manifest");
    assertThat(indexOf(lines, "SANCTIONED (3)")).isGreaterThan(unsanctioned);

    JsonNode json = new ObjectMapper().readTree(audit("--output", "json").out());
    assertThat(json.path("schemaVersion").asInt()).isEqualTo(1);
    assertThat(json.path("environment").asText()).isEqualTo("production");
    assertThat(json.path("head").asText()).isEqualTo(direct);
    assertThat(json.path("counts").path("changes").asInt()).isEqualTo(5);
    assertThat(json.path("counts").path("unsanctioned").asInt()).isEqualTo(2);
    assertThat(json.path("counts").path("promotions").asInt()).isEqualTo(2);
    assertThat(json.path("unsanctioned").get(0).path("commitId").asText()).isEqualTo(direct);
    assertThat(json.path("unsanctioned").get(0).path("subject").asText()).isEqualTo(HOSTILE);
    assertThat(json.path("unsanctioned").get(0).path("sanctioned").asBoolean()).isFalse();
    assertThat(json.path("unsanctioned").get(1).path("promotionId").asText()).isEqualTo("planted");
    JsonNode p2 = json.path("sanctioned").get(0);
    assertThat(p2.path("promotionId").asText()).isEqualTo("p2");
    assertThat(p2.path("reasons")).isEmpty();
    List<String> checks = new ArrayList<>();
    p2.path("checks").forEach(c -> checks.add(c.path("name").asText() + "=" + c.path("status").asText()));
    assertThat(checks).containsExactly("history=PASSED", "release-signature=NOT_CHECKED", "policy=NOT_CHECKED",
        "promote-from=NOT_APPLICABLE", "dry-run=NOT_APPLICABLE", "restore-point=NOT_APPLICABLE",
        "votes=NOT_APPLICABLE", "freeze=PASSED", "hold=PASSED");
  }

  @Test
  void theEvidencePackEscapesHostileCommitsAndIsDeterministic() throws Exception {
    promote('1', "p1");
    repository.push(dir, content -> content.replace(digest('1'), digest('5')), HOSTILE + "\n\nbody",
        "<img src=x onerror=alert(1)>");
    Path html = dir.resolve("audit.html");
    Path again = dir.resolve("audit-again.html");
    Path markdown = dir.resolve("audit.md");

    CliRun first = audit("--output", "html", "--out", html.toString());
    CliRun second = audit("--output", "html", "--out", again.toString());
    CliRun md = audit("--output", "markdown", "--out", markdown.toString());

    assertThat(first.exitCode()).as(first.err()).isEqualTo(Main.REFUSED);
    assertThat(first.out()).isEmpty();
    assertThat(first.err()).contains("wrote " + html + ": 1 unsanctioned of 3 change(s)");
    String page = Files.readString(html);
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(html));
    assertThat(page).startsWith("<!DOCTYPE html>").contains("<style>")
        .doesNotContain("<script", "<img", "<a ", "<link", "onerror=alert(1)>")
        .contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; | **bold** [link](javascript:alert(1))"
            + " &amp; &quot;q&quot;")
        // JGit already drops angle brackets from names; the e-mail's are escaped here.
        .contains("img src=x onerror=alert(1) &lt;someone@example.com&gt;");
    assertThat(page.indexOf("Unsanctioned changes (1)")).isLessThan(page.indexOf("Promotions and rollbacks (2)"));
    assertThat(page).contains("<tr><th>Head commit</th>", "<tr><th>Unsanctioned</th><td>1</td></tr>",
        "<tr><th>Promotions</th><td>1</td></tr>");

    assertThat(md.exitCode()).isEqualTo(Main.REFUSED);
    String text = Files.readString(markdown);
    assertThat(text).startsWith("# Release audit: production")
        .contains("&lt;script&gt;alert('pwned')&lt;/script&gt; \\| \\*\\*bold\\*\\* \\[link\\](javascript:alert(1))"
            + " &amp; \"q\"")
        .doesNotContain("<script", "<img");
  }

  @Test
  void sinceLimitsThePeriodAndABadDateIsBadInput() throws Exception {
    promote('1', "p1");

    CliRun future = audit("--since", "2999-01-01", "--output", "json");
    assertThat(future.exitCode()).as(future.err() + future.out()).isZero();
    JsonNode json = new ObjectMapper().readTree(future.out());
    assertThat(json.path("counts").path("changes").asInt()).isZero();
    assertThat(json.path("since").asText()).isEqualTo("2999-01-01T00:00:00Z");
    assertThat(json.path("unsanctioned")).isEmpty();

    CliRun all = audit("--since", "2000-01-01T00:00:00Z", "--output", "json");
    assertThat(new ObjectMapper().readTree(all.out()).path("counts").path("changes").asInt()).isEqualTo(2);

    CliRun bad = audit("--since", "last quarter");
    assertThat(bad.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(bad.err()).contains("--since 'last quarter' is not a point in time");
    CliRun noReports = audit("--reports", dir.resolve("missing").toString());
    assertThat(noReports.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(noReports.err()).contains("is not a directory");
  }

  @Test
  void anOversizeCommitIsListedAsUnsanctionedInsteadOfStoppingTheAudit() throws Exception {
    promote('1', "p1");
    String huge = repository.push(dir, content -> content + "# pasted log\n", "pasted log\n\n"
        + "x".repeat(300 << 10), "someone");
    promote('2', "p2");

    CliRun run = audit("--max-commit-bytes", String.valueOf(64 << 10), "--output", "json");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(Main.REFUSED);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("unsanctioned")).hasSize(1);
    JsonNode unread = json.path("unsanctioned").get(0);
    assertThat(unread.path("commitId").asText()).isEqualTo(huge);
    assertThat(unread.path("kind").asText()).isEqualTo("unread");
    assertThat(unread.path("reasons").get(0).asText()).contains("over the limit odoo-gitops reads per commit");
    assertThat(json.path("counts").path("promotions").asInt()).isEqualTo(2);
  }

  private void promote(char digit, String id) {
    CliRun run = CliRun.of("promote", "--repo", url, "--cache-dir", dir.resolve("cache").toString(), "--env",
        "production", "--app", "odoo", "--initiator", "ci", "--image", IMAGE + "@" + digest(digit),
        "--promotion-id", id);
    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  private CliRun audit(String... more) {
    List<String> all = new ArrayList<>(List.of("audit", "--repo", url, "--cache-dir", dir.resolve("cache").toString(),
        "--env", "production"));
    all.addAll(List.of(more));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static int indexOf(String[] lines, String text) {
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].equals(text)) {
        return i;
      }
    }
    throw new AssertionError("no line '" + text + "' in:\n" + String.join("\n", lines));
  }

  private static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }
}
