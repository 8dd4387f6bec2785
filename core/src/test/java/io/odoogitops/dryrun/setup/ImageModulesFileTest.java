package io.odoogitops.dryrun.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.plan.ImageModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image modules file carries what the plan needs to tell which modules the upgrade installs. */
class ImageModulesFileTest {

  @TempDir
  Path dir;

  private List<ImageModule> read(String json) throws Exception {
    return ImageModulesFile.read(Files.writeString(dir.resolve("modules.json"), json));
  }

  @Test
  void dependsAndAutoInstallAreReadAsAManifestSaysThem() throws Exception {
    List<ImageModule> modules = read("""
        [{"name": "acme_sale", "version": "1.1", "depends": ["sale", "acme_base"]},
         {"name": "acme_bridge", "version": "1.0", "depends": ["sale", "stock"], "autoInstall": true},
         {"name": "acme_be", "version": "1.0", "depends": ["acme_sale", "l10n_be"], "autoInstall": ["acme_sale"],
          "countries": ["be"]},
         {"name": "legacy", "version": "1.0", "path": "legacy"}]""");
    assertThat(modules).extracting(ImageModule::name, ImageModule::autoInstall, ImageModule::autoInstallTriggers)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("acme_sale", false, Set.of()),
            org.assertj.core.groups.Tuple.tuple("acme_bridge", true, Set.of("sale", "stock")),
            org.assertj.core.groups.Tuple.tuple("acme_be", true, Set.of("acme_sale")),
            org.assertj.core.groups.Tuple.tuple("legacy", false, Set.of()));
    assertThat(modules.get(0).depends()).containsExactly("sale", "acme_base");
    assertThat(modules.get(2).countries()).containsExactly("be");
    assertThat(modules.get(3).directory()).isEqualTo(dir.resolve("legacy"));
  }

  @Test
  void whatCannotBeAManifestsDependenciesIsRefused() {
    assertThatThrownBy(() -> read("[{\"name\": \"a\", \"version\": \"1.0\", \"autoInstall\": \"yes\"}]"))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("must be true, false or a list");
    assertThatThrownBy(() -> read("[{\"name\": \"a\", \"version\": \"1.0\", \"depends\": [\"sale\"],"
        + " \"autoInstall\": [\"stock\"]}]")).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("auto_install triggers [stock] are not all in its depends [sale]");
    assertThatThrownBy(() -> read("[{\"name\": \"a\", \"version\": \"1.0\", \"depends\": [\"sale,stock\"]}]"))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("modules.json: module a depends on 'sale,stock'");
    assertThatThrownBy(() -> read("[{\"name\": \"a\", \"version\": \"1.0\", \"depends\": [null]}]"))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("must list names");
  }
}
