package io.odoogitops.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.RestorePointPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestorePointTest {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "ab".repeat(32));
  static final ImageDigest OTHER = new ImageDigest("sha256:" + "cd".repeat(32));
  static final Instant AT = Instant.parse("2026-11-30T02:15:07Z");

  @TempDir
  Path work;

  static RestorePoint dumpPoint() {
    return new RestorePoint(1, RestorePointKind.DUMP, "production-shop-abababababab-20261130T021507Z", AT,
        "production", "shop", DIGEST, "/srv/points/production-shop-abababababab-20261130T021507Z", null,
        new RestorePoint.DumpDirectory("/srv/points/production-shop-abababababab-20261130T021507Z",
            "backup@db:5432/odoo", "odoo", 4, 16, "16.4", 1203, 412, 123456), null);
  }

  @Test
  void whatTheRestorePlanPutsIntoCommandsIsOnePlainWord() {
    RestorePoint ok = dumpPoint();
    RestorePoint.DumpDirectory d = ok.dump();
    assertThatThrownBy(() -> withDump(ok, new RestorePoint.DumpDirectory(d.directory(), "backup@db.internal:5432;"
        + " rm -rf /", d.database(), d.jobs(), d.serverMajor(), d.pgDumpVersion(), d.tocEntries(), d.tableData(),
        d.bytes()))).isInstanceOf(ReleaseException.class).hasMessageContaining("is not user@host:port/database");
    assertThatThrownBy(() -> withDump(ok, new RestorePoint.DumpDirectory(d.directory(), null, d.database(), d.jobs(),
        d.serverMajor(), d.pgDumpVersion(), d.tocEntries(), d.tableData(), d.bytes())))
        .hasMessageContaining("is not user@host:port/database");
    assertThatThrownBy(() -> withDump(ok, new RestorePoint.DumpDirectory(d.directory(), d.source(), "odoo$(id)",
        d.jobs(), d.serverMajor(), d.pgDumpVersion(), d.tocEntries(), d.tableData(), d.bytes())))
        .hasMessageContaining("is not a database name");
    assertThatThrownBy(() -> withDump(ok, new RestorePoint.DumpDirectory("relative/dir", d.source(), d.database(),
        d.jobs(), d.serverMajor(), d.pgDumpVersion(), d.tocEntries(), d.tableData(), d.bytes())))
        .hasMessageContaining("must be an absolute path");
    assertThatThrownBy(() -> new RestorePoint(1, RestorePointKind.CLOUDNATIVEPG, "odoo-db-1", AT, "production", "shop",
        ok.digest(), "shop/odoo-db-1", new RestorePoint.CloudNativePGBackup("shop;ls", "odoo-db", "odoo-db-1",
            "barmanObjectStore", null, null, null, AT, AT, null), null, null))
        .hasMessageContaining("CloudNativePG namespace 'shop;ls' is not a Kubernetes object name");
  }

  private static RestorePoint withDump(RestorePoint p, RestorePoint.DumpDirectory dump) {
    return new RestorePoint(p.schemaVersion(), p.kind(), p.id(), p.takenAt(), p.environment(), p.application(),
        p.digest(), p.location(), null, dump, p.filestore());
  }

  @Test
  void trailerRoundTrips() {
    RestorePoint point = dumpPoint();
    assertThat(point.trailer()).isEqualTo("Restore-Point: dump production-shop-abababababab-20261130T021507Z"
        + " 2026-11-30T02:15:07Z");
    assertThat(RestorePointRef.parse(point.ref().trailerValue())).isEqualTo(point.ref());
    assertThat(new RestorePointRef(RestorePointKind.CLOUDNATIVEPG, "b-1", Instant.parse("2026-11-30T02:15:07.9Z"))
        .trailerValue()).isEqualTo("cloudnativepg b-1 2026-11-30T02:15:07Z");
  }

  @Test
  void malformedTrailersAreBadInputWithoutEchoingControlCharacters() {
    assertThatThrownBy(() -> RestorePointRef.parse("dump only-two")).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("expected '<kind> <id> <time>'");
    assertThatThrownBy(() -> RestorePointRef.parse("tape x 2026-11-30T02:15:07Z"))
        .hasMessageContaining("unknown restore point kind 'tape'");
    assertThatThrownBy(() -> RestorePointRef.parse("dump x yesterday")).hasMessageContaining("'yesterday' is not");
    assertThatThrownBy(() -> RestorePointRef.parse("dump ../../etc 2026-11-30T02:15:07Z"))
        .hasMessageContaining("is not valid");
    assertThatThrownBy(() -> RestorePointRef.parse("dump a\nApproved-By:x 2026-11-30T02:15:07Z"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aPointProtectsOnlyItsEnvironmentApplicationAndDigestAfterTheDryRun() {
    RestorePoint point = dumpPoint();
    assertThat(point.problemsFor("production", "shop", DIGEST, AT.minusSeconds(60))).isEmpty();
    assertThat(point.problemsFor("production", "shop", DIGEST, AT.plusMillis(400))).as("same second").isEmpty();
    assertThat(point.problemsFor("production", "shop", OTHER, null)).singleElement().asString()
        .contains("bound to sha256:abababababab, not sha256:cdcdcdcdcdcd");
    assertThat(point.problemsFor("staging", "shop", DIGEST, null)).singleElement().asString()
        .contains("taken for shop in production, not shop in staging");
    assertThat(point.problemsFor("production", "shop", DIGEST, AT.plusSeconds(5))).singleElement().asString()
        .contains("before the last dry-run");
  }

  @Test
  void evidenceIsWrittenWholeAndReadStrictly() throws Exception {
    Path file = work.resolve("evidence/point.json");
    RestorePointEvidence.write(dumpPoint(), file);
    assertThat(RestorePointEvidence.read(file)).isEqualTo(dumpPoint());
    try (var entries = Files.list(file.getParent())) {
      assertThat(entries).containsExactly(file);
    }

    String json = Files.readString(file);
    assertThatThrownBy(() -> RestorePointEvidence.fromJson(json.replace("\"kind\" : \"dump\"",
        "\"kind\" : \"dump\", \"extra\" : 1"), "e.json"))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("e.json");
    assertThatThrownBy(() -> RestorePointEvidence.fromJson(json.replace(DIGEST.value(), "sha256:abc"), "e.json"))
        .hasMessageContaining("is not an image digest");
    assertThatThrownBy(() -> RestorePointEvidence.fromJson(json.replace("\"schemaVersion\" : 1",
        "\"schemaVersion\" : 2"), "e.json")).hasMessageContaining("schema version 2");
    assertThatThrownBy(() -> RestorePointEvidence.fromJson(json.replace("\"dump\" : {", "\"dumpX\" : {"), "e.json"))
        .isInstanceOf(ReleaseException.class);
    Files.writeString(work.resolve("fifo-like"), "");
    assertThatThrownBy(() -> RestorePointEvidence.read(work)).hasMessageContaining("not a regular file");
  }

  @Test
  void theGatesRuleAsksForAPointOnlyWhereThePolicyDoes() {
    Optional<RestorePoint> none = Optional.empty();
    Optional<RestorePoint> point = Optional.of(dumpPoint());
    Instant dryRun = AT.minusSeconds(600);
    assertThat(RestorePointRule.problems(RestorePointPolicy.OFF, true, none, "production", "shop", DIGEST, dryRun))
        .isEmpty();
    assertThat(RestorePointRule.problems(RestorePointPolicy.WHEN_RESTORE_REQUIRED, false, none, "production", "shop",
        DIGEST, dryRun)).isEmpty();
    assertThat(RestorePointRule.problems(RestorePointPolicy.WHEN_RESTORE_REQUIRED, true, none, "production", "shop",
        DIGEST, dryRun)).singleElement().asString().contains("no restore point")
        .contains("the dry-run said RESTORE_REQUIRED").contains("restore-point take --env production --app shop");
    assertThat(RestorePointRule.problems(RestorePointPolicy.REQUIRED, false, point, "production", "shop", DIGEST,
        dryRun)).isEmpty();
    assertThat(RestorePointRule.problems(RestorePointPolicy.REQUIRED, false, point, "production", "shop", OTHER,
        dryRun)).singleElement().asString().contains("bound to");
    assertThat(RestorePointRule.problems(RestorePointPolicy.REQUIRED, false, point, "production", "shop", DIGEST,
        AT.plusSeconds(60))).singleElement().asString().contains("before the last dry-run");
  }
}
