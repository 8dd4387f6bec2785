package io.odoogitops.cli;

import io.odoogitops.ImageDigest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.dryrun.verdict.Judgement;
import io.odoogitops.dryrun.verdict.RollbackSafety;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.policy.Verdict;
import io.odoogitops.policy.VoteKeys;
import io.odoogitops.testing.GitDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet plan} of a fleet half rolled out, against git daemon on loopback: the canary promoted and verified by
 * {@code fleet promote} and soaking, a hold on the digest in one tenant (a rollback set it), carol's vote for another;
 * then a halt. The plan reads all of it the way {@code fleet status} does.
 */
class FleetPlanCommandIT {

  private static final String REPO = "registry.example.com/acme/odoo";
  private static final String DIGEST = "sha256:" + "7".repeat(64);
  private static final String OLD = "sha256:" + "1".repeat(64);
  private static final String IMAGE = REPO + "@" + DIGEST;
  private static final String CONFIG = """
    timeZone: Europe/Brussels
    applications:
      odoo: { image: registry.example.com/acme/odoo }
    groups:
      release-managers: [carol, dave]
    allowedSigners: security/allowed_signers
    environments:
      acme: { path: envs/acme, layout: kustomize, labels: { tier: canary } }
      globex:
        path: envs/globex
        layout: kustomize
        labels: { tier: gold }
        gate: { approvals: 2, approvers: [group:release-managers] }
      initech: { path: envs/initech, layout: kustomize, labels: { tier: gold } }
      hooli: { path: envs/hooli, layout: kustomize, labels: { tier: gold } }
    fleets:
      saas:
        waves:
          - { name: canary, canary: true, environments: [acme], soak: 2h }
          - { name: gold, selector: { matchLabels: { tier: gold } }, maxParallel: 2, gate: [approvals] }
    """;

  @TempDir Path dir;
  GitDaemon daemon;
  String url;
  VoteKeys keys;

  @BeforeEach
  void start() throws Exception {
    keys = VoteKeys.generate(dir, "carol", "dave");
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", CONFIG);
    files.put("security/allowed_signers", keys.allowedSigners("carol", "dave"));
    for (String tenant : List.of("acme", "globex", "initech", "hooli")) {
      files.put("envs/" + tenant + "/kustomization.yaml", "images:\n  - name: " + REPO + "\n    digest: " + OLD
          + "\n");
    }
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", files, "initial");
    daemon = GitDaemon.start(served);
    url = daemon.url("gitops.git");
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--repo", url, "--cache-dir", dir.resolve("cache").toString()));
    CliRun run = CliRun.of(all.toArray(String[]::new));
    assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
    return run;
  }

  private void halfRollOut() {
    run("fleet", "promote", "--fleet", "saas", "--image", IMAGE, "--initiator", "alice", "--reason", "nightly");
    // A rollback of the digest in initech holds it there until someone releases the hold.
    run("promote", "--env", "initech", "--app", "odoo", "--image", IMAGE, "--initiator", "alice");
    run("rollback", "--env", "initech", "--app", "odoo", "--initiator", "bob", "--reason", "reports broken");
    run("approve", "--env", "globex", "--app", "odoo", "--digest", DIGEST, "--key", keys.key("carol").toString(),
        "--push");
  }

