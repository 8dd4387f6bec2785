package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.signing.SshKeygen;
import io.odoogitops.testing.GitDaemon;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet restore points end to end: a 2-wave fleet whose second wave requires signed restore points, real dumps of the
 * embedded PostgreSQL, a real SSH key and git daemon on loopback. Without points the rollout halts at wave 2 naming
 * the command to run; {@code fleet restore-point take} and {@code fleet resume --restore-points} complete it, and
 * every tenant's promotion commit holds its evidence and signature, which {@code ssh-keygen -Y verify} accepts.
 */
@Requires({Tool.PG_DUMP, Tool.SSH_KEYGEN})
class FleetRestorePointCommandIT {

  static final String IMAGE = "registry.example.com/acme/odoo";
  static final String DIGEST = "sha256:" + "1a2b3c4d5e6f".repeat(5) + "7890";
  static final List<String> WAVE_2 = List.of("globex", "initech");

  @TempDir Path dir;
  GitDaemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  @Test
  void wave2HaltsWithoutPointsAndCompletesWithTheFleetsPointsCommittedAndSigned() throws Exception {
    Path key = SshKeygen.generate(Files.createDirectories(dir.resolve("keys")), "ci", "ed25519", null, null);
    OdooSourceDatabase db = OdooSourceDatabase.shared();
    Files.createDirectories(dir.resolve("dumps"));
    String tenant = """
            path: envs/%s
            layout: kustomize
            labels: { tier: gold }
            restorePoint: required
            gate: { restorePointSigners: [ci-backup] }
            restore:
              dump:
                location: %s
                database: { url: "jdbc:postgresql://localhost:%d/%s", user: %s, passwordEnv: PROD_PG }
        """;
    StringBuilder config = new StringBuilder("""
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        allowedSigners:
          ci-backup: "%s"
        environments:
          acme: { path: envs/acme, layout: kustomize, labels: { tier: canary } }
        """.formatted(SshKeygen.publicKey(key)));
    for (String name : WAVE_2) {
      config.append("  ").append(name).append(":\n").append(tenant.formatted(name, dir.resolve("dumps"), db.port(),
          OdooSourceDatabase.SMALL_SOURCE, OdooSourceDatabase.USER));
    }
    config.append("""
        fleets:
          saas:
            waves:
              - { name: canary, canary: true, environments: [acme] }
              - { name: gold, selector: { matchLabels: { tier: gold } }, maxParallel: 2 }
        """);
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", config.toString());
    for (String name : List.of("acme", "globex", "initech")) {
      files.put("envs/" + name + "/kustomization.yaml", "images:\n  - name: " + IMAGE + "\n    digest: sha256:"
          + "0".repeat(64) + "\n");
    }
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", files, "initial");
    daemon = GitDaemon.start(served);
    String url = daemon.url("gitops.git");
    Path points = dir.resolve("points");

    // Before the rollout starts, the current wave is the canary, which asks for no point.
    CliRun early = take(url, points, key, "--output", "json");
    assertThat(early.exitCode()).as(early.err()).isZero();
    JsonNode earlyJson = new ObjectMapper().readTree(early.out());
    assertThat(earlyJson.path("wave").asText()).isEqualTo("canary");
    assertThat(earlyJson.path("tenants").get(0).path("status").asText()).isEqualTo("skipped");
    assertThat(earlyJson.path("tenants").get(0).path("reason").asText()).contains("restorePoint: off");

    CliRun halted = fleet(url, "promote", "--reason", "nightly");
    assertThat(halted.exitCode()).as(halted.err()).isEqualTo(Main.REFUSED);
    assertThat(halted.out()).contains("promoted acme (canary)", "- halted:", "restore-point: no restore point",
        "'odoo-gitops fleet restore-point take --fleet saas --digest " + DIGEST + " --out DIR'",
        "--restore-points DIR");

    CliRun take = take(url, points, key);
    assertThat(take.exitCode()).as(take.out() + take.err()).isZero();
    assertThat(take.out()).contains("wave gold", "2 taken");
    assertThat(take.out() + take.err()).doesNotContain(OdooSourceDatabase.PASSWORD);
    for (String name : WAVE_2) {
      assertThat(points.resolve(name).resolve("restore-point.json")).isRegularFile();
      assertThat(points.resolve(name).resolve("restore-point.json.sig")).isRegularFile();
    }

    CliRun resumed = fleet(url, "resume", "--reason", "restore points taken", "--restore-points",
        points.toString());
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
    assertThat(resumed.out()).contains("- complete:", "promoted globex (gold)", "promoted initech (gold)");

    Path allowed = Files.writeString(dir.resolve("allowed_signers"), "ci-backup " + SshKeygen.publicKey(key)
        + "\n");
    Path clone = dir.resolve("clone");
    try (Git git = Git.cloneRepository().setURI(url).setDirectory(clone.toFile()).call()) {
      List<String> messages = new ArrayList<>();
      for (RevCommit c : git.log().add(git.getRepository().resolve(Constants.HEAD)).call()) {
        messages.add(c.getFullMessage());
      }
      for (String name : WAVE_2) {
        Path evidence = points.resolve(name).resolve("restore-point.json");
        String id = new ObjectMapper().readTree(evidence.toFile()).path("id").asText();
        assertThat(id).startsWith(name + "-odoo-1a2b3c4d5e6f-");
        Path committed = clone.resolve(".odoo-gitops/restore-points/" + name + "/odoo/" + id + ".json");
        assertThat(committed).hasSameBinaryContentAs(evidence);
        Path signature = Path.of(committed + ".sig");
        assertThat(signature).hasSameBinaryContentAs(Path.of(evidence + ".sig"));
        SshKeygen.Run verified = SshKeygen.verify(allowed, "ci-backup", "odoo-gitops-restore-point",
            Files.readString(signature), Files.readAllBytes(committed), dir);
        assertThat(verified.exit()).as(verified.stderr()).isZero();
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("Restore-Point: dump " + id)
            .contains("Fleet: saas").contains("Wave: gold"));
      }
    }
  }

  private CliRun take(String url, Path points, Path key, String... more) {
    List<String> args = new ArrayList<>(List.of("fleet", "restore-point", "take", "--repo", url, "--cache-dir",
        dir.resolve("cache-take").toString(), "--fleet", "saas", "--digest", DIGEST, "--out", points.toString(),
        "--signing-key", key.toString()));
    args.addAll(List.of(more));
    return CliRun.of(Map.of("PROD_PG", OdooSourceDatabase.PASSWORD), args.toArray(String[]::new));
  }

  private CliRun fleet(String url, String command, String... more) {
    List<String> args = new ArrayList<>(List.of("fleet", command, "--repo", url, "--cache-dir",
        dir.resolve("cache").toString(), "--fleet", "saas", "--initiator", "alice", "--image", IMAGE + "@"
            + DIGEST));
    args.addAll(List.of(more));
    return CliRun.of(Map.of(), args.toArray(String[]::new));
  }
}
