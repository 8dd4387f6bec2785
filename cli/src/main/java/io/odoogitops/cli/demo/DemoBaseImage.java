package io.odoogitops.cli.demo;

import io.odoogitops.image.BaseArchive;
import io.odoogitops.image.ImageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in for the official Odoo image, written as a local archive so the demo builds without any registry. It
 * carries the layout and settings the real one has (user, entrypoint, config path), not Odoo itself: the demo proves
 * the pipeline, it does not run Odoo.
 */
final class DemoBaseImage {

  static final String NAME = "odoo-gitops/demo-odoo-base:17.0";

  private DemoBaseImage() {}

  /** Writes the archive under {@code dir}; returns its path. */
  static Path write(Path dir) throws IOException {
    Path rootfs = dir.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("etc/odoo"));
    Files.createDirectories(rootfs.resolve("usr/bin"));
    Files.writeString(rootfs.resolve("etc/odoo/odoo.conf"), "[options]\naddons_path = /usr/lib/python3/dist-packages/odoo/addons\n");
    Path entrypoint = Files.writeString(rootfs.resolve("entrypoint.sh"),
        "#!/bin/sh\necho 'stand-in base image of the odoo-gitops demo: it carries no Odoo'\nexit 1\n");
    entrypoint.toFile().setExecutable(true);
    Path archive = dir.resolve("demo-odoo-base.tar");
    BaseArchive.write(rootfs, NAME, ImageConfig.builder().user("odoo").entrypoint(List.of("/entrypoint.sh"))
        .command(List.of("odoo")).environment("ODOO_RC", "/etc/odoo/odoo.conf").build(), archive);
    return archive;
  }
}
