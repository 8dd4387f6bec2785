package io.odoogitops.dryrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import io.odoogitops.dryrun.migrate.MigrationSettings;
import io.odoogitops.dryrun.neutralize.ModuleSources;
import io.odoogitops.dryrun.neutralize.NeutralizationResult;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.dryrun.report.MarkdownReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole dry-run whose neutralization runs the installed modules' own neutralize.sql files. */
class DryRunNeutralizeIT {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "cd".repeat(32));

  @TempDir Path dir;

  private Path module(Path addons, String name, String neutralizeSql) throws Exception {
    Path module = Files.createDirectories(addons.resolve(name));
    Files.writeString(module.resolve("__manifest__.py"), "{'name': '" + name + "', 'version': '17.0.1.0.0'}\n");
    if (neutralizeSql != null) {
      Files.createDirectories(module.resolve("data"));
      Files.writeString(module.resolve("data/neutralize.sql"), neutralizeSql);
    }
    return addons;
  }

  private DryRunRequest.Builder request(OdooSourceDatabase db, ModuleSources sources, Path user) throws Exception {
    Path sql = Files.createDirectories(dir.resolve("sql"));
    Files.writeString(sql.resolve("V1__note.sql"), "CREATE TABLE release_note (id int);");
    return DryRunRequest.builder()
        .source(db.source())
        .strategy(new TemplateCloneStrategy(new StagingServer(db.stagingAdmin(), Duration.ofSeconds(30))))
        .image("registry.example.com/odoo/shop:2.0.0", DIGEST)
        .migrations(MigrationSettings.of(List.of("filesystem:" + sql)))
        .neutralizationScript(user)
        .moduleSources(sources);
  }

  private static List<String> clones(OdooSourceDatabase db) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = db.superuser("postgres"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'odoo_gitops_dryrun_%'"
             + " AND datname LIKE '%_dneu%'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  @Test
  void runsTheInstalledModulesFilesThenTheUserSqlAndReportsThem() throws Exception {
    OdooSourceDatabase db = OdooSourceDatabase.shared();
    String checksum = db.checksum();
    Path addons = dir.resolve("addons");
    module(addons, "base", """
        UPDATE ir_mail_server SET active = false;
        INSERT INTO ir_mail_server (name, smtp_host, smtp_port, smtp_encryption, smtp_authentication, active)
             VALUES ('neutralization - disable emails', 'invalid', 1025, 'none', 'login', true);
        UPDATE ir_cron SET active = false WHERE id NOT IN
               (SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'autovacuum_job');
        INSERT INTO ir_config_parameter (key, value) VALUES ('database.is_neutralized', 'true')
            ON CONFLICT (key) DO UPDATE SET value = 'true';
        """);
    for (String name : List.of("account", "sale", "stock", "legacy_addon")) {
      module(addons, name, null);
    }
    // the stand-in database has tables of apps it does not list as installed: the user's script covers them
    Path user = Files.writeString(dir.resolve("20-apps.sql"), "UPDATE fetchmail_server SET active = false;\n"
        + "UPDATE payment_provider SET state = 'disabled';\nUPDATE delivery_carrier SET prod_environment = false;\n");
    List<String> progress = new ArrayList<>();

    DryRunReport report = new DryRun(request(db, ModuleSources.addonsDirs(addons), user).runId("dneu1").build(),
        progress::add).run();

    NeutralizationResult n = report.neutralization();
    assertThat(n.method()).isEqualTo(NeutralizationResult.ODOO_FILES);
    assertThat(n.files()).singleElement().satisfies(f -> {
      assertThat(f.module()).isEqualTo("base");
      assertThat(f.rowsPerStatement()).containsExactly(1L, 1L, 3L, 1L);
    });
    assertThat(n.withoutFile()).containsExactly("account", "legacy_addon", "sale", "stock");
    assertThat(n.userScripts()).containsExactly("20-apps.sql");
    assertThat(progress).anyMatch(line -> line.startsWith("neutralized (odoo-neutralize-sql): Odoo 17 database"));
    String markdown = MarkdownReport.render(report, "x");
    assertThat(markdown).contains("- method: odoo-neutralize-sql (Odoo 17 database")
        .contains("- base/data/neutralize.sql: 4 statement(s), 6 row(s) (from addons directory " + addons + ")")
        .contains("- installed, nothing to neutralize: 4 module(s)")
        .contains("crons-off on ir_cron");
    Path json = Files.write(dir.resolve("report.json"), JsonReport.bytes(report));
    assertThat(JsonReport.read(json).neutralization()).as("round trip").isEqualTo(n);
    com.fasterxml.jackson.databind.JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        json.toFile()).path("neutralization");
    assertThat(tree.path("method").asText()).isEqualTo("odoo-neutralize-sql");
    assertThat(tree.at("/files/0/rowsPerStatement").toString()).isEqualTo("[1,1,3,1]");
    assertThat(tree.at("/checks/0/checked").asText()).isNotEmpty();
    assertThat(db.checksum()).isEqualTo(checksum);
  }

  @Test
  void refusesAnImageArchiveOfAnotherImageBeforeCloning() throws Exception {
    OdooSourceDatabase db = OdooSourceDatabase.shared();
    Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc/odoo")).getParent().getParent();
    io.odoogitops.image.BaseArchive base = io.odoogitops.image.BaseArchive.write(rootfs, "test/base:17.0",
        io.odoogitops.image.ImageConfig.builder().build(), dir.resolve("base.tar"));
    Path archive = dir.resolve("other.tar");
    ImageDigest other = io.odoogitops.image.ImageBuild.run(io.odoogitops.image.BuildRequest.builder()
        .addonsDir(module(dir.resolve("addons"), "shop", null))
        .baseImage("docker-archive:" + base.file())
        .image("registry.example.com/acme/odoo")
        .tag("other")
        .target(new io.odoogitops.image.ImageTarget.OciArchive(archive))
        .cacheDirectory(dir.resolve("cache"))
        .build()).digest();
    Path user = Files.writeString(dir.resolve("none.sql"), "SELECT 1;");
    List<String> progress = new ArrayList<>();

    assertThatThrownBy(() -> new DryRun(request(db, ModuleSources.of(List.of(), List.of(archive)), user)
        .runId("dneu3").build(), progress::add).run())
        .isInstanceOfSatisfying(ReleaseException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("image archive " + archive + " holds image " + other + ", not the image " + DIGEST);
    assertThat(progress).noneMatch(line -> line.startsWith("cloning"));
  }

  @Test
  void refusesBeforeAnyMigrationWhenAnInstalledModuleIsMissingAndDropsTheClone() throws Exception {
    OdooSourceDatabase db = OdooSourceDatabase.shared();
    String checksum = db.checksum();
    Path addons = dir.resolve("addons");
    for (String name : List.of("base", "account", "sale")) {
      module(addons, name, null);
    }
    Path user = Files.writeString(dir.resolve("none.sql"), "SELECT 1;");
    List<String> progress = new ArrayList<>();

    assertThatThrownBy(() -> new DryRun(request(db, ModuleSources.addonsDirs(addons), user).runId("dneu2").build(),
        progress::add).run())
        .isInstanceOfSatisfying(ReleaseException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("the code of 2 installed module(s) is in none of the module sources")
        .hasMessageContaining(": legacy_addon, stock.");
    assertThat(progress).noneMatch(line -> line.startsWith("running migrations"));
    assertThat(clones(db)).isEmpty();
    assertThat(db.checksum()).isEqualTo(checksum);
  }
}
