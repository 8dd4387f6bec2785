package io.odoogitops.image;

import io.odoogitops.ReleaseException;
import io.odoogitops.odoo.ModuleDiscovery;
import io.odoogitops.odoo.ModuleGraph;
import io.odoogitops.odoo.OdooModule;
import io.odoogitops.odoo.OdooSeries;
import java.util.List;
import java.util.Optional;

/**
 * What goes into an image and how it is identified: the installable modules in dependency order, the Odoo series
 * they declare, and the provenance (revision and source URL, given or read from the git checkout).
 */
record ReleaseContents(ModuleGraph graph, Optional<String> series, Optional<String> revision,
    Optional<String> source) {

  static ReleaseContents of(BuildRequest request) {
    List<OdooModule> discovered = new ModuleDiscovery(request.checksumRules()).discover(request.addonsDirs());
    ModuleGraph graph = ModuleGraph.resolve(discovered, request.baseModules());
    if (graph.inDependencyOrder().isEmpty()) {
      throw ReleaseException.badInput("no installable module in " + request.addonsDirs()
          + "; an addons directory holds one subdirectory per module, each with a __manifest__.py");
    }
    SourceInfo git = SourceInfo.of(request.addonsDirs().get(0));
    return new ReleaseContents(graph, OdooSeries.of(graph.inDependencyOrder()), request.revision().or(git::revision),
        request.source().or(git::url));
  }

  List<OdooModule> modules() {
    return graph.inDependencyOrder();
  }

  List<BuiltModule> builtModules() {
    return modules().stream().map(m -> new BuiltModule(m.name(), m.version(), m.checksum())).toList();
  }

  /** {@code <series>-<first 7 of the revision>}: the default tag and the image's version label. */
  Optional<String> version() {
    return series.flatMap(s -> revision.map(r -> s + "-" + (r.length() > 7 ? r.substring(0, 7) : r)));
  }

  /** The requested tags, or the version when none is requested. */
  List<String> tags(List<String> requested) {
    List<String> tags = requested.isEmpty() ? version().map(List::of).orElseThrow(() ->
        ReleaseException.badInput("no --tag given and the default tag <odoo-series>-<short-revision> is unknown: "
            + (series.isEmpty() ? "no module version names its Odoo series (e.g. 17.0.1.0.0)"
                : "the revision is unknown (not a git checkout; pass --revision)")
            + "; pass --tag"))
        : requested.stream().distinct().toList();
    for (String tag : tags) {
      if (!com.google.cloud.tools.jib.api.ImageReference.isValidTag(tag)) {
        throw ReleaseException.badInput("'" + tag + "' is not a valid tag (letters, digits, '_', '.', '-'; at most "
            + "128 characters, not starting with '.' or '-')");
      }
    }
    return tags;
  }
}
