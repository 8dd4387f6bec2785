package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.audit.Audit;
import io.odoogitops.audit.AuditEntry;
import io.odoogitops.audit.AuditReport;
import io.odoogitops.audit.Check;
import io.odoogitops.cluster.GitOpsRollback;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.Verdict;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restore points through promotion and rollback against a real git daemon: the gate records the point (trailer and
 * evidence file, read back from a fresh clone), a rollback of a RESTORE_REQUIRED release is refused with the point,
 * lands image-only with a justification, or switches to the restored database in the same commit.
 */
class RestorePointRollbackIT extends FixtureLifecycle {

  static final String CONFIG = """
      applications:
        odoo: { image: registry.example.com/acme/odoo }
      environments:
        production:
          path: envs/production
          layout: helm
          restorePoint: whenRestoreRequired
          restore:
            dump:
              location: /srv/odoo-restore-points
              database: { url: "jdbc:postgresql://db.internal:5432/odoo", user: backup, passwordEnv: PROD_PG }
            switch: { file: values.yaml, path: odoo.database.host }
        staging: { path: envs/staging, layout: helm }
      """;

  static final String VALUES = """
      # Odoo in production; reviewed like code
      image:
        repository: registry.example.com/acme/odoo
        tag: "17.0-initial"
        digest: sha256:%s   # pinned by odoo-gitops
      odoo:
        database:
          host: "odoo-db-rw.shop.svc"   # the live database
          name: odoo
        workers: 4
      """;

  static final Instant DRY_RUN_FINISHED = Instant.parse("2026-11-18T08:00:00Z");
  static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");

  GitOpsRepository repo;

  @Override
  Map<String, String> files() {
    return Map.of("odoo-gitops.yaml", CONFIG,
        "envs/production/values.yaml", VALUES.formatted(GitOpsFixture.digest('0')),
        "envs/staging/values.yaml", VALUES.formatted(GitOpsFixture.digest('0')));
  }

  @BeforeEach
  void open() {
    repo = fixture.open("restore");
  }

  @AfterEach
  void closeCache() {
    if (repo != null) {
      repo.close();
    }
  }

  static DryRunEvidence dryRun(ImageRef image, boolean restoreRequired) {
    return new DryRunEvidence(image.digest(), Verdict.WARN, "sha256:" + "d".repeat(64), null, restoreRequired,
        DRY_RUN_FINISHED);
  }

  static RestorePoint point(ImageRef image, Instant takenAt) {
    String id = "production-odoo-" + image.digest().value().substring(7, 19) + "-20261118T090000Z";
    return new RestorePoint(1, RestorePointKind.DUMP, id, takenAt, "production", "odoo", image.digest(),
        "/srv/odoo-restore-points/" + id, null, new RestorePoint.DumpDirectory("/srv/odoo-restore-points/" + id,
            "backup@db.internal:5432/odoo", "odoo", 2, 16, "16.4", 812, 240, 73_400_320L), null);
  }

  private PromotionEngine engine(DryRunEvidence dryRun, RestorePoint point) {
    GateCheck.Inputs inputs = new GateCheck.Inputs(null, List.of(), Optional.ofNullable(dryRun), Optional.empty(),
        null, Set.of(), Optional.ofNullable(point));
    return PromotionEngine.builder(repo).landingCheck(new GateCheck(inputs, Clock.fixed(NOW, ZoneOffset.UTC)))
        .build();
  }

  private PromotionResult promote(ImageRef image, DryRunEvidence dryRun, RestorePoint point) {
    return engine(dryRun, point).promote(Promotion.builder("production", "odoo", image).initiator("ci").build());
  }

  private static RollbackRequest rollback(boolean imageOnly, String justification, String restoredDatabase) {
    return new RollbackRequest("production", "odoo", null, "invoices fail to post", "oncall", null, null, false,
        imageOnly, justification, restoredDatabase);
  }

