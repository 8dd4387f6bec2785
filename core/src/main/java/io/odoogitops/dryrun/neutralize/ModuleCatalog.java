package io.odoogitops.dryrun.neutralize;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.image.ImageArchive;
import io.odoogitops.image.ImageFiles;
import io.odoogitops.image.ImageInRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The module directories of {@link ModuleSources}, searched in their order. */
final class ModuleCatalog {

  static final String NEUTRALIZE_SQL = "data/neutralize.sql";
  /** Odoo module names are Python identifiers; anything else from a database is not used to build a path. */
  private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_]{1,128}");
  private static final List<String> MANIFESTS = List.of("__manifest__.py", "__openerp__.py");
  private static final String ODOO_BASE_MANIFEST = "/addons/base/__manifest__.py";
  /** A file only the odoo package has: tells Odoo's bundled addons from any directory named odoo/addons. */
  private static final String ODOO_PACKAGE_MARK = "/odoo/release.py";
  /** Where the official image and Odoo itself look for odoo.conf when ODOO_RC is not set. */
  private static final String DEFAULT_RC = "/etc/odoo/odoo.conf";

  /**
   * A module's code, found.
   *
   * @param origin which source it came from, for the report
   * @param neutralizeSql the content of its {@code data/neutralize.sql}; empty when it has none
   */
  record Found(String module, String origin, Optional<String> neutralizeSql) {
  }

  private interface Root {
    Optional<Found> find(String module);
  }

  private final List<Root> roots;

  private ModuleCatalog(List<Root> roots) {
    this.roots = List.copyOf(roots);
  }

  static ModuleCatalog open(ModuleSources sources) {
    List<Root> roots = new ArrayList<>();
    sources.addonsDirs().forEach(dir -> roots.add(module -> inAddonsDir(dir, module)));
    for (Path archive : sources.imageArchives()) {
      ImageArchive image = ImageArchive.open(archive);
      roots.addAll(imageRoots(image.digest(), image.environment(), image::files));
    }
    for (ModuleSources.RegistryImage reference : sources.registryImages()) {
      ImageInRegistry image = ImageInRegistry.open(reference.reference().pinned(), reference.credentials(),
          reference.insecure());
      roots.addAll(imageRoots(image.digest(), image.environment(), image::files));
    }
    return new ModuleCatalog(roots);
  }

  /** The module from the first source holding it, or empty when none does. */
  Optional<Found> find(String module) {
    if (!MODULE_NAME.matcher(module).matches()) {
      throw ReleaseException.badInput("the database lists an installed module named '" + abbreviate(module)
          + "', which is not a valid Odoo module name; refusing to look for its files");
    }
    for (Root root : roots) {
      Optional<Found> found = root.find(module);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<Found> inAddonsDir(Path dir, String module) {
    Path moduleDir = dir.resolve(module);
    if (MANIFESTS.stream().noneMatch(m -> Files.isRegularFile(moduleDir.resolve(m)))) {
      return Optional.empty();
    }
    Path sql = moduleDir.resolve(NEUTRALIZE_SQL);
    String origin = "addons directory " + dir;
    if (!Files.exists(sql, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(new Found(module, origin, Optional.empty()));
    }
    try {
      Path real = sql.toRealPath();
      if (!real.startsWith(moduleDir.toRealPath()) || !Files.isRegularFile(real)) {
        throw ReleaseException.badInput(sql + " is not a regular file inside module " + module + " (it leads to "
            + real + "); neutralization scripts are read from the module's own files only");
      }
      long size = Files.size(real);
      if (size > ImageFiles.MAX_FILE_BYTES) {
        throw ReleaseException.badInput(sql + " is " + size + " bytes; neutralization scripts are limited to "
            + ImageFiles.MAX_FILE_BYTES + " bytes");
      }
      return Optional.of(new Found(module, origin, Optional.of(utf8(Files.readAllBytes(real), sql.toString()))));
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read " + sql + " (" + e.getMessage() + "); check its permissions");
    }
  }

  /**
   * Odoo's search order inside an image: the {@code odoo/addons} directory of the installed Odoo (which holds
   * {@code base}, and every bundled addon in the official image), then the {@code addons_path} of its configuration
   * file ({@code $ODOO_RC}, else {@value #DEFAULT_RC}).
   */
  private static List<Root> imageRoots(ImageDigest digest, Map<String, String> environment,
      BiFunction<Predicate<String>, Predicate<String>, ImageFiles> reader) {
    String rc = environment.getOrDefault("ODOO_RC", DEFAULT_RC);
    ImageFiles files = reader.apply(
        path -> MANIFESTS.stream().anyMatch(m -> path.endsWith("/" + m)) || path.endsWith(ODOO_PACKAGE_MARK),
        path -> path.endsWith("/" + NEUTRALIZE_SQL) || path.equals(rc) || path.endsWith("/odoo.conf"));
    Set<String> dirs = new LinkedHashSet<>();
    for (String file : files.files()) {
      // the odoo package itself, not any addons directory that happens to be called odoo/addons
      String odooPackage = file.substring(0, Math.max(0, file.length() - ODOO_BASE_MANIFEST.length()));
      if (file.endsWith("/odoo" + ODOO_BASE_MANIFEST) && files.isFile(odooPackage + "/release.py")) {
        dirs.add(odooPackage + "/addons");
      }
    }
    files.text(rc).ifPresent(conf -> dirs.addAll(addonsPath(conf)));
    String image = "image " + digest.shortForm();
    List<Root> roots = new ArrayList<>();
    for (String dir : dirs) {
      roots.add(module -> inImage(files, dir, module, image + " " + dir));
    }
    return roots;
  }

  private static Optional<Found> inImage(ImageFiles files, String dir, String module, String origin) {
    String moduleDir = dir + "/" + module;
    if (MANIFESTS.stream().noneMatch(m -> files.isFile(moduleDir + "/" + m))) {
      return Optional.empty();
    }
    return Optional.of(new Found(module, origin, files.text(moduleDir + "/" + NEUTRALIZE_SQL)));
  }

  /** The {@code addons_path} of the {@code [options]} section, absolute paths only (relative ones depend on cwd). */
  static List<String> addonsPath(String conf) {
    List<String> paths = new ArrayList<>();
    boolean options = false;
    for (String raw : conf.split("\\R")) {
      String line = raw.strip();
      if (line.startsWith("[")) {
        options = line.equals("[options]");
      } else if (options && line.matches("addons_path\\s*[=:].*")) {
        paths.clear();
        for (String path : line.substring(line.indexOf(line.contains("=") ? '=' : ':') + 1).split(",")) {
          String trimmed = path.strip().replaceAll("/+$", "");
          if (trimmed.startsWith("/")) {
            paths.add(trimmed);
          }
        }
      }
    }
    return paths;
  }

  private static String utf8(byte[] bytes, String where) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw ReleaseException.badInput(where + " is not UTF-8 text");
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }
}
