package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleet plan} on a local configuration under review. */
class FleetCommandTest {

  private static final String IMAGE = "registry.example.com/acme/odoo@sha256:" + "ab".repeat(32);
  private static final String CONFIG = """
      timeZone: Europe/Brussels
      applications:
        odoo: { image: registry.example.com/acme/odoo }
      groups:
        release-managers: [carol, dave]
      environments:
        acme: { path: envs/acme, layout: kustomize, labels: { tier: canary } }
        globex:
          path: envs/globex
          layout: kustomize
          labels: { tier: gold }
          freeze:
            - { name: audit, from: 2026-12-01T00:00, to: 2026-12-03T08:00, timeZone: America/New_York }
        initech:
          path: envs/initech
          layout: kustomize
          labels: { tier: gold }
          gate: { approvals: 1, approvers: [group:release-managers] }
      fleets:
        saas:
          waves:
            - { name: canary, canary: true, environments: [acme], soak: 2h }
            - { name: gold, selector: { matchLabels: { tier: gold } }, maxParallel: 2 }
      """;

  @TempDir Path dir;

  private Path config() throws Exception {
    return Files.writeString(dir.resolve("odoo-gitops.yaml"), CONFIG);
  }

  @Test
  void planPrintsWavesFrozenTenantsInTheirZoneNeedsAndFinish() throws Exception {
    CliRun run = CliRun.of("fleet", "plan", "--config", config().toString(), "--fleet", "saas", "--image", IMAGE,
        "--at", "2026-12-02T10:00");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("fleet saas: odoo@sha256:abababababab, planned at 2026-12-02 10:00 CET",
        "wave 1 canary (canary): maxParallel 1, soak 2h", "wave 2 gold: maxParallel 2, soak none",
        "frozen until 2026-12-03 08:00 EST (audit)", "initech needs approvals: 0 of 1 required approval(s)",
        "finish: 2026-12-03 14:00 CET", "not read: promotions and verifications, halts, holds, votes");
  }

  @Test
  void planAsJsonGivesEachTenantsTimesWithItsOffset() throws Exception {
    CliRun run = CliRun.of("fleet", "plan", "--config", config().toString(), "--fleet", "saas", "--image", IMAGE,
        "--at", "2026-12-02T10:00", "--output", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    JsonNode globex = json.path("waves").get(1).path("tenants").get(0);
    assertThat(globex.path("tenant").asText()).isEqualTo("globex");
    assertThat(globex.path("state").asText()).isEqualTo("frozen");
    assertThat(globex.path("zone").asText()).isEqualTo("America/New_York");
    assertThat(globex.path("start").asText()).isEqualTo("2026-12-03T08:00:00-05:00");
    assertThat(json.path("finish").asText()).isEqualTo("2026-12-03T14:00:00+01:00");
  }

  @Test
  void aTagWithoutDigestAndAnUnknownFleetAreBadInput() throws Exception {
    CliRun tag = CliRun.of("fleet", "plan", "--config", config().toString(), "--fleet", "saas", "--image",
        "registry.example.com/acme/odoo:17.0");
    assertThat(tag.exitCode()).isEqualTo(2);
    assertThat(tag.err()).contains("it has no digest");

    CliRun other = CliRun.of("fleet", "plan", "--config", config().toString(), "--fleet", "saas", "--image",
        "registry.example.com/other/odoo@sha256:" + "ab".repeat(32));
    assertThat(other.exitCode()).isEqualTo(2);
    assertThat(other.err()).contains("is not from the repository of application 'odoo'");

    CliRun unknown = CliRun.of("fleet", "plan", "--config", config().toString(), "--fleet", "nope", "--image",
        IMAGE);
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown fleet 'nope'", "defines saas").doesNotContain("\tat ");
  }
}