  @Test
  void theGateRecordsThePointAndTheCommitCarriesItsEvidence() throws Exception {
    ImageRef release = GitOpsFixture.image(2);
    int before = commitCount();
    assertThatThrownBy(() -> promote(release, dryRun(release, true), null))
        .isInstanceOfSatisfying(ReleaseException.class, e -> assertThat(e.kind())
            .isEqualTo(ReleaseException.Kind.REFUSED))
        .hasMessageContaining("restore-point: no restore point");
    assertThatThrownBy(() -> promote(release, dryRun(release, true), point(release,
        DRY_RUN_FINISHED.minusSeconds(1)))).hasMessageContaining("before the last dry-run");
    assertThat(commitCount()).isEqualTo(before);

    RestorePoint point = point(release, DRY_RUN_FINISHED.plusSeconds(300));
    assertThat(promote(release, dryRun(release, true), point).outcome()).isEqualTo(PromotionResult.Outcome.LANDED);

    Path clone = tmp.resolve("clone");
    try (Git git = Git.cloneRepository().setURI(fixture.url).setDirectory(clone.toFile()).call()) {
      RevCommit head = git.log().setMaxCount(1).call().iterator().next();
      assertThat(head.getFooterLines("Rollback-Safety")).containsExactly("restore-required");
      assertThat(head.getFooterLines("Restore-Point")).containsExactly(point.ref().trailerValue());
      assertThat(changedPaths(git, head)).containsExactlyInAnyOrder("envs/production/values.yaml",
          ".odoo-gitops/restore-points/production/odoo/" + point.id() + ".json");
    }
    Path evidence = clone.resolve(".odoo-gitops/restore-points/production/odoo/" + point.id() + ".json");
    assertThat(RestorePointEvidence.read(evidence)).isEqualTo(point);

    List<HistoryEntry> history = fixture.engine(repo).queries().history("production", "odoo", 10);
    assertThat(history).singleElement().satisfies(entry -> {
      assertThat(entry.kind()).isEqualTo("promote");
      assertThat(entry.sanctioned()).isTrue();
      assertThat(entry.restoreRequired()).isTrue();
    });
    AuditReport audit = Audit.builder(repo, "production").build().run();
    assertThat(audit.unsanctioned()).as("the evidence file is no manifest change").isEmpty();
    assertThat(audit.sanctioned()).filteredOn(e -> "promote".equals(e.kind())).singleElement()
        .satisfies(e -> assertThat(e.checks()).filteredOn(c -> c.name().equals("restore-point"))
            .singleElement().extracting(Check::status).isEqualTo(Check.Status.PASSED));
  }

