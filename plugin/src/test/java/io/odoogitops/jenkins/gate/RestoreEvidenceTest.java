package io.odoogitops.jenkins.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.gitops.Snapshot;
import io.odoogitops.jenkins.dryrun.DryRunAction;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
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
  private static final ImageDigest PINNED = new ImageDigest(DIGEST);
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
    return new LandingPolicy("production", "odoo", PINNED, null, null, PINNED, "WARN", "sha256:" + "d".repeat(64),
        null, List.of(), List.of(), new RestoreEvidence(true, FINISHED.toString(), null));
  }

  private static String point(Instant takenAt) {
    String id = "production-odoo-222222222222-20261130T020000Z";
    return RestorePointEvidence.toJson(new RestorePoint(1, RestorePointKind.DUMP, id, takenAt, "production", "odoo",
        new ImageDigest(DIGEST), "/srv/points/" + id, null, new RestorePoint.DumpDirectory("/srv/points/" + id, "b@db:5432/odoo",
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

  /** This build's odooDryRun as its build record holds it; {@code finishedAt} null: a record from before it was kept. */
  private static DryRunAction thisBuildsDryRun(Instant finishedAt) {
    Map<String, Object> summary = new HashMap<>();
    summary.put("verdict", "WARN");
    summary.put("rollbackSafety", "RESTORE_REQUIRED");
    summary.put("imageDigest", DIGEST);
    summary.put("reportSha256", "sha256:" + "d".repeat(64));
    summary.put("reasons", List.of());
    summary.put("migrations", List.of());
    if (finishedAt != null) {
      summary.put("finishedAt", finishedAt.toString());
    }
    return new DryRunAction(summary);
  }

  /** The gate's inputs with this build's dry-run, as odooPromote lands them with its own restore point. */
  private static LandingPolicy landing(DryRunAction dryRun, String point) {
    GateInputs inputs = new GateInputs("policy", "0123abc", null, null, null, null, null, null, null)
        .withDryRunOf(dryRun);
    return new LandingPolicy("production", "odoo", PINNED, null, null,
        ImageDigest.orNull(inputs.dryRunDigest()), inputs.dryRunVerdict(),
        inputs.dryRunReportSha256(), null, List.of(), List.of(), inputs.restore()).withRestorePoint(point);
  }

  @Test
  void aPointTakenBeforeThisBuildsDryRunIsStale() {
    Promotion promotion = Promotion.builder("production", "odoo", IMAGE).initiator("jenkins").build();
    DryRunAction dryRun = thisBuildsDryRun(FINISHED);
    assertThat(landing(dryRun, null).restore()).isEqualTo(new RestoreEvidence(true, FINISHED.toString(), null));
    assertThatThrownBy(() -> engine(landing(dryRun, point(FINISHED.minusSeconds(60)))).promote(promotion))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("before the last dry-run")
        .hasMessageContaining("take a fresh one");

    engine(landing(dryRun, point(FINISHED.plusSeconds(60)))).promote(promotion);
    assertThat(repository.snapshot().history("production").list("odoo", 1).get(0).digest().value()).isEqualTo(DIGEST);
  }

  @Test
  void aBuildRecordWithoutTheDryRunsFinishTimeAcceptsNoPoint() {
    Promotion promotion = Promotion.builder("production", "odoo", IMAGE).initiator("jenkins").build();
    assertThatThrownBy(() -> engine(landing(thisBuildsDryRun(null), point(FINISHED.plusSeconds(3600))))
        .promote(promotion)).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("does not say when the dry-run finished")
        .hasMessageContaining("run the dry-run again");
    assertThat(PromotionEngine.builder(repository).build().queries().history("production", "odoo", 10)).as("nothing landed")
        .isEmpty();
  }

  @Test
  void theFactsSurviveTheTripAndAnInvalidPointIsBadInput() {
    RestoreEvidence evidence = new RestoreEvidence(true, FINISHED.toString(), point(FINISHED));
    assertThat(evidence.point()).hasValueSatisfying(p -> assertThat(p.digest().value()).isEqualTo(DIGEST));
    assertThat(evidence.withPoint(null)).isEqualTo(evidence);
    assertThatThrownBy(() -> new RestoreEvidence(false, null, "{\"schemaVersion\": 1}").point())
        .isInstanceOf(ReleaseException.class).hasMessageContaining("restorePoint");
  }
}
