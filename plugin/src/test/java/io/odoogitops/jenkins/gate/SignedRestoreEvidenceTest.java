package io.odoogitops.jenkins.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.gitops.Snapshot;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointKind;
import io.odoogitops.restore.RestorePointSignature;
import io.odoogitops.signing.SshKeygen;
import io.odoogitops.signing.SshSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * odooPromote's {@code restorePoint} with its signature, against a real repository and a real SSH key: the
 * {@code <file>.sig} read next to the evidence reaches the gate, whose {@code restorePointSigners} refuse the point
 * without it, and the commit carries it next to the evidence. No Jenkins needed.
 */
class SignedRestoreEvidenceTest {

  private static final String DIGEST = "sha256:" + "2".repeat(64);
  private static final ImageDigest PINNED = new ImageDigest(DIGEST);
  private static final ImageRef IMAGE = ImageRef.parse("registry.example.com/acme/odoo:17.0-2@" + DIGEST);
  private static final String ID = "production-odoo-222222222222-20261130T020000Z";

  @TempDir
  Path tmp;

  @Test
  void theSignatureNextToTheEvidenceReachesTheGateAndTheCommit() throws Exception {
    Path ci = SshKeygen.generate(Files.createDirectories(tmp.resolve("keys")), "ci", "ed25519", null, null);
    Path bare = tmp.resolve("gitops.git");
    RepositorySeed.create(bare, "main", Map.of("odoo-gitops.yaml", """
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        allowedSigners:
          ci-backup: "%s"
        environments:
          production:
            path: envs/production
            layout: kustomize
            restorePoint: required
            gate: { restorePointSigners: [ci-backup] }
            restore: { dump: { location: /srv/points, database: { url: "jdbc:postgresql://db:5432/odoo", user: b } } }
        """.formatted(SshKeygen.publicKey(ci)), "envs/production/kustomization.yaml", """
        images:
          - name: registry.example.com/acme/odoo
            digest: sha256:%s
        """.formatted("0".repeat(64))), "initial");
    GitOpsRepository repository = GitOpsRepository.open(new GitOpsRemote(bare.toUri().toString(), "main",
        new GitCredentials.None(), tmp.resolve("cache")));
    RestorePoint point = new RestorePoint(1, RestorePointKind.DUMP, ID, Instant.parse("2026-11-30T02:00:00Z"),
        "production", "odoo", new ImageDigest(DIGEST), "/srv/points/" + ID, null, new RestorePoint.DumpDirectory("/srv/points/" + ID,
            "b@db:5432/odoo", "odoo", 2, 16, "16.4", 10, 4, 4096), null);
    Path signed = tmp.resolve("signed/restore-point.json");
    RestorePointEvidence.write(point, signed, Optional.of(RestorePointSignature.sign(point,
        SshSigner.fromKeyFile(ci, null))));
    Path unsigned = tmp.resolve("unsigned/restore-point.json");
    RestorePointEvidence.write(point, unsigned);
    Promotion promotion = Promotion.builder("production", "odoo", IMAGE).initiator("jenkins").build();

    RestoreEvidence read = RestoreEvidence.read(null, signed.toString());
    assertThat(read.restorePointSignature()).isEqualTo(Files.readString(Path.of(signed + ".sig")));
    assertThat(RestoreEvidence.read(null, unsigned.toString()).restorePointSignature()).isNull();

    assertThatThrownBy(() -> engine(repository, policy().withRestorePoint(RestoreEvidence.read(null,
        unsigned.toString()))).promote(promotion)).hasMessageContaining("is not signed");
    engine(repository, policy().withRestorePoint(read)).promote(promotion);

    Snapshot head = repository.snapshot();
    byte[] signature = Files.readAllBytes(Path.of(signed + ".sig"));
    assertThat(head.read(".odoo-gitops/restore-points/production/odoo/" + ID + ".json.sig"))
        .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(signature));
    repository.close();
  }

  private static LandingPolicy policy() {
    return new LandingPolicy("production", "odoo", PINNED, null, null, null, null, null, null, List.of(), List.of(),
        RestoreEvidence.NONE);
  }

  private static PromotionEngine engine(GitOpsRepository repository, LandingPolicy policy) {
    return PromotionEngine.builder(repository).landingCheck(policy.check()).build();
  }
}
