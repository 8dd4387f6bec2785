package io.odoogitops.dryrun.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpgradePlannerTest {

  @TempDir
  Path addons;

  private Path module(String name, String... scripts) throws Exception {
    Path dir = addons.resolve(name);
    for (String script : scripts) {
      Files.createDirectories(dir.resolve(script).getParent());
      Files.writeString(dir.resolve(script), "def migrate(cr, version):\n    pass\n");
    }
    return dir;
  }

  @Test
  void versionsCompareLikeOdoo() {
    assertThat(OdooVersion.parse("17.0.1.0")).isEqualTo(OdooVersion.parse("17.0.1"));
    assertThat(OdooVersion.parse("17.0.1.10")).isGreaterThan(OdooVersion.parse("17.0.1.9"));
    assertThat(OdooVersion.adapt("17.0", "1.2")).isEqualTo("17.0.1.2");
    assertThat(OdooVersion.adapt("17.0", "17.0.1.2")).isEqualTo("17.0.1.2");
    assertThat(OdooVersion.adapt("17.0", "17.0")).isEqualTo("17.0.17.0");
    assertThat(OdooVersion.FOLDER.matcher("17.0.1.3").matches()).isTrue();
    assertThat(OdooVersion.FOLDER.matcher("1.3").matches()).isTrue();
    assertThat(OdooVersion.FOLDER.matcher("tests").matches()).isFalse();
    assertThat(OdooVersion.FOLDER.matcher("1").matches()).isFalse();
  }

  @Test
  void majorLessFoldersDoNotRerunWhenOnlyTheSeriesMoves() throws Exception {
    Path dir = module("sale_ext", "migrations/2.0/pre-a.py", "migrations/2.1/post-b.py",
        "migrations/18.0.2.0/pre-series.py", "upgrades/2.1/end-c.py");
    UpgradePlan plan = new UpgradePlanner("18.0").plan(List.of(new ImageModule("sale_ext", "2.1", null, dir)),
        Map.of("sale_ext", new InstalledModule("sale_ext", "installed", "17.0.2.0", null)));
    ModulePlan sale = plan.modules().get(0);
    assertThat(sale.action()).isEqualTo(ModulePlan.Action.UPGRADE);
    assertThat(sale.scripts()).extracting(MigrationScript::file).containsExactly(
        "migrations/18.0.2.0/pre-series.py", "migrations/2.1/post-b.py", "upgrades/2.1/end-c.py");
  }

  @Test
  void checksumsDecideWhenVersionsAreEqual() {
    Map<String, InstalledModule> db = Map.of(
        "a", new InstalledModule("a", "installed", "17.0.1.0", "x1"),
        "b", new InstalledModule("b", "installed", "17.0.1.0", "y1"),
        "c", new InstalledModule("c", "installed", "17.0.2.0", null),
        "gone", new InstalledModule("gone", "installed", "17.0.1.0", null),
        "never", new InstalledModule("never", "uninstalled", null, null));
    UpgradePlan plan = new UpgradePlanner("17.0").plan(List.of(
        new ImageModule("a", "1.0", "x1", null), new ImageModule("b", "1.0", "y2", null),
        new ImageModule("c", "1.0", null, null), new ImageModule("never", "1.0", null, null)), db);
    assertThat(plan.modules()).extracting(ModulePlan::name, ModulePlan::action).containsExactly(
        org.assertj.core.groups.Tuple.tuple("a", ModulePlan.Action.UNCHANGED),
        org.assertj.core.groups.Tuple.tuple("b", ModulePlan.Action.UPGRADE),
        org.assertj.core.groups.Tuple.tuple("c", ModulePlan.Action.DOWNGRADE),
        org.assertj.core.groups.Tuple.tuple("gone", ModulePlan.Action.MISSING_FROM_IMAGE),
        org.assertj.core.groups.Tuple.tuple("never", ModulePlan.Action.INSTALLABLE));
    assertThat(plan.modules().get(1).reason()).contains("checksum y1 -> y2");
  }

  private static ImageModule module(String name, String version, List<String> depends) {
    return new ImageModule(name, version, null, null, depends, false, Set.of(), List.of());
  }

  private static ImageModule autoInstall(String name, List<String> depends, Set<String> triggers,
      String... countries) {
    return new ImageModule(name, "1.0", null, null, depends, true, triggers, List.of(countries));
  }

  private static Map<String, InstalledModule> installed(String... names) {
    Map<String, InstalledModule> db = new java.util.LinkedHashMap<>();
    for (String name : names) {
      db.put(name, new InstalledModule(name, "installed", "17.0.1.0", null));
    }
    db.put("crm", new InstalledModule("crm", "uninstalled", null, null));
    return db;
  }

  private static Map<String, ModulePlan> byName(UpgradePlan plan) {
    Map<String, ModulePlan> map = new java.util.TreeMap<>();
    plan.modules().forEach(m -> map.put(m.name(), m));
    return map;
  }

  @Test
  void aNewDependencyIsInstalledWithItsOwnDependenciesNamingWhoNeedsIt() {
    UpgradePlan plan = new UpgradePlanner("17.0").plan(List.of(
        module("acme_sale", "1.1", List.of("sale", "acme_base")),
        module("acme_base", "1.0", List.of("base", "acme_core")),
        module("acme_core", "1.0", List.of("base")),
        module("acme_unused", "1.0", List.of("acme_core")),
        module("crm", "1.0", List.of("base"))),
        installed("base", "sale", "acme_sale"), Set.of("base", "sale", "crm"));
    Map<String, ModulePlan> m = byName(plan);
    assertThat(m.get("acme_sale").action()).isEqualTo(ModulePlan.Action.UPGRADE);
    assertThat(m.get("acme_base")).extracting(ModulePlan::action, ModulePlan::imageVersion, ModulePlan::reason)
        .containsExactly(ModulePlan.Action.INSTALL, "17.0.1.0", "not installed; acme_sale depends on it");
    assertThat(m.get("acme_core")).extracting(ModulePlan::action, ModulePlan::reason)
        .containsExactly(ModulePlan.Action.INSTALL, "not installed; acme_sale needs it through acme_base");
    assertThat(m.get("acme_unused").action()).as("nothing needs it").isEqualTo(ModulePlan.Action.INSTALLABLE);
    assertThat(m.get("crm").action()).isEqualTo(ModulePlan.Action.INSTALLABLE);
    assertThat(plan.names(ModulePlan.Action.INSTALL)).containsExactly("acme_base", "acme_core");
  }

  @Test
  void autoInstallFollowsOdoosRuleAtLeastOneTriggerNewlyInstalled() {
    UpgradePlan plan = new UpgradePlanner("17.0").plan(List.of(
        module("acme_sale", "1.1", List.of("sale", "acme_stock")),
        module("acme_stock", "1.0", List.of("stock")),
        // triggered by acme_stock (new) and sale (installed): Odoo installs it, and its dependencies
        autoInstall("acme_sale_stock", List.of("sale", "acme_stock", "acme_report"), Set.of("sale", "acme_stock")),
        module("acme_report", "1.0", List.of("base")),
        // triggered by the one before: auto_install modules chain
        autoInstall("acme_sale_stock_report", List.of("acme_sale_stock"), Set.of("acme_sale_stock")),
        // every trigger installed already, none newly: Odoo leaves it alone on an upgrade
        autoInstall("acme_sale_crm_bridge", List.of("sale", "stock"), Set.of("sale", "stock")),
        // a trigger that nothing installs
        autoInstall("acme_mrp_bridge", List.of("acme_stock", "mrp"), Set.of("acme_stock", "mrp")),
        // limited to companies of a country, which the plan cannot see
        autoInstall("l10n_be_acme_stock", List.of("acme_stock"), Set.of("acme_stock"), "be")),
        installed("base", "sale", "stock", "acme_sale"), Set.of("base", "sale", "stock", "mrp"));
    Map<String, ModulePlan> m = byName(plan);
    assertThat(plan.names(ModulePlan.Action.INSTALL)).containsExactly("acme_report", "acme_sale_stock",
        "acme_sale_stock_report", "acme_stock");
    assertThat(m.get("acme_sale_stock").reason())
        .isEqualTo("auto_install: its triggers (acme_stock, sale) will all be installed, acme_stock newly");
    assertThat(m.get("acme_report").reason()).isEqualTo("not installed; acme_sale_stock depends on it");
    assertThat(m.get("acme_sale_crm_bridge").action()).isEqualTo(ModulePlan.Action.INSTALLABLE);
    assertThat(m.get("acme_mrp_bridge").action()).isEqualTo(ModulePlan.Action.INSTALLABLE);
    assertThat(m.get("l10n_be_acme_stock")).extracting(ModulePlan::action, ModulePlan::reason).containsExactly(
        ModulePlan.Action.INSTALLABLE, "auto_install once acme_stock is installed, but only for companies in be,"
            + " which the plan does not check: Odoo may install it too");
  }

  @Test
  void aDependencyNeitherInTheImageNorInTheBaseImageIsMissingAndOneOfTheBaseImageIsInstalled() {
    List<ImageModule> image = List.of(module("acme_sale", "1.1", List.of("sale", "sale_stock", "acme_mrp")),
        module("acme_mrp", "1.0", List.of("mrp_plm")));
    UpgradePlan plan = new UpgradePlanner("17.0").plan(image, installed("base", "sale", "acme_sale"),
        Set.of("base", "sale", "sale_stock"));
    Map<String, ModulePlan> m = byName(plan);
    assertThat(m.get("sale_stock")).extracting(ModulePlan::action, ModulePlan::imageVersion, ModulePlan::reason)
        .containsExactly(ModulePlan.Action.INSTALL, null,
            "not installed; acme_sale depends on it; the base image provides it");
    assertThat(m.get("acme_mrp").action()).isEqualTo(ModulePlan.Action.INSTALL);
    assertThat(m.get("mrp_plm")).extracting(ModulePlan::action, ModulePlan::reason).containsExactly(
        ModulePlan.Action.MISSING_DEPENDENCY, "acme_sale needs it through acme_mrp, but it is neither in the image"
            + " nor in the base modules: Odoo refuses to upgrade or install acme_mrp (\"not available in your"
            + " system\"); add mrp_plm to the image or drop the dependency");

    UpgradePlan unknownBase = new UpgradePlanner("17.0").plan(image, installed("base", "sale", "acme_sale"));
    assertThat(byName(unknownBase).get("mrp_plm")).as("without base modules, as the image build assumes")
        .extracting(ModulePlan::action, ModulePlan::reason).containsExactly(ModulePlan.Action.INSTALL,
            "not installed; acme_sale needs it through acme_mrp; not among the release's modules, so taken to come"
                + " from the base image (give the base modules to check it)");
  }

  @Test
  void dependenciesThatCannotBeOdooModuleNamesAreRefused() {
    assertThatThrownBy(() -> module("acme", "1.0", List.of("sale,stock")))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("depends on 'sale,stock'");
    assertThatThrownBy(() -> module("acme", "1.0", List.of("--addons-path=/tmp")))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("not an Odoo module name");
    assertThatThrownBy(() -> autoInstall("acme", List.of("sale"), Set.of("stock")))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("auto_install triggers");
  }

  @Test
  void theReleasesManifestsGiveTheDependenciesAndAutoInstall() throws Exception {
    Path sale = Files.createDirectories(addons.resolve("acme_sale"));
    Files.writeString(sale.resolve("__manifest__.py"), "{'name': 'Acme sale', 'version': '17.0.1.1.0',"
        + " 'depends': ['sale', 'acme_base']}\n");
    Path bridge = Files.createDirectories(addons.resolve("acme_bridge"));
    Files.writeString(bridge.resolve("__manifest__.py"), "{'name': 'Bridge', 'version': '17.0.1.0.0',"
        + " 'depends': ['acme_sale', 'stock'], 'auto_install': ['acme_sale'], 'countries': ['be', 'nl']}\n");
    Map<String, ImageModule> m = new java.util.TreeMap<>();
    ReleaseModules.fromAddons(List.of(addons), null).modules().forEach(x -> m.put(x.name(), x));
    assertThat(m.get("acme_sale").depends()).containsExactly("sale", "acme_base");
    assertThat(m.get("acme_sale").autoInstall()).isFalse();
    assertThat(m.get("acme_bridge")).extracting(ImageModule::autoInstall, ImageModule::autoInstallTriggers,
        ImageModule::countries).containsExactly(true, Set.of("acme_sale"), List.of("be", "nl"));
  }

  @Test
  void refusesAnUnknownSeries() {
    assertThatThrownBy(() -> new UpgradePlanner("seventeen")).isInstanceOf(ReleaseException.class);
  }
}
