package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.dryrun.verdict.Judgement;
import io.odoogitops.dryrun.verdict.RollbackSafety;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.policy.Verdict;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointKind;
import io.odoogitops.restore.RestorePointSignature;
import io.odoogitops.signing.SshKeygen;
import io.odoogitops.signing.SshSigner;
import io.odoogitops.testing.GitDaemon;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore points on the command line against git daemon: gate check and promote with --restore-point, and rollback
 * of a RESTORE_REQUIRED release refused with the plan (exit 1), or landed with --restored-database or --image-only.
 */
class RestorePointRollbackCommandIT {

  static final String IMAGE = "registry.example.com/acme/odoo";
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
            switch: { file: values.yaml, path: odoo.database.name }
      """;
  static final String VALUES = """
      image:
        repository: registry.example.com/acme/odoo
        digest: sha256:%s
      odoo:
        database: { host: db.internal, name: odoo }   # production
      """;

  @TempDir Path dir;
  GitDaemon daemon;
  String url;
  final Instant dryRunFinished = Instant.now().minus(1, ChronoUnit.HOURS);

  @BeforeEach
  void start() throws Exception {
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", Map.of("odoo-gitops.yaml", CONFIG,
        "envs/production/values.yaml", VALUES.formatted("0".repeat(64))), "initial");
    daemon = GitDaemon.start(served);
    url = daemon.url("gitops.git");
  }

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }

  private Path report(char c, RollbackSafety safety) throws Exception {
    String d = digest(c);
    return Files.write(dir.resolve("dry-run-" + c + ".json"), JsonReport.bytes(new DryRunReport(
        DryRunReport.SCHEMA_VERSION, "run" + c, IMAGE, new ImageDigest(d), dryRunFinished.minusSeconds(600), dryRunFinished,
        "db.internal:5432/odoo", null, null, null, List.of(), 0, List.of(),
        new Judgement(new ImageDigest(d), Verdict.WARN, safety, List.of(), List.of()), null)));
  }

  /** A dump point whose directory exists (with a table of contents), so that its plan can be printed. */
  private Path point(char c, Instant takenAt) throws Exception {
    String id = "production-odoo-" + String.valueOf(c).repeat(12) + "-20261130T021500Z";
    Path dumpDir = Files.createDirectories(dir.resolve("points").resolve(id));
    Files.writeString(dumpDir.resolve("toc.dat"), "toc");
    Path file = dir.resolve("point-" + c + "-" + takenAt.getEpochSecond() + ".json");
    RestorePointEvidence.write(new RestorePoint(1, RestorePointKind.DUMP, id, takenAt, "production", "odoo",
        new ImageDigest(digest(c)), dumpDir.toString(), null, new RestorePoint.DumpDirectory(dumpDir.toString(),
            "backup@db.internal:5432/odoo", "odoo", 2, 16, "16.4", 812, 240, 1 << 20), null), file);
    return file;
  }

  private CliRun cli(String command, String... more) {
    List<String> all = new ArrayList<>(List.of(command));
    if (command.equals("gate")) {
      all.add("check");
    }
    all.addAll(List.of("--repo", url, "--cache-dir", dir.resolve("cache").toString(), "--env", "production",
        "--app", "odoo"));
    all.addAll(List.of(more));
    return CliRun.of(Map.of(), all.toArray(String[]::new));
  }

  private CliRun promote(char c, String... more) {
    List<String> args = new ArrayList<>(List.of("--initiator", "ci", "--image", IMAGE + "@" + digest(c)));
    args.addAll(List.of(more));
    return cli("promote", args.toArray(String[]::new));
  }

  @Test
  void gateAndPromoteNeedAFreshPointAndRollbackRefusesThenSwitchesTheDatabase() throws Exception {
    assertThat(promote('1', "--dry-run-report", report('1', RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE).toString())
        .exitCode()).isZero();
    Path restoreRequired = report('2', RollbackSafety.RESTORE_REQUIRED);
    Path stale = point('2', dryRunFinished.minusSeconds(60));
    Path fresh = point('2', dryRunFinished.plusSeconds(60));

    CliRun without = cli("gate", "--digest", digest('2'), "--initiator", "ci", "--dry-run-report",
        restoreRequired.toString());
    assertThat(without.exitCode()).as(without.err()).isEqualTo(Main.REFUSED);
    assertThat(without.out()).contains("FAIL  restore-point  no restore point").contains("decision: REFUSED");
    CliRun staleCheck = cli("gate", "--digest", digest('2'), "--initiator", "ci", "--dry-run-report",
        restoreRequired.toString(), "--restore-point", stale.toString());
    assertThat(staleCheck.exitCode()).isEqualTo(Main.REFUSED);
    assertThat(staleCheck.out()).contains("before the last dry-run");
    CliRun with = cli("gate", "--digest", digest('2'), "--initiator", "ci", "--dry-run-report",
        restoreRequired.toString(), "--restore-point", fresh.toString());
    assertThat(with.exitCode()).as(with.out()).isZero();
    assertThat(with.out()).contains("Rollback-Safety: restore-required").contains("Restore-Point: dump ");

    assertThat(promote('2', "--dry-run-report", restoreRequired.toString()).exitCode()).isEqualTo(Main.REFUSED);
    CliRun promoted = promote('2', "--dry-run-report", restoreRequired.toString(), "--restore-point",
        fresh.toString());
    assertThat(promoted.exitCode()).as(promoted.err()).isZero();
    int before = commits();

    CliRun refused = cli("rollback", "--initiator", "oncall");
    assertThat(refused.exitCode()).isEqualTo(Main.REFUSED);
    assertThat(refused.err()).contains("was RESTORE_REQUIRED").contains("Nothing was committed")
        .contains("RESTORE PLAN for odoo in production").contains("pg_restore").contains("DATA LOSS")
        .contains("--restored-database odoo_");
    assertThat(cli("rollback", "--initiator", "oncall", "--image-only").exitCode()).isEqualTo(Main.BAD_INPUT);
    CliRun badName = cli("rollback", "--initiator", "oncall", "--restored-database", "odoo; DROP DATABASE odoo");
    assertThat(badName.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(badName.err()).contains("is not a database name");
    assertThat(commits()).isEqualTo(before);

    CliRun switched = cli("rollback", "--initiator", "oncall", "--restored-database", "odoo_20261130021500");
    assertThat(switched.exitCode()).as(switched.err()).isZero();
    assertThat(switched.out()).contains("sha256:111111111111");
    assertThat(commits()).isEqualTo(before + 1);
    assertThat(headFile("envs/production/values.yaml")).isEqualTo(VALUES.formatted("1".repeat(64))
        .replace("name: odoo }", "name: odoo_20261130021500 }"));
    assertThat(cli("history").out()).contains("switched to the restored database odoo_20261130021500")
        .contains("rollback needs a restore");
  }

  @Test
  void imageOnlyRollbackLandsAndHistoryAndAuditShowIt() throws Exception {
    assertThat(promote('1').exitCode()).isEqualTo(Main.REFUSED); // whenRestoreRequired cannot tell without a report
    assertThat(promote('1', "--dry-run-report", report('1', RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE).toString())
        .exitCode()).isZero();
    assertThat(promote('3', "--dry-run-report", report('3', RollbackSafety.RESTORE_REQUIRED).toString(),
        "--restore-point", point('3', Instant.now()).toString()).exitCode()).isZero();

    CliRun rollback = cli("rollback", "--initiator", "oncall", "--image-only", "--justification",
        "fix forward: build 4 ships tonight");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();

    assertThat(cli("history").out()).contains("IMAGE ONLY").contains("fix forward: build 4 ships tonight");
    CliRun audit = CliRun.of("audit", "--repo", url, "--cache-dir", dir.resolve("cache").toString(), "--env",
        "production");
    assertThat(audit.exitCode()).as(audit.out() + audit.err()).isZero();
    assertThat(audit.out()).contains("IMAGE ONLY").contains("restore-point");
  }

  @Test
  void anUnreachableClusterStillPrintsTheRefusalAndWhereThePlanCanBeMade() throws Exception {
    assertThat(promote('1', "--dry-run-report", report('1', RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE).toString())
        .exitCode()).isZero();
    String id = "production-odoo-222222222222-20261130t021500z";
    Path evidence = dir.resolve("cnpg-point.json");
    RestorePointEvidence.write(new RestorePoint(1, RestorePointKind.CLOUDNATIVEPG, id, Instant.now(), "production",
        "odoo", new ImageDigest(digest('2')), "shop/" + id, new RestorePoint.CloudNativePGBackup("shop", "odoo-db", id,
            "barmanObjectStore", "20261130T021500", null, null, null, Instant.now(), null), null, null), evidence);
    assertThat(promote('2', "--dry-run-report", report('2', RollbackSafety.RESTORE_REQUIRED).toString(),
        "--restore-point", evidence.toString()).exitCode()).isZero();

    List<String> args = new ArrayList<>(List.of("rollback", "--repo", url, "--cache-dir",
        dir.resolve("cache").toString(), "--env", "production", "--app", "odoo", "--initiator", "oncall",
        "--server", "http://127.0.0.1:9", "--token-env", "TEST_KUBE_TOKEN"));
    CliRun refused = CliRun.of(Map.of("TEST_KUBE_TOKEN", "not-a-real-token"), args.toArray(String[]::new));

    assertThat(refused.exitCode()).isEqualTo(Main.REFUSED);
    assertThat(refused.err()).contains("was RESTORE_REQUIRED").contains("the restore plan cannot be made here")
        .contains("DATA LOSS: a restore to the cloudnativepg restore point " + id + " loses everything written to the"
            + " database since ")
        .contains("git show ").contains(":.odoo-gitops/restore-points/production/odoo/" + id + ".json")
        .contains("restore-point plan --env production --app odoo --point restore-point.json")
        .doesNotContain("not-a-real-token").doesNotContain("\tat ");
  }

  @Test
  @Requires(Tool.SSH_KEYGEN)
  void aRollbackNamesTheFailedCheckInsteadOfPlanningFromEvidenceChangedAfterSigning() throws Exception {
    Path ci = SshKeygen.generate(Files.createDirectories(dir.resolve("keys")), "ci", "ed25519", null, null);
    String signed = CONFIG.replace("environments:\n", "allowedSigners:\n  ci-backup: \""
        + SshKeygen.publicKey(ci) + "\"\nenvironments:\n").replace("    restorePoint: whenRestoreRequired\n",
        "    restorePoint: whenRestoreRequired\n    gate: { restorePointSigners: [ci-backup] }\n");
    RepositorySeed.create(dir.resolve("served/signed.git"), "main", Map.of("odoo-gitops.yaml", signed,
        "envs/production/values.yaml", VALUES.formatted("0".repeat(64))), "initial");
    url = daemon.url("signed.git");
    assertThat(promote('1', "--dry-run-report", report('1', RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE).toString())
        .exitCode()).isZero();
    Path evidence = point('2', dryRunFinished.plusSeconds(60));
    RestorePoint point = RestorePointEvidence.read(evidence);
    Files.writeString(RestorePointSignature.fileOf(evidence), RestorePointSignature.sign(point,
        SshSigner.fromKeyFile(ci, null)));
    CliRun promoted = promote('2', "--dry-run-report", report('2', RollbackSafety.RESTORE_REQUIRED).toString(),
        "--restore-point", evidence.toString());
    assertThat(promoted.exitCode()).as(promoted.err()).isZero();

    CliRun planned = cli("rollback", "--initiator", "oncall");
    assertThat(planned.exitCode()).isEqualTo(Main.REFUSED);
    assertThat(planned.err()).contains("RESTORE PLAN for odoo in production").doesNotContain("does not verify");

    // The promotion commit rewritten with the evidence pointing at another dump, as anyone who may push can.
    Path clone = dir.resolve("forger");
    String path = ".odoo-gitops/restore-points/production/odoo/" + point.id() + ".json";
    try (Git git = Git.cloneRepository().setURI(url).setDirectory(clone.toFile()).call()) {
      RevCommit promotion = git.log().setMaxCount(1).call().iterator().next();
      String forged = Files.readString(clone.resolve(path)).replace(point.location(), "/srv/elsewhere");
      git.reset().setMode(ResetCommand.ResetType.SOFT).setRef("HEAD~1").call();
      Files.writeString(clone.resolve(path), forged);
      git.add().addFilepattern(".").call();
      git.commit().setMessage(promotion.getFullMessage()).setAuthor(promotion.getAuthorIdent())
          .setCommitter(promotion.getCommitterIdent()).setSign(false).call();
      git.push().setForce(true).call();
    }

    CliRun refused = CliRun.of(Map.of(), "rollback", "--repo", url, "--cache-dir", dir.resolve("cache2").toString(),
        "--env", "production", "--app", "odoo", "--initiator", "oncall");
    assertThat(refused.exitCode()).isEqualTo(Main.REFUSED);
    assertThat(refused.err()).contains("was RESTORE_REQUIRED").contains("does not verify: the signature of"
        + " restore point " + point.id() + " does not hold").contains("do not restore from it")
        .contains("no restore plan").doesNotContain("RESTORE PLAN").doesNotContain("/srv/elsewhere")
        .doesNotContain("\tat ");
  }

  private int commits() throws Exception {
    try (Git git = Git.open(dir.resolve("served/gitops.git").toFile())) {
      int n = 0;
      for (var ignored : git.log().call()) {
        n++;
      }
      return n;
    }
  }

  private String headFile(String path) throws Exception {
    Path clone = dir.resolve("clone-" + System.nanoTime());
    try (Git ignored = Git.cloneRepository().setURI(url).setDirectory(clone.toFile()).call()) {
      return Files.readString(clone.resolve(path));
    }
  }
}
