package io.odoogitops.dryrun.plan;

import io.odoogitops.ReleaseException;
import io.odoogitops.odoo.Manifest;
import io.odoogitops.odoo.ModuleDiscovery;
import io.odoogitops.odoo.OdooModule;
import io.odoogitops.odoo.OdooSeries;
import io.odoogitops.odoo.PyLiteral;
import java.nio.file.Path;
import java.util.List;

/**
 * The modules a release ships, read from the same addons directories the image is built from, with the same
 * manifest parser and the same OCA checksums — so the upgrade plan compares the database with exactly what the image
 * holds, and knows what each module depends on.
 *
 * @param series the Odoo series of the modules' versions, e.g. {@code 17.0}
 */
public record ReleaseModules(String series, List<ImageModule> modules) {

  public ReleaseModules {
    modules = List.copyOf(modules);
  }

  /** Discovers the installable modules under {@code addonsDirs}; {@code series} null means "from the versions". */
  public static ReleaseModules fromAddons(List<Path> addonsDirs, String series) {
    List<OdooModule> found = ModuleDiscovery.withDefaultChecksums().discover(addonsDirs).stream()
        .filter(OdooModule::installable).toList();
    String resolved = series != null ? series : OdooSeries.of(found).orElseThrow(() -> ReleaseException.badInput(
        "cannot tell the Odoo series from the module versions under " + addonsDirs + " (they do not start with a"
            + " series such as 17.0.); pass --odoo-series"));
    return new ReleaseModules(resolved, found.stream()
        .map(ReleaseModules::imageModule).toList());
  }

  private static ImageModule imageModule(OdooModule m) {
    Manifest manifest = m.manifest();
    List<String> countries = manifest.literal().get("countries")
        .filter(PyLiteral.Sequence.class::isInstance).map(v -> ((PyLiteral.Sequence) v).items().stream()
            .filter(PyLiteral.Str.class::isInstance).map(c -> ((PyLiteral.Str) c).value()).toList())
        .orElse(List.of());
    return new ImageModule(m.name(), m.version(), m.checksum(), m.path(), manifest.depends(), manifest.autoInstall(),
        manifest.autoInstallTriggers(), countries);
  }
}
