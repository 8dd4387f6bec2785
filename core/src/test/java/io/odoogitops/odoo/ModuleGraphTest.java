package io.odoogitops.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleGraphTest {

  @TempDir Path dir;

  @Test
  void ordersDependenciesFirstWithNameAsTieBreakAndLeavesOutUninstallableModules() throws IOException {
    Path repoA = dir.resolve("repo-a");
    Path repoB = dir.resolve("repo-b");
    module(repoA, "sale_ext", "'17.0.1.0.0'", "['sale', 'base_ext']", true);
    module(repoA, "base_ext", "'17.0.1.0.0'", "['base']", true);
    module(repoB, "report_x", "'17.0.2.0.0'", "['sale_ext', 'account']", true);
    module(repoB, "another", "'17.0.1.0.0'", "['base']", true);
    module(repoB, "old_stuff", "'17.0.1.0.0'", "['base']", false);

    List<OdooModule> found = ModuleDiscovery.withDefaultChecksums().discover(List.of(repoA, repoB));
    ModuleGraph graph = ModuleGraph.resolve(found, BaseModules.assumeAnyMissing());

    assertThat(graph.inDependencyOrder()).extracting(OdooModule::name)
        .containsExactly("another", "base_ext", "sale_ext", "report_x");
    assertThat(graph.notInstallable()).extracting(OdooModule::name).containsExactly("old_stuff");
    assertThat(graph.fromBase()).containsExactly("account", "base", "sale");
    assertThat(graph.dependenciesOf("report_x")).containsExactly("account", "base", "base_ext", "sale", "sale_ext");
    assertThat(graph.dependentsOf("base_ext")).containsExactly("report_x", "sale_ext");
    assertThat(OdooSeries.of(found)).contains("17.0");
    assertThat(found).allSatisfy(m -> assertThat(m.checksum()).hasSize(40));
  }

  @Test
  void reportsMissingDependenciesWithTheirChainAndEveryCycle() throws IOException {
    module(dir, "top", "'1.0'", "['middle']", true);
    module(dir, "middle", "'1.0'", "['gone', 'off']", true);
    module(dir, "off", "'1.0'", "[]", false);
    module(dir, "a", "'1.0'", "['b']", true);
    module(dir, "b", "'1.0'", "['c']", true);
    module(dir, "c", "'1.0'", "['a', 'base']", true);

    List<OdooModule> found = ModuleDiscovery.withDefaultChecksums().discover(List.of(dir));

    assertThatThrownBy(() -> ModuleGraph.resolve(found, BaseModules.exactly(Set.of("base"))))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageContaining("top -> middle -> gone: 'gone' is in none of the addons directories nor in the base"
            + " image (declared in " + dir.resolve("middle/__manifest__.py") + ":1:")
        .hasMessageContaining("top -> middle -> off: 'off' is not installable (installable: False in "
            + dir.resolve("off/__manifest__.py") + ":1:")
        .hasMessageContaining("dependency cycle: a -> b -> c -> a");
  }

  @Test
  void refusesTheSameModuleInTwoAddonsDirectories() throws IOException {
    module(dir.resolve("one"), "dup", "'1.0'", "[]", true);
    module(dir.resolve("two"), "dup", "'1.0'", "[]", true);

    assertThatThrownBy(() -> ModuleDiscovery.withDefaultChecksums().discover(
        List.of(dir.resolve("one"), dir.resolve("two"))))
        .hasMessage("module 'dup' is found twice: in " + dir.resolve("one/dup") + " and in " + dir.resolve("two/dup")
            + "; remove one copy or drop one of the addons directories");
  }

  @Test
  void explainsAModuleDirectoryPassedAsAddonsDirectoryAndAMissingOne() throws IOException {
    Path module = module(dir, "m", "'1.0'", "[]", true);

    assertThatThrownBy(() -> ModuleDiscovery.withDefaultChecksums().discover(List.of(module)))
        .hasMessageContaining("is itself a module").hasMessageContaining("pass the directory that contains it");
    assertThatThrownBy(() -> ModuleDiscovery.withDefaultChecksums().discover(List.of(dir.resolve("nope"))))
        .hasMessageContaining("does not exist");
  }

  @Test
  void acceptsLegacyOpenerpManifestsAndRefusesMixedSeries() throws IOException {
    Path legacy = Files.createDirectories(dir.resolve("legacy_mod"));
    Files.writeString(legacy.resolve("__openerp__.py"), "{'version': '8.0.1.0.0'}");
    module(dir, "new_mod", "'17.0.1.0.0'", "[]", true);

    List<OdooModule> found = ModuleDiscovery.withDefaultChecksums().discover(List.of(dir));

    assertThat(found).extracting(OdooModule::name).containsExactly("legacy_mod", "new_mod");
    assertThatThrownBy(() -> OdooSeries.of(found))
        .hasMessageContaining("modules of different Odoo series are mixed: 17.0 (e.g. new_mod 17.0.1.0.0), "
            + "8.0 (e.g. legacy_mod 8.0.1.0.0)");
    assertThat(OdooSeries.ofVersion("1.0")).isEmpty();
    assertThat(OdooSeries.adaptVersion("1.2", "17.0")).isEqualTo("17.0.1.2");
    assertThat(OdooSeries.adaptVersion("17.0.1.2.0", "17.0")).isEqualTo("17.0.1.2.0");
    assertThat(OdooSeries.adaptVersion("17.0", "17.0")).isEqualTo("17.0.17.0");
  }

  @Test
  void namesTheFileOfABrokenManifest() throws IOException {
    Path broken = Files.createDirectories(dir.resolve("broken"));
    Files.writeString(broken.resolve("__manifest__.py"), "{\n  'depends': [base],\n}\n");

    assertThatThrownBy(() -> ModuleDiscovery.withDefaultChecksums().discover(List.of(dir)))
        .hasMessageStartingWith(broken.resolve("__manifest__.py") + ":2:15: 'base' is not a literal");
  }

  static Path module(Path addons, String name, String version, String depends, boolean installable)
      throws IOException {
    Path moduleDir = Files.createDirectories(addons.resolve(name));
    Files.writeString(moduleDir.resolve("__manifest__.py"), "{'name': '" + name + "', 'version': " + version
        + ", 'depends': " + depends + ", 'installable': " + (installable ? "True" : "False") + "}\n");
    Files.writeString(moduleDir.resolve("__init__.py"), "");
    return moduleDir;
  }
}
