package io.odoogitops.gitops.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The switch to a restored database: one scalar replaced, its quoting kept, every other byte as it was. */
class DatabaseSwitchTest {

  private static String set(String yaml, String path, String value) {
    return new String(DatabaseSwitch.set("envs/production/values.yaml", yaml.getBytes(StandardCharsets.UTF_8), path,
        value), StandardCharsets.UTF_8);
  }

  @Test
  void onlyTheScalarChangesWhateverItsStyle() {
    String yaml = "# production\r\nodoo:\r\n  database:\r\n    host: 'odoo-db-rw'   # live\r\n    name: odoo\r\n"
        + "extra: { db: \"odoo\" }\r\n";

    assertThat(set(yaml, "odoo.database.host", "odoo-db-restore-1-rw.shop.svc"))
        .isEqualTo(yaml.replace("'odoo-db-rw'", "'odoo-db-restore-1-rw.shop.svc'"));
    assertThat(set(yaml, "odoo.database.name", "odoo_20261130021500"))
        .isEqualTo(yaml.replace("name: odoo\r", "name: odoo_20261130021500\r"));
    assertThat(set(yaml, "extra.db", "odoo_2")).isEqualTo(yaml.replace("\"odoo\"", "\"odoo_2\""));
    assertThat(DatabaseSwitch.read("values.yaml", yaml.getBytes(StandardCharsets.UTF_8), "odoo.database.host"))
        .contains("odoo-db-rw");
  }

  @Test
  void aMissingKeyOrAMappingIsRefusedNotGuessed() {
    String yaml = "odoo:\n  database:\n    host: db\n";

    assertThatThrownBy(() -> set(yaml, "odoo.database.port", "5432")).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("no scalar at 'odoo.database.port' (restore.switch.path");
    assertThatThrownBy(() -> set(yaml, "odoo.database", "x")).hasMessageContaining("no scalar at 'odoo.database'");
  }
}
