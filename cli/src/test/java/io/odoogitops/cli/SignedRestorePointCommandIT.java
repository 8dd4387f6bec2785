package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.signing.SshKeygen;
import io.odoogitops.testing.GitDaemon;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restore-point take --signing-key} and {@code promote --restore-point} end to end: a real dump of the embedded
 * PostgreSQL signed with a real SSH key, a policy that names its signer, and a git daemon: the unsigned copy of the
 * same evidence is refused, the signed one lands with its signature committed next to it.
 */
@Requires({Tool.PG_DUMP, Tool.SSH_KEYGEN})
class SignedRestorePointCommandIT {

  static final String IMAGE = "registry.example.com/acme/odoo";
  static final String DIGEST = "sha256:" + "0f1e2d3c4b5a".repeat(5) + "6789";

  @TempDir Path dir;
  GitDaemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  @Test
  void aPointTakenWithASigningKeyPassesTheGateAndItsUnsignedCopyDoesNot() throws Exception {
    Path ci = SshKeygen.generate(Files.createDirectories(dir.resolve("keys")), "ci", "ed25519", null, null);
    OdooSourceDatabase db = OdooSourceDatabase.shared();
    Files.createDirectories(dir.resolve("points"));
    String config = """
        applications:
          shop: { image: registry.example.com/acme/odoo }
        allowedSigners:
          ci-backup: "%s"
        environments:
          production:
            path: envs/production
            layout: kustomize
            restorePoint: required
            gate: { restorePointSigners: [ci-backup] }
            restore:
              dump:
                location: %s
                database: { url: "jdbc:postgresql://localhost:%d/%s", user: %s, passwordEnv: PROD_PG }
        """.formatted(SshKeygen.publicKey(ci), dir.resolve("points"), db.port(), OdooSourceDatabase.SMALL_SOURCE,
        OdooSourceDatabase.USER);
    Path configFile = Files.writeString(dir.resolve("odoo-gitops.yaml"), config);
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", Map.of("odoo-gitops.yaml", config,
        "envs/production/kustomization.yaml", "images:\n  - name: " + IMAGE + "\n    digest: sha256:"
            + "0".repeat(64) + "\n"), "initial");
    daemon = GitDaemon.start(served);
    String url = daemon.url("gitops.git");

    Path evidence = dir.resolve("evidence/restore-point.json");
    CliRun take = CliRun.of(Map.of("PROD_PG", OdooSourceDatabase.PASSWORD), "restore-point", "take", "--env",
        "production", "--app", "shop", "--digest", DIGEST, "--config", configFile.toString(), "--evidence",
        evidence.toString(), "--signing-key", ci.toString());

    assertThat(take.exitCode()).as(take.err()).isZero();
    assertThat(take.out()).contains("signature: " + evidence + ".sig");
    Path allowed = Files.writeString(dir.resolve("allowed_signers"), "ci-backup " + SshKeygen.publicKey(ci) + "\n");
    SshKeygen.Run verified = SshKeygen.verify(allowed, "ci-backup", "odoo-gitops-restore-point",
        Files.readString(Path.of(evidence + ".sig")), Files.readAllBytes(evidence), dir);
    assertThat(verified.exit()).as(verified.stderr()).isZero();

    Path unsigned = Files.copy(evidence, Files.createDirectories(dir.resolve("unsigned")).resolve("point.json"));
    CliRun refused = promote(url, unsigned);
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(Main.REFUSED);
    assertThat(refused.out() + refused.err()).contains("is not signed").contains("ci-backup");

    CliRun promoted = promote(url, evidence);
    assertThat(promoted.exitCode()).as(promoted.out() + promoted.err()).isZero();
    Path clone = dir.resolve("clone");
    try (Git git = Git.cloneRepository().setURI(url).setDirectory(clone.toFile()).call()) {
      String id = take.out().lines().findFirst().orElseThrow().split(" ")[2];
      Path committed = clone.resolve(".odoo-gitops/restore-points/production/shop/" + id + ".json");
      assertThat(committed).hasSameBinaryContentAs(evidence);
      assertThat(Path.of(committed + ".sig")).hasSameBinaryContentAs(Path.of(evidence + ".sig"));
    }
  }

  private CliRun promote(String url, Path point) {
    return CliRun.of(Map.of(), "promote", "--repo", url, "--cache-dir", dir.resolve("cache").toString(), "--env",
        "production", "--app", "shop", "--initiator", "ci", "--image", IMAGE + "@" + DIGEST, "--restore-point",
        point.toString());
  }
}
