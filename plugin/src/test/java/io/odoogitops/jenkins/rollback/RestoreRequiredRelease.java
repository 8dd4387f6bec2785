package io.odoogitops.jenkins.rollback;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.jenkins.gate.LandingPolicy;
import io.odoogitops.jenkins.gate.RestoreEvidence;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A real bare GitOps repository whose production runs a release (promotion p-2) the dry-run said RESTORE_REQUIRED,
 * landed through the core with a logical-dump restore point (a dump directory with a toc.dat under the test's
 * directory), and whose {@code restore.switch} names the database host in values.yaml; or, from
 * {@link #cloudNativePG}, with the point of the CloudNativePG Backup {@value #BACKUP} of the cluster odoo-db.
 */
final class RestoreRequiredRelease {

  static final String INITIAL = "sha256:" + "0".repeat(64);
  static final String DIGEST = "sha256:" + "2".repeat(64);
  static final ImageDigest PINNED = new ImageDigest(DIGEST);
  static final String POINT_ID = "production-odoo-222222222222-20261130T020000Z";
  static final String BACKUP = "odoo-db-20261130t020000z";
  private static final ImageRef IMAGE = ImageRef.parse("registry.example.com/acme/odoo:17.0-2@" + DIGEST);
  private static final Instant FINISHED = Instant.parse("2026-11-30T01:00:00Z");

  final Path bare;
  final String url;
  final Path dump;

  private RestoreRequiredRelease(Path bare, Path dump) {
    this.bare = bare;
    this.url = bare.toUri().toString();
    this.dump = dump;
  }

  static RestoreRequiredRelease create(Path dir) throws IOException {
    Path points = Files.createDirectories(dir.resolve("points"));
    Path dump = Files.createDirectories(points.resolve(POINT_ID));
    Files.writeString(dump.resolve("toc.dat"), "PGDMP");
    Path bare = seed(dir, "helm", """
            restore:
              dump: { location: %s, database: { url: "jdbc:postgresql://db:5432/odoo", user: backup } }
              switch: { file: values.yaml, path: odoo.database.host }
        """.formatted(points), "values.yaml", """
        image:
          repository: registry.example.com/acme/odoo
          digest: %s   # pinned by odoo-gitops
        odoo:
          database:
            host: "odoo-db-rw.shop.svc"   # the live database
        """);
    land(dir, bare, new RestorePoint(1, RestorePointKind.DUMP, POINT_ID, FINISHED.plusSeconds(3600), "production",
        "odoo", new ImageDigest(DIGEST), dump.toString(), null, new RestorePoint.DumpDirectory(dump.toString(), "backup@db:5432/odoo",
            "odoo", 2, 16, "16.4", 10, 4, 4096), null));
    return new RestoreRequiredRelease(bare, dump);
  }

  /** Production in the namespace shop, its database the CloudNativePG cluster odoo-db, backed up as {@value #BACKUP}. */
  static RestoreRequiredRelease cloudNativePG(Path dir) throws IOException {
    Path bare = seed(dir, "kustomize", """
            cluster:
              namespace: shop
              workload: deployment/odoo
              argo: { application: shop-production }
              cloudNativePG: { cluster: odoo-db, method: barmanObjectStore }
        """, "kustomization.yaml", """
        images:
          - name: registry.example.com/acme/odoo
            digest: %s
        """);
    Instant stopped = FINISHED.plusSeconds(3600);
    land(dir, bare, new RestorePoint(1, RestorePointKind.CLOUDNATIVEPG, BACKUP, stopped, "production", "odoo",
        new ImageDigest(DIGEST), "shop/" + BACKUP, new RestorePoint.CloudNativePGBackup("shop", "odoo-db", BACKUP, "barmanObjectStore",
            "20261130T020000", "0/5000028", "0/5000100", stopped.minusSeconds(7), stopped, null), null, null));
    return new RestoreRequiredRelease(bare, null);
  }

  /**
   * The bare repository: production with a restore point whenever the dry-run says RESTORE_REQUIRED, {@code
   * production} more of its settings, and its {@code manifest} (with a {@code %s} for the digest it runs).
   */
  private static Path seed(Path dir, String layout, String production, String manifest, String text) {
    Path bare = dir.resolve("gitops.git");
    RepositorySeed.create(bare, "main", Map.of("odoo-gitops.yaml", """
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        environments:
          production:
            path: envs/production
            layout: %s
            restorePoint: whenRestoreRequired
        """.formatted(layout) + production, "envs/production/" + manifest, text.formatted(INITIAL)), "initial");
    return bare;
  }

  /** Promotes the release through the gate's check, with {@code point} as the step's restore point. */
  private static void land(Path dir, Path bare, RestorePoint point) {
    LandingPolicy gate = new LandingPolicy("production", "odoo", PINNED, null, null, PINNED, "WARN",
        "sha256:" + "d".repeat(64), null, List.of(), List.of(), new RestoreEvidence(true, FINISHED.toString(), null))
        .withRestorePoint(RestorePointEvidence.toJson(point));
    try (GitOpsRepository repository = GitOpsRepository.open(new GitOpsRemote(bare.toUri().toString(), "main",
        new GitCredentials.None(), dir.resolve("seed-cache")))) {
      PromotionEngine.builder(repository).landingCheck(gate.check()).build()
          .promote(Promotion.builder("production", "odoo", IMAGE).initiator("jenkins").promotionId("p-2").build());
    }
  }

  /** The full message of the branch head. */
  String head() throws IOException {
    try (Repository git = new FileRepositoryBuilder().setGitDir(bare.toFile()).build();
        RevWalk walk = new RevWalk(git)) {
      return walk.parseCommit(git.resolve(Constants.R_HEADS + "main")).getFullMessage();
    }
  }

  /** Production's values.yaml at the branch head. */
  String values() throws IOException {
    try (Repository git = new FileRepositoryBuilder().setGitDir(bare.toFile()).build();
        RevWalk walk = new RevWalk(git);
        TreeWalk file = TreeWalk.forPath(git, "envs/production/values.yaml",
            walk.parseCommit(git.resolve(Constants.R_HEADS + "main")).getTree())) {
      return new String(git.open(file.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }
}