  @Test
  void thePlanOfAHalfRolledOutFleetShowsExactlyWhereItStands() throws Exception {
    halfRollOut();
    Path reports = Files.createDirectories(dir.resolve("reports/hooli"));
    Instant now = Instant.now();
    Files.write(reports.resolve("dry-run.json"), JsonReport.bytes(new DryRunReport(DryRunReport.SCHEMA_VERSION,
        "run1", REPO, new ImageDigest(DIGEST), now, now, "db:5432/hooli", null, null, null, List.of(), 0, List.of(),
        new Judgement(new ImageDigest(DIGEST), Verdict.WARN, RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE, List.of(), List.of()),
        null)));

    CliRun json = run("fleet", "plan", "--fleet", "saas", "--image", IMAGE, "--output", "json",
        "--dry-run-reports", dir.resolve("reports").toString());
    JsonNode plan = new ObjectMapper().readTree(json.out());
    assertThat(plan.path("source").asText()).isEqualTo("repository");
    assertThat(plan.path("notRead")).isEmpty();
    assertThat(plan.path("halt").isNull()).isTrue();

    JsonNode canary = plan.path("waves").get(0);
    JsonNode acme = canary.path("tenants").get(0);
    assertThat(acme.path("state").asText()).isEqualTo("soaking");
    assertThat(acme.path("clustered").asBoolean()).isFalse();
    assertThat(acme.path("start").isNull()).isTrue();
    Instant verified = OffsetDateTime.parse(acme.path("verifiedAt").asText()).toInstant();
    assertThat(verified).isBetween(now.minus(Duration.ofMinutes(5)), now);
    // The running soak ends two hours after the canary's verification, and the next wave starts then.
    Instant soakEnds = OffsetDateTime.parse(canary.path("soakEnds").asText()).toInstant();
    assertThat(soakEnds).isEqualTo(verified.plus(Duration.ofHours(2)));
    JsonNode gold = plan.path("waves").get(1);
    assertThat(OffsetDateTime.parse(gold.path("start").asText()).toInstant()).isEqualTo(soakEnds);

    JsonNode globex = tenant(gold, "globex");
    assertThat(globex.path("state").asText()).isEqualTo("open");
    assertThat(globex.path("approvals").path("required").asInt()).isEqualTo(2);
    assertThat(globex.path("approvals").path("given").asInt()).isEqualTo(1);
    assertThat(globex.path("approvals").path("by").get(0).asText()).isEqualTo("carol");
    assertThat(globex.path("needs").get(0).asText()).startsWith("approvals: 1 of 2 required approval(s)");
    assertThat(globex.path("dryRun").asText()).isEqualTo("missing");
    assertThat(globex.path("restorePoint").asText()).isEqualTo("not required");

    JsonNode initech = tenant(gold, "initech");
    assertThat(initech.path("state").asText()).isEqualTo("rolled back");
    assertThat(initech.path("hold").path("digest").asText()).isEqualTo(DIGEST);
    assertThat(initech.path("hold").path("releaseCommand").asText()).contains("hold release", "--env initech");
    assertThat(initech.path("needs").toString()).contains("hold: ");

    JsonNode hooli = tenant(gold, "hooli");
    assertThat(hooli.path("state").asText()).isEqualTo("open");
    assertThat(hooli.path("dryRun").asText()).isEqualTo("WARN");
    assertThat(hooli.path("needs")).isEmpty();
    assertThat(OffsetDateTime.parse(hooli.path("start").asText()).toInstant()).isEqualTo(soakEnds);
    assertThat(hooli.path("end").asText()).isEqualTo(hooli.path("start").asText());

    CliRun text = run("fleet", "plan", "--fleet", "saas", "--image", IMAGE);
    assertThat(text.out()).contains("from the repository", "not read: dry-run reports",
        "1 soaking, 2 open, 1 rolled back", "waiting for 1 approvals, 1 hold, 1 resume");
    assertThat(line(text.out(), "acme")).contains("soaking, verified 20", "done");
    assertThat(text.out()).contains("verified by ", ", soak until ");
    assertThat(line(text.out(), "globex")).contains("open", "1 of 2 (carol)", "not read", "approvals");
    assertThat(line(text.out(), "initech")).contains("rolled back, held", "hold");
    assertThat(text.out()).contains("initech needs hold: ");
  }

  @Test
  void aHaltedRolloutSaysWhyAndThatFleetResumeIsNeeded() throws Exception {
    halfRollOut();
    run("fleet", "rollback", "--fleet", "saas", "--image", IMAGE, "--initiator", "alice", "--reason",
        "invoices print blank");

    CliRun text = run("fleet", "plan", "--fleet", "saas", "--image", IMAGE);
    assertThat(text.out()).contains("HALTED", "by alice", "invoices print blank",
        "nothing is promoted until 'odoo-gitops fleet resume'");
    JsonNode plan = new ObjectMapper().readTree(run("fleet", "plan", "--fleet", "saas", "--image", IMAGE,
        "--output", "json").out());
    assertThat(plan.path("halt").path("reason").asText()).contains("invoices print blank");
    assertThat(tenant(plan.path("waves").get(0), "acme").path("state").asText()).isEqualTo("rolled back");
  }

  @Test
  void aPlanFromAConfigurationFileSaysWhatItDidNotRead() throws Exception {
    Path config = Files.writeString(dir.resolve("odoo-gitops.yaml"), CONFIG);
    Files.createDirectories(dir.resolve("security"));
    Files.writeString(dir.resolve("security/allowed_signers"), keys.allowedSigners("carol", "dave"));
    CliRun run = CliRun.of("fleet", "plan", "--config", config.toString(), "--fleet", "saas", "--image", IMAGE,
        "--output", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode plan = new ObjectMapper().readTree(run.out());
    assertThat(plan.path("source").asText()).isEqualTo("configuration");
    assertThat(plan.path("notRead").toString()).contains("votes", "halts", "holds");
    assertThat(tenant(plan.path("waves").get(1), "globex").path("approvals").path("given").isNull()).isTrue();
  }

  private static JsonNode tenant(JsonNode wave, String name) {
    for (JsonNode t : wave.path("tenants")) {
      if (t.path("tenant").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no tenant " + name + " in " + wave);
  }

  private static String line(String text, String tenant) {
    return text.lines().filter(l -> l.strip().startsWith(tenant + " ")).findFirst().orElse("(no line for " + tenant
        + ")");
  }
}
