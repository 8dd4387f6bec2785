package io.odoogitops.dryrun.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  @Test
  void refusesAnUnknownSeries() {
    assertThatThrownBy(() -> new UpgradePlanner("seventeen")).isInstanceOf(ReleaseException.class);
  }
}