  @Test
  void rollbackOfARestoreRequiredReleaseIsRefusedWithThePointAndAutomationDoesNotRollBack() throws Exception {
    ImageRef good = GitOpsFixture.image(1);
    ImageRef release = GitOpsFixture.image(2);
    promote(good, dryRun(good, false), null);
    RestorePoint point = point(release, DRY_RUN_FINISHED.plusSeconds(300));
    promote(release, dryRun(release, true), point);
    int before = commitCount();

    assertThatThrownBy(() -> fixture.engine(repo).rollback(rollback(false, null, null)))
        .isInstanceOfSatisfying(RestoreRequired.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.REFUSED);
          assertThat(e.exitCode()).isEqualTo(1);
          assertThat(e.point()).contains(point);
          assertThat(e.release().digest()).isEqualTo(release.digest());
          assertThat(e.getMessage()).contains("was RESTORE_REQUIRED").contains("Nothing was committed")
              .contains("restore point " + point.ref()).contains("--restored-database NAME")
              .contains("--image-only --justification");
        });

    GitOpsRollback automatic = new GitOpsRollback(fixture.engine(repo), "verifier");
    assertThatThrownBy(() -> automatic.rollback("production", "odoo", "verification-failed"))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.REFUSED);
          assertThat(e.getMessage()).startsWith("no automatic rollback: ").contains("restore-point plan --env"
              + " production --app odoo --point restore-point.json")
              .contains(".odoo-gitops/restore-points/production/odoo/" + point.id() + ".json");
        });
    assertThat(commitCount()).as("nothing was committed").isEqualTo(before);
  }

  @Test
  void aRollbackAcrossTwoRestoreRequiredReleasesNamesThePointTakenBeforeTheFirst() throws Exception {
    ImageRef good = GitOpsFixture.image(1);
    ImageRef second = GitOpsFixture.image(2);
    ImageRef third = GitOpsFixture.image(3);
    promote(good, dryRun(good, false), null);
    RestorePoint beforeSecond = point(second, DRY_RUN_FINISHED.plusSeconds(300));
    promote(second, dryRun(second, true), beforeSecond);
    RestorePoint beforeThird = point(third, DRY_RUN_FINISHED.plusSeconds(600));
    promote(third, dryRun(third, true), beforeThird);

    // The point taken before the third release holds the second's schema, which the good image cannot read.
    RollbackRequest toGood = new RollbackRequest("production", "odoo", good.digest().value(), "invoices fail to post",
        "oncall", null, null, false, false, null, null);
    assertThatThrownBy(() -> fixture.engine(repo).rollback(toGood))
        .isInstanceOfSatisfying(RestoreRequired.class, e -> {
          assertThat(e.point()).contains(beforeSecond);
          assertThat(e.release().digest()).isEqualTo(second.digest());
        });
    // One step back needs only the third release's point.
    assertThatThrownBy(() -> fixture.engine(repo).rollback(rollback(false, null, null)))
        .isInstanceOfSatisfying(RestoreRequired.class, e -> assertThat(e.point()).contains(beforeThird));
  }

  @Test
  void aReleaseWithoutARecordedPointSaysSoAndWhatToDo() throws Exception {
    ImageRef good = GitOpsFixture.image(1);
    ImageRef release = GitOpsFixture.image(2);
    // staging asks for no restore point, so a RESTORE_REQUIRED release lands there without one
    for (ImageRef image : List.of(good, release)) {
      engine(dryRun(image, image == release), null).promote(Promotion.builder("staging", "odoo", image)
          .initiator("ci").build());
    }

    assertThatThrownBy(() -> fixture.engine(repo).rollback(new RollbackRequest("staging", "odoo", null, null,
        "oncall", null, null)))
        .isInstanceOfSatisfying(RestoreRequired.class, e -> {
          assertThat(e.point()).isEmpty();
          assertThat(e.getMessage()).contains("no restore point was recorded with that promotion")
              .contains("restore the database from the newest backup taken before");
          assertThat(e.planCommand()).contains("no restore point was recorded");
        });
  }

  @Test
  void withoutSignersTheCommittedPointIsCheckedAgainstTheReleaseButOtherwiseTakenAsCommitted() throws Exception {
    ImageRef good = GitOpsFixture.image(1);
    ImageRef release = GitOpsFixture.image(2);
    promote(good, dryRun(good, false), null);
    RestorePoint point = point(release, DRY_RUN_FINISHED.plusSeconds(300));
    promote(release, dryRun(release, true), point);
    String path = ".odoo-gitops/restore-points/production/odoo/" + point.id() + ".json";

    // No restorePointSigners: an edit of the evidence is as good as the repository's write access, as before.
    assertThat(fixture.rewriteHead(path, json -> json.replace("/srv/odoo-restore-points/" + point.id(),
        "/srv/elsewhere/" + point.id()))).isTrue();
    reopen("restore-edited");
    assertThatThrownBy(() -> fixture.engine(repo).rollback(rollback(false, null, null)))
        .isInstanceOfSatisfying(RestoreRequired.class, e -> {
          assertThat(e.unverified()).isEmpty();
          assertThat(e.point()).hasValueSatisfying(p -> assertThat(p.location()).startsWith("/srv/elsewhere/"));
        });

    // A point of another release is never planned from, signers or not.
    assertThat(fixture.rewriteHead(path, json -> json.replace(release.digest().value(),
        GitOpsFixture.image(3).digest().value()))).isTrue();
    reopen("restore-other-digest");
    assertThatThrownBy(() -> fixture.engine(repo).rollback(rollback(false, null, null)))
        .isInstanceOfSatisfying(RestoreRequired.class, e -> {
          assertThat(e.point()).isEmpty();
          assertThat(e.unverified()).hasValueSatisfying(why -> assertThat(why).contains("is bound to"));
          assertThat(e.getMessage()).contains("does not verify").contains("do not restore from it");
        });
  }

  private void reopen(String cacheName) {
    repo.close();
    repo = fixture.open(cacheName);
  }

  @Test
  void imageOnlyRollbackLandsWithItsJustificationAndIsAudited() throws Exception {
    ImageRef good = GitOpsFixture.image(1);
    ImageRef release = GitOpsFixture.image(2);
    promote(good, dryRun(good, false), null);
    promote(release, dryRun(release, true), point(release, NOW));

    assertThatThrownBy(() -> rollback(true, null, null)).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("--image-only needs --justification");
    PromotionResult result = fixture.engine(repo).rollback(rollback(true, "fix forward: 17.0-build3 ships tonight",
        null));

    assertThat(result.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    assertThat(result.digest()).isEqualTo(good.digest());
    RevCommit head = head();
    assertThat(head.getFooterLines("Rollback-Image-Only")).containsExactly("true");
    assertThat(head.getFooterLines("Image-Only-Justification"))
        .containsExactly("fix forward: 17.0-build3 ships tonight");
    HistoryEntry entry = fixture.engine(repo).queries().history("production", "odoo", 1).get(0);
    assertThat(entry.kind()).isEqualTo("rollback");
    assertThat(entry.imageOnlyJustification()).isEqualTo("fix forward: 17.0-build3 ships tonight");

    AuditReport audit = Audit.builder(repo, "production").build().run();
    assertThat(audit.clean()).isTrue();
    AuditEntry rolledBack = audit.sanctioned().stream().filter(e -> "rollback".equals(e.kind())).findFirst()
        .orElseThrow();
    assertThat(rolledBack.checks()).filteredOn(c -> c.name().equals("restore")).singleElement()
        .satisfies(c -> assertThat(c.detail()).startsWith("IMAGE ONLY").contains("fix forward"));
  }

  @Test
  void restoredDatabaseIsSwitchedInTheSameCommitAsTheOldDigestByteExactElsewhere() throws Exception {
    ImageRef good = GitOpsFixture.image(1);
    ImageRef release = GitOpsFixture.image(2);
    promote(good, dryRun(good, false), null);
    RestorePoint point = point(release, NOW);
    promote(release, dryRun(release, true), point);
    String before = read("envs/production/values.yaml");

    assertThatThrownBy(() -> rollback(false, null, "Odoo; DROP DATABASE")).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("is not a database name");
    PromotionResult result = fixture.engine(repo).rollback(rollback(false, null,
        "odoo-db-restore-20261118090000-rw.shop.svc"));

    assertThat(result.digest()).isEqualTo(good.digest());
    String expected = before.replace("17.0-build2", "17.0-build1")
        .replace(GitOpsFixture.digest(2), GitOpsFixture.digest(1))
        .replace("host: \"odoo-db-rw.shop.svc\"", "host: \"odoo-db-restore-20261118090000-rw.shop.svc\"");
    assertThat(read("envs/production/values.yaml")).isEqualTo(expected);
    RevCommit head = head();
    try (Git git = Git.open(tmp.resolve("served/gitops.git").toFile())) {
      assertThat(changedPaths(git, head)).containsExactly("envs/production/values.yaml");
    }
    assertThat(head.getFooterLines("Restored-Database")).containsExactly("odoo-db-restore-20261118090000-rw.shop.svc");
    assertThat(head.getFooterLines("Database-Switch")).containsExactly("envs/production/values.yaml"
        + " odoo.database.host");
    assertThat(head.getFooterLines("Restored-From")).containsExactly(point.ref().trailerValue());
    assertThat(head.getFooterLines("Rollback-Of")).isNotEmpty();
    HistoryEntry entry = fixture.engine(repo).queries().history("production", "odoo", 1).get(0);
    assertThat(entry.restoredDatabase()).isEqualTo("odoo-db-restore-20261118090000-rw.shop.svc");
    assertThat(entry.sanctioned()).isTrue();
  }

  @Test
  void ordinaryReleasesRollBackAsBefore() throws Exception {
    ImageRef good = GitOpsFixture.image(1);
    ImageRef release = GitOpsFixture.image(2);
    promote(good, dryRun(good, false), null);
    promote(release, dryRun(release, false), null);

    PromotionResult result = fixture.engine(repo).rollback(rollback(false, null, null));

    assertThat(result.digest()).isEqualTo(good.digest());
    assertThat(head().getFooterLines("Rollback-Image-Only")).isEmpty();
    assertThat(head().getFooterLines("Restored-Database")).isEmpty();
  }

  private String read(String path) throws Exception {
    try (Git git = Git.open(tmp.resolve("served/gitops.git").toFile()); ObjectReader reader =
        git.getRepository().newObjectReader()) {
      RevCommit head = head();
      var walk = org.eclipse.jgit.treewalk.TreeWalk.forPath(git.getRepository(), path, head.getTree());
      return new String(reader.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> changedPaths(Git git, RevCommit commit) throws Exception {
    try (ObjectReader reader = git.getRepository().newObjectReader();
        org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(git.getRepository())) {
      RevCommit parent = walk.parseCommit(commit.getParent(0));
      CanonicalTreeParser oldTree = new CanonicalTreeParser(null, reader, parent.getTree());
      CanonicalTreeParser newTree = new CanonicalTreeParser(null, reader, walk.parseCommit(commit).getTree());
      return git.diff().setOldTree(oldTree).setNewTree(newTree).call().stream()
          .map(d -> d.getChangeType() == DiffEntry.ChangeType.DELETE ? d.getOldPath() : d.getNewPath()).toList();
    }
  }

  private RevCommit head() throws Exception {
    return fixture.head();
  }

  private int commitCount() throws Exception {
    return fixture.commitCount();
  }
}
