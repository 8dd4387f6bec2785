package io.odoogitops.dryrun.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.odoogitops.ImageDigest;
import io.odoogitops.dryrun.DryRun;
import io.odoogitops.dryrun.DryRunRequest;
import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import io.odoogitops.dryrun.plan.ImageModule;
import io.odoogitops.dryrun.plan.ModulePlan;
import io.odoogitops.dryrun.plan.ReleaseModules;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.dryrun.report.ReportFiles;
import io.odoogitops.dryrun.verdict.Judge;
import io.odoogitops.dryrun.verdict.Reason;
import io.odoogitops.policy.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The modules a release now needs are installed by the same {@code odoo} run that upgrades the others: the plan,
 * read from the release's manifests, decides {@code -i}, and the stand-in Odoo says what command line it received.
 */
class PlannedInstallIT {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "ab".repeat(32));

  static OdooSourceDatabase db;
  static String smallChecksum;

  @TempDir
  Path dir;

  @BeforeAll
  static void source() throws Exception {
    db = OdooSourceDatabase.shared();
    smallChecksum = db.checksum(OdooSourceDatabase.SMALL_SOURCE);
  }

  private StagingServer staging() {
    return new StagingServer(db.stagingAdmin(), Duration.ofSeconds(30));
  }

  private void manifest(String module, String body) throws Exception {
    Path path = Files.createDirectories(dir.resolve("addons").resolve(module));
    Files.writeString(path.resolve("__manifest__.py"), "{'name': '" + module + "', 'version': " + body + "}\n");
  }

  /**
   * The release as its addons hold it: sale 1.2 now depends on acme_base, which depends on acme_core; acme_bridge
   * installs itself once sale and acme_base are there; crm and acme_unused stay as they are.
   */
  private List<ImageModule> release() throws Exception {
    manifest("sale", "'17.0.1.2', 'depends': ['base', 'acme_base']");
    manifest("acme_base", "'17.0.1.0', 'depends': ['base', 'acme_core']");
    manifest("acme_core", "'17.0.1.0', 'depends': ['base']");
    manifest("acme_bridge", "'17.0.1.0', 'depends': ['sale', 'acme_base'], 'auto_install': True");
    manifest("acme_unused", "'17.0.1.0', 'depends': ['acme_core']");
    manifest("crm", "'17.0.1.0', 'depends': ['base']");
    return ReleaseModules.fromAddons(List.of(dir.resolve("addons")), "17.0").modules();
  }

  private DryRunRequest.Builder request(String runId, List<ImageModule> modules, List<String> baseModules) {
    return DryRunRequest.builder()
        .source(db.smallSource())
        .strategy(new TemplateCloneStrategy(staging()))
        .runId(runId)
        .image("registry.example.com/odoo/shop:1.5.0", DIGEST)
        .odooModules("17.0", modules)
        .baseModules(baseModules);
  }

  @Test
  void theNewDependenciesAndTheAutoInstallModuleGoToOdooAsMinusI() throws Exception {
    Path own = dir.resolve("fake.properties");
    List<String> progress = new CopyOnWriteArrayList<>();
    LocalOdooUpgrade odoo = LocalOdooUpgrade.builder().odooBin(FakeOdoo.install(dir)).arg("--fake-report=" + own)
        .timeout(Duration.ofSeconds(60)).progress(progress::add).build();
    DryRunReport report = new DryRun(request("install1", release(),
        List.of("base", "account", "stock", "legacy_addon")).upgradePhase(odoo).build(), progress::add).run();

    assertThat(report.upgradePlan().modules()).extracting(ModulePlan::name, ModulePlan::action).contains(
        tuple("sale", ModulePlan.Action.UPGRADE),
        tuple("acme_base", ModulePlan.Action.INSTALL),
        tuple("acme_core", ModulePlan.Action.INSTALL),
        tuple("acme_bridge", ModulePlan.Action.INSTALL),
        tuple("acme_unused", ModulePlan.Action.INSTALLABLE),
        tuple("crm", ModulePlan.Action.INSTALLABLE));

    // what the stand-in received, word for word: the clone by name, no credential, -u and -i from the plan
    String args = LocalOdooUpgradeIT.report(own).getProperty("args");
    assertThat(args).matches("--fake-report=\\S+ -d " + CloneName.DEFAULT_PREFIX + "\\S+ -u sale"
        + " -i acme_base,acme_bridge,acme_core --stop-after-init --workers=0 --no-http");
    assertThat(args).doesNotContain(OdooSourceDatabase.PASSWORD);
    assertThat(progress).anyMatch(line -> line.contains("stand-in command line: ") && line.contains(
        "-u sale -i acme_base,acme_bridge,acme_core"));
    assertThat(report.odooUpgrade().outcome()).isEqualTo("SUCCEEDED");
    assertThat(report.odooUpgrade().measurement().modules()).extracting(ModuleMeasurement::module)
        .containsExactly("sale", "acme_base", "acme_bridge", "acme_core");
    assertThat(report.judgement().reasons()).extracting(Reason::rule)
        .doesNotContain(Judge.NOT_RUN_RULE, "odoo-missing-dependency");

    ReportFiles files = ReportFiles.write(report, dir.resolve("reports"));
    assertThat(JsonReport.read(files.json()).upgradePlan()).isEqualTo(report.upgradePlan());
    assertThat(Files.readString(files.json())).contains("\"INSTALL\"");
    assertThat(Files.readString(files.markdown()))
        .contains("installing acme_base, acme_bridge, acme_core")
        .contains("Odoo upgrades 1 module(s) and installs 3 (`-i acme_base,acme_bridge,acme_core`).")
        .contains("- INSTALL **acme_base**: not installed; sale depends on it")
        .contains("- INSTALL **acme_core**: not installed; sale needs it through acme_base")
        .contains("- INSTALL **acme_bridge**: auto_install: its triggers (acme_base, sale) will all be installed,"
            + " acme_base newly");
    assertThat(Files.readString(files.junit())).contains("planUpgrade=sale\nplanInstall=acme_base,acme_bridge,"
        + "acme_core");

    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).as("the clone is dropped").isEmpty();
    assertThat(db.checksum(OdooSourceDatabase.SMALL_SOURCE)).as("the source is untouched").isEqualTo(smallChecksum);
  }

  @Test
  void aDependencyNowhereToBeFoundFailsTheRunAndInstallsAloneAreNotRunWarnings() throws Exception {
    List<String> progress = new ArrayList<>();
    List<ImageModule> modules = new ArrayList<>(release());
    modules.removeIf(m -> m.name().equals("acme_core"));
    DryRunReport missing = new DryRun(request("install2", modules,
        List.of("base", "account", "stock", "legacy_addon")).build(), progress::add).run();

    assertThat(missing.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(missing.judgement().reasons()).extracting(Reason::level, Reason::rule, Reason::subject).contains(
        tuple(Verdict.FAIL, "odoo-missing-dependency", "module acme_core"),
        tuple(Verdict.WARN, Judge.NOT_RUN_RULE, "odoo -u"));
    assertThat(missing.judgement().reasons()).filteredOn(r -> r.rule().equals(Judge.NOT_RUN_RULE)).singleElement()
        .extracting(Reason::message).isEqualTo("odoo -u was not run: 3 module(s) would be upgraded or installed and"
            + " their schema and data changes were not measured");
    ReportFiles files = ReportFiles.write(missing, dir.resolve("missing"));
    assertThat(Files.readString(files.junit())).contains("classname=\"dryrun.odoo.plan\" name=\"acme_core\"",
        "<failure type=\"odoo-missing-dependency\"");
    assertThat(Files.readString(files.markdown())).contains("- MISSING_DEPENDENCY **acme_core**: sale needs it"
        + " through acme_base, but it is neither in the image nor in the base modules");
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).isEmpty();
    assertThat(db.checksum(OdooSourceDatabase.SMALL_SOURCE)).isEqualTo(smallChecksum);
  }
}
