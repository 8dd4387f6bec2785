package io.odoogitops.jenkins.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.ImageRef;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.gitops.Snapshot;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * odooPromote's restore point at landing, against a real repository: the dry-run's RESTORE_REQUIRED from the gate
 * asks for a point, and the step's own {@code restorePoint} is judged and committed. No Jenkins needed.
 */
class RestoreEvidenceTest {

  private static final String DIGEST = "sha256:" + "2".repeat(64);
  private static final ImageRef IMAGE = ImageRef.parse("registry.example.com/acme/odoo:17.0-2@" + DIGEST);
  private static final Instant FINISHED = Instant.parse("2026-11-30T01:00:00Z");

  @TempDir
  Path tmp;

  private GitOpsRepository repository;

  @BeforeEach
  void seed() {
    Path bare = tmp.resolve("gitops.git");
    RepositorySeed.create(bare, "main", Map.of("odoo-gitops.yaml", """
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        environments:
          production:
            path: envs/production
            layout: kustomize
            restorePoint: whenRestoreRequired
            restore: { dump: { location: /srv/points, database: { url: "jdbc:postgresql://db:5432/odoo", user: b } } }
        """, "envs/production/kustomization.yaml", """
        images:
          - name: registry.example.com/acme/odoo
            digest: sha256:%s
        """.formatted("0".repeat(64))), "initial");
    repository = GitOpsRepository.open(new GitOpsRemote(bare.toUri().toString(), "main", new GitCredentials.None(),
        tmp.resolve("cache")));
  }

  private static LandingPolicy restoreRequired() {
    return new LandingPolicy("production", "odoo", DIGEST, null, null, DIGEST, "WARN", "sha256:" + "d".repeat(64),
        null, List.of(), List.of(), new RestoreEvidence(true, FINISHED.toString(), null));
  }

  private static String point(Instant takenAt) {
    String id = "production-odoo-222222222222-20261130T020000Z";
    return RestorePointEvidence.toJson(new RestorePoint(1, RestorePointKind.DUMP, id, takenAt, "production", "odoo",
        DIGEST, "/srv/points/" + id, null, new RestorePoint.DumpDirectory("/srv/points/" + id, "b@db:5432/odoo",
            "odoo", 2, 16, "16.4", 10, 4, 4096), null));
  }

  private PromotionEngine engine(LandingPolicy policy) {
    return PromotionEngine.builder(repository).landingCheck(policy.check()).build();
  }

  @Test
  void aRestoreRequiredReleaseNeedsTheStepsFreshPointWhichTheCommitCarries() {
    Promotion promotion = Promotion.builder("production", "odoo", IMAGE).initiator("jenkins").build();
    assertThatThrownBy(() -> engine(restoreRequired()).promote(promotion)).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("restore-point: no restore point");
    assertThatThrownBy(() -> engine(restoreRequired().withRestorePoint(point(FINISHED.minusSeconds(1))))
        .promote(promotion)).hasMessageContaining("before the last dry-run");

    String fresh = point(FINISHED.plusSeconds(3600));
    engine(restoreRequired().withRestorePoint(fresh)).promote(promotion);

    Snapshot head = repository.snapshot();
    assertThat(head.read(".odoo-gitops/restore-points/production/odoo/production-odoo-222222222222-20261130T020000Z"
        + ".json")).hasValueSatisfying(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8))
            .isEqualTo(fresh));
    assertThat(head.history("production").list("odoo", 1).get(0).restoreRequired()).isTrue();
  }

  @Test
  void theFactsSurviveTheTripAndAnInvalidPointIsBadInput() {
    RestoreEvidence evidence = new RestoreEvidence(true, FINISHED.toString(), point(FINISHED));
    assertThat(evidence.point()).hasValueSatisfying(p -> assertThat(p.digest()).isEqualTo(DIGEST));
    assertThat(evidence.withPoint(null)).isEqualTo(evidence);
    assertThatThrownBy(() -> new RestoreEvidence(false, null, "{\"schemaVersion\": 1}").point())
        .isInstanceOf(ReleaseException.class).hasMessageContaining("restorePoint");
  }
}
