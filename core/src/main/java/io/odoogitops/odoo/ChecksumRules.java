package io.odoogitops.odoo;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which files of a module count for its checksum, as OCA's {@code module_auto_update} and acsone's
 * {@code click-odoo-update} decide it: exclusion patterns (stored in the database parameter
 * {@code module_auto_update.exclude_patterns}, comma-separated) and the active languages, whose {@code .po} files
 * are the only ones kept under {@code i18n/} and {@code i18n_extra/} (none are dropped when the list is empty).
 *
 * <p>A dry-run reading {@code module_auto_update.installed_checksums} from a database should build its rules with
 * {@link #fromDatabase(String, Collection)} from the same database, or the checksums will not be comparable.
 */
public record ChecksumRules(List<FileNamePattern> excludePatterns, Set<String> keepLanguages) {

  /** {@code module_auto_update}'s default value of {@code module_auto_update.exclude_patterns}. */
  public static final String MODULE_AUTO_UPDATE_PATTERNS = "*.pyc,*.pyo,i18n/*.pot,i18n_extra/*.pot,static/*";

  /** {@code click-odoo-update}'s default, which also ignores the tests. */
  public static final String CLICK_ODOO_UPDATE_PATTERNS = MODULE_AUTO_UPDATE_PATTERNS + ",tests/*";

  public ChecksumRules {
    excludePatterns = List.copyOf(excludePatterns);
    // Only the language part counts: 'fr_BE' keeps fr.po, fr_BE.po and fr_CA.po, exactly as upstream does.
    keepLanguages = keepLanguages.stream().map(code -> code.split("_", -1)[0]).collect(Collectors.toUnmodifiableSet());
  }

  /** module_auto_update's defaults, keeping every language: what an image records when no database is known. */
  public static ChecksumRules moduleAutoUpdateDefaults() {
    return fromDatabase(MODULE_AUTO_UPDATE_PATTERNS, List.of());
  }

  /** click-odoo-update's defaults, keeping every language. */
  public static ChecksumRules clickOdooUpdateDefaults() {
    return fromDatabase(CLICK_ODOO_UPDATE_PATTERNS, List.of());
  }

  /**
   * Rules as the upstream tools derive them from a database.
   *
   * @param excludePatterns the value of {@code module_auto_update.exclude_patterns} (or one of the defaults above)
   * @param activeLanguages {@code SELECT code FROM res_lang WHERE active}
   */
  public static ChecksumRules fromDatabase(String excludePatterns, Collection<String> activeLanguages) {
    List<FileNamePattern> patterns = Arrays.stream(excludePatterns.split(",", -1))
        .map(String::strip)
        .map(FileNamePattern::of)
        .toList();
    return new ChecksumRules(patterns, Set.copyOf(activeLanguages));
  }

  boolean excludes(String relativePath) {
    return excludePatterns.stream().anyMatch(p -> p.matches(relativePath));
  }

  /** The language filter: applies only to {@code .po} files directly under {@code i18n/} or {@code i18n_extra/}. */
  boolean dropsTranslation(String directory, String fileName) {
    if (keepLanguages.isEmpty() || !(directory.equals("i18n") || directory.equals("i18n_extra"))) {
      return false;
    }
    String[] nameAndExtension = PythonPaths.splitExtension(fileName);
    if (!nameAndExtension[1].equals(".po")) {
      return false;
    }
    return !keepLanguages.contains(nameAndExtension[0].split("_", -1)[0]);
  }

  @Override
  public String toString() {
    return "exclude " + excludePatterns + (keepLanguages.isEmpty() ? ", all languages"
        : ", languages " + keepLanguages.stream().sorted().collect(Collectors.joining(",")).toLowerCase(Locale.ROOT));
  }
}
