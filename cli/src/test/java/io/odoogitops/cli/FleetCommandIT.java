package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.fleet.FleetFixture;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.testing.GitDaemon;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleet status} and {@code fleet plan} against a fleet history served by git daemon on loopback. */
class FleetCommandIT {

  private static final String AT = "2026-12-05T12:00:00Z";

  @TempDir Path dir;
  GitDaemon daemon;
  String url;

  @BeforeEach
  void start() throws Exception {
    daemon = FleetFixture.serve(dir);
    url = daemon.url("gitops.git");
    try (GitOpsRepository writer = GitOpsRepository.open(new GitOpsRemote(url, "main", GitCredentials.none(),
        dir.resolve("writer")))) {
      FleetFixture.writeHistory(PromotionEngine.builder(writer).build());
    }
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  private String[] args(String... more) {
    String[] base = {"fleet", more[0], "--repo", url, "--cache-dir", dir.resolve("cache").toString(), "--fleet",
        "saas", "--at", AT};
    String[] all = new String[base.length + more.length - 1];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 1, all, base.length, more.length - 1);
    return all;
  }

  @Test
  void statusShowsEachTenantsStateForTheFleetsNewestDigest() {
    CliRun run = CliRun.of(args("status"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    String digest = FleetFixture.image(1).digest().value();
    assertThat(run.out()).contains("fleet saas: odoo@" + digest.substring(0, 19),
        "1 verified, 1 rolled back, 1 superseded, 1 waiting, 1 frozen");
    // Without a cluster block, a promotion counts as verified when it lands.
    assertThat(line(run.out(), "acme")).contains("canary", "verified 2", "(Fleet: saas, Wave: canary)", "yes");
    assertThat(line(run.out(), "globex")).contains("gold", "rolled back 2", "sha256:000000000000");
    assertThat(line(run.out(), "initech")).contains("superseded");
    assertThat(line(run.out(), "umbrella")).contains("frozen until 2026-12-10 08:00 EST (year-end audit)");
    assertThat(line(run.out(), "hooli")).contains("silver", "waiting");
  }

  @Test
  void statusAsJsonNamesCommitsAndTrailers() throws Exception {
    CliRun run = CliRun.of(args("status", "--output", "json", "--image",
        FleetFixture.REPO + "@" + FleetFixture.image(1).digest()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("fleet").asText()).isEqualTo("saas");
    JsonNode acme = json.path("tenants").get(0);
    assertThat(acme.path("tenant").asText()).isEqualTo("acme");
    assertThat(acme.path("state").asText()).isEqualTo("verified");
    assertThat(acme.path("promotion").path("wave").asText()).isEqualTo("canary");
    assertThat(acme.path("verified").asBoolean()).isTrue();
    JsonNode globex = json.path("tenants").get(1);
    assertThat(globex.path("state").asText()).isEqualTo("rolled back");
    assertThat(globex.path("rollback").path("commit").asText()).hasSize(40);
    assertThat(json.path("tenants").get(3).path("frozenUntil").asText()).isEqualTo("2026-12-10T08:00:00-05:00");
  }

  @Test
  void aDigestNoTenantHasIsWaitingEverywhereButWhereFrozen() {
    CliRun run = CliRun.of(args("status", "--image", FleetFixture.REPO + "@" + FleetFixture.image(9).digest()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("4 waiting, 1 frozen");
  }

  @Test
  void planFromTheRepositoryLeavesTenantsRunningTheDigestAlone() {
    CliRun run = CliRun.of(args("plan", "--image", FleetFixture.REPO + "@" + FleetFixture.image(1).digest()));

    assertThat(run.exitCode()).as(run.err()).isZero();
    // Without a cluster block the fleet's promotion counted as verified when it landed.
    assertThat(line(run.out(), "acme")).contains("verified 2", "done");
    assertThat(line(run.out(), "umbrella")).contains("frozen until 2026-12-10 08:00 EST", "2026-12-10 08:00 EST");
    assertThat(run.out()).contains("wave 2 gold: maxParallel 2, soak 4h", "finish: 2026-12-10 14:00 CET",
        "verified by ", "soak over at ");
  }

  @Test
  void anUnknownFleetIsBadInputNamingTheDefinedOnes() {
    CliRun run = CliRun.of("fleet", "status", "--repo", url, "--cache-dir", dir.resolve("cache").toString(),
        "--fleet", "other");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("unknown fleet 'other'", "defines saas").doesNotContain("\tat ");
  }

  private static String line(String text, String tenant) {
    return text.lines().filter(l -> l.strip().startsWith(tenant + " ")).findFirst().orElse("(no line for " + tenant
        + ")");
  }
}
