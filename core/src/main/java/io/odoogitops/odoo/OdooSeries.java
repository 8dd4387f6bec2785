package io.odoogitops.odoo;

import io.odoogitops.ReleaseException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Odoo series ({@code 17.0}, {@code saas~17.2} aside) that modules are written for, read from versions in the
 * OCA/Odoo five-part form {@code <series>.<x>.<y>.<z>}, e.g. {@code 17.0.1.2.0}. Short versions such as {@code 1.0}
 * say nothing about the series and are ignored.
 */
public final class OdooSeries {

  private static final Pattern FULL_VERSION = Pattern.compile("(\\d+\\.\\d+)\\.\\d+\\.\\d+\\.\\d+");

  private OdooSeries() {}

  /**
   * The version as Odoo stores it in {@code ir_module_module.latest_version} and compares it for migration scripts:
   * prefixed with the series unless it already starts with it ({@code 1.2} becomes {@code 17.0.1.2}; Odoo's
   * {@code adapt_version}).
   */
  public static String adaptVersion(String version, String series) {
    if (version.equals(series) || !version.startsWith(series + ".")) {
      return series + "." + version;
    }
    return version;
  }

  /** The series of one version string, if it carries one. */
  public static Optional<String> ofVersion(String version) {
    Matcher m = FULL_VERSION.matcher(version);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * The one series all these modules declare.
   *
   * @return empty when no module has a five-part version
   * @throws ReleaseException (bad input) when modules of different series are mixed
   */
  public static Optional<String> of(Collection<OdooModule> modules) {
    Map<String, String> exampleBySeries = new TreeMap<>();
    for (OdooModule module : modules) {
      ofVersion(module.version()).ifPresent(series ->
          exampleBySeries.putIfAbsent(series, module.name() + " " + module.version()));
    }
    if (exampleBySeries.size() > 1) {
      throw ReleaseException.badInput("modules of different Odoo series are mixed: "
          + exampleBySeries.entrySet().stream().map(e -> e.getKey() + " (e.g. " + e.getValue() + ")")
              .collect(Collectors.joining(", "))
          + "; an image holds modules of one series only");
    }
    return exampleBySeries.keySet().stream().findFirst();
  }
}
