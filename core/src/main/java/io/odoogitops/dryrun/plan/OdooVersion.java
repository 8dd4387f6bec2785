package io.odoogitops.dryrun.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Odoo's module version rules (odoo/modules/migration.py, odoo/tools/parse_version.py), restated:
 * <ul>
 *   <li>a manifest version without the series is prefixed with it: {@code 1.2} on 17.0 is {@code 17.0.1.2};</li>
 *   <li>a migrations folder is a version with 2 or 3 parts, optionally series-prefixed; {@code 0.0.0} runs on every
 *   version change;</li>
 *   <li>versions compare part by part numerically, trailing zeros ignored ({@code 1.0 == 1.0.0}).</li>
 * </ul>
 */
public final class OdooVersion implements Comparable<OdooVersion> {

  /** Folder names Odoo accepts under {@code migrations/} (its VERSION_RE, minus saas series). */
  static final Pattern FOLDER = Pattern.compile("^((6\\.1|[6-9]\\.0|[1-9]\\d+\\.0|saas~\\d+\\.\\d+)\\.)?\\d+\\.\\d+(\\.\\d+)?$");

  public static final String ANY_CHANGE = "0.0.0";

  private final String text;
  private final List<String> parts;

  private OdooVersion(String text) {
    this.text = text;
    List<String> split = new ArrayList<>(List.of(text.split("\\.")));
    while (split.size() > 1 && split.get(split.size() - 1).matches("0+")) {
      split.remove(split.size() - 1);
    }
    this.parts = split;
  }

  public static OdooVersion parse(String text) {
    return new OdooVersion(text == null ? "" : text.trim());
  }

  /** Odoo's adapt_version: prefixes {@code series} unless already there. */
  public static String adapt(String series, String version) {
    if (version.equals(series) || !version.startsWith(series + ".")) {
      return series + "." + version;
    }
    return version;
  }

  /** Odoo's convert_version for migration folders: more than two dots means the series is already included. */
  static String convertFolder(String series, String folder) {
    if (folder.equals(ANY_CHANGE) || folder.chars().filter(ch -> ch == '.').count() > 2) {
      return folder;
    }
    return series + "." + folder;
  }

  /** Without the two series parts, for comparing major-less folders across series. */
  OdooVersion withoutSeries() {
    List<String> all = List.of(text.split("\\."));
    return new OdooVersion(all.size() > 2 ? String.join(".", all.subList(2, all.size())) : "0");
  }

  @Override
  public int compareTo(OdooVersion other) {
    for (int i = 0; i < Math.max(parts.size(), other.parts.size()); i++) {
      String a = i < parts.size() ? parts.get(i) : "0";
      String b = i < other.parts.size() ? other.parts.get(i) : "0";
      int cmp = a.matches("\\d+") && b.matches("\\d+")
          ? Long.compare(Long.parseLong(a), Long.parseLong(b)) : a.compareTo(b);
      if (cmp != 0) {
        return cmp;
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OdooVersion v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    return parts.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
