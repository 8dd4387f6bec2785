package io.odoogitops.dryrun.neutralize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.image.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a module's code is found: Odoo's search order inside an image, addons directories first, hostile names. */
class ModuleCatalogTest {

  static final String ODOO = "usr/lib/python3/dist-packages/odoo/addons/";

  @TempDir Path dir;

  private Path image() throws Exception {
    return TestImages.dockerSave(dir.resolve("image.tar"), List.of("ODOO_RC=/etc/odoo/custom.conf"),
        TestImages.layer()
            .file(ODOO + "base/__manifest__.py", "{}")
            .file(ODOO + "base/data/neutralize.sql", "-- odoo's base\n")
            .file("usr/lib/python3/dist-packages/odoo/release.py", "version_info = (17, 0)\n")
            .file(ODOO + "mail/__manifest__.py", "{}")
            .file("etc/odoo/odoo.conf", "[options]\naddons_path = /ignored\n")
            .file("etc/odoo/custom.conf", "[other]\naddons_path = /nope\n[options]\n"
                + "addons_path = /opt/odoo/addons/ , relative/dir,/mnt/extra-addons\n"),
        TestImages.layer().gzip()
            .file("opt/odoo/addons/base/__manifest__.py", "{}")
            .file("opt/odoo/addons/base/data/neutralize.sql", "-- shadowed by odoo's own base\n")
            .file("opt/odoo/addons/acme/__openerp__.py", "{}")
            .file("opt/odoo/addons/acme/data/neutralize.sql", "-- acme from the image\n")
            .file("mnt/extra-addons/extra/__manifest__.py", "{}")
            .file("mnt/extra-addons/nomanifest/data/neutralize.sql", "-- not a module\n")
            .file("ignored/hidden/__manifest__.py", "{}"));
  }

  @Test
  void searchesTheAddonsDirectoriesThenTheImageInOdoosOrder() throws Exception {
    Path addons = NeutralizeFixtures.addons(dir.resolve("addons"), Map.of("acme", "-- acme from the checkout\n"));
    ModuleCatalog catalog = ModuleSources.of(List.of(addons), List.of(image())).open();

    assertThat(catalog.find("acme")).hasValueSatisfying(m -> {
      assertThat(m.origin()).isEqualTo("addons directory " + addons);
      assertThat(m.neutralizeSql()).contains("-- acme from the checkout\n");
    });
    assertThat(catalog.find("base")).hasValueSatisfying(m -> {
      assertThat(m.origin()).startsWith("image sha256:").endsWith(" /" + ODOO.substring(0, ODOO.length() - 1));
      assertThat(m.neutralizeSql()).contains("-- odoo's base\n");
    });
    assertThat(catalog.find("mail")).hasValueSatisfying(m -> assertThat(m.neutralizeSql()).isEmpty());
    assertThat(catalog.find("extra")).hasValueSatisfying(m -> assertThat(m.origin()).endsWith(" /mnt/extra-addons"));
    assertThat(catalog.find("nomanifest")).as("a directory without a manifest is no module").isEmpty();
    assertThat(catalog.find("hidden")).as("not on the addons_path of $ODOO_RC").isEmpty();

    ModuleCatalog imageOnly = ModuleSources.of(List.of(), List.of(image())).open();
    assertThat(imageOnly.find("acme")).hasValueSatisfying(m -> {
      assertThat(m.origin()).endsWith(" /opt/odoo/addons");
      assertThat(m.neutralizeSql()).contains("-- acme from the image\n");
    });
  }

  @Test
  void parsesTheAddonsPathOfTheOptionsSectionOnly() {
    assertThat(ModuleCatalog.addonsPath("[options]\naddons_path=/a,/b/\n[x]\naddons_path = /c\n"))
        .containsExactly("/a", "/b");
    assertThat(ModuleCatalog.addonsPath("addons_path = /a\n")).isEmpty();
  }

  @Test
  void refusesHostileModuleNamesAndScriptsLeavingTheirModule() throws Exception {
    Path addons = NeutralizeFixtures.addons(dir.resolve("addons"), Map.of("shop", "-- ok\n", "other", "-- other\n"));
    Path outside = Files.writeString(dir.resolve("secret.txt"), "password=hunter2");
    Path sql = addons.resolve("shop/data/neutralize.sql");
    Files.delete(sql);
    Files.createSymbolicLink(sql, outside);
    ModuleCatalog catalog = ModuleSources.addonsDirs(addons).open();

    assertThatThrownBy(() -> catalog.find("../../etc"))
        .isInstanceOfSatisfying(ReleaseException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("which is not a valid Odoo module name");
    assertThatThrownBy(() -> catalog.find("shop"))
        .hasMessageContaining("is not a regular file inside module shop")
        .hasMessageNotContaining("hunter2");
    assertThat(catalog.find("other")).hasValueSatisfying(m -> assertThat(m.neutralizeSql()).contains("-- other\n"));
  }

  @Test
  void refusesSourcesThatDoNotExistBeforeAnythingIsCloned() {
    assertThatThrownBy(() -> ModuleSources.addonsDirs(dir.resolve("nope")))
        .hasMessageContaining("addons directory " + dir.resolve("nope") + " does not exist");
    assertThatThrownBy(() -> ModuleSources.of(List.of(), List.of(dir.resolve("nope.tar"))))
        .hasMessageContaining("image archive " + dir.resolve("nope.tar") + " does not exist");
  }
}
