package io.odoogitops.odoo;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * The checksum OCA's {@code module_auto_update} and {@code click-odoo-update} store per installed module in
 * {@code module_auto_update.installed_checksums}: SHA-1 over, for each selected file, its relative path (UTF-8,
 * {@code /}-separated) followed by its bytes. Files are visited as Python's {@code os.walk} visits them with sorted
 * directory names: a directory's files in code-point order, then its subdirectories in the same order; symbolic
 * links to directories are not entered, links to files are read through. Links leaving the module, broken links and
 * special files are refused ({@link ModuleLinks}).
 *
 * <p>One deliberate difference: where {@code os.walk} silently skips a directory it cannot list, this fails, because
 * a checksum over a partly read module would claim a state that is not on disk.
 */
public final class AddonChecksum {

  private AddonChecksum() {}

  /** The hex SHA-1 of a module directory under {@code rules}. */
  public static String of(Path moduleDir, ChecksumRules rules) {
    MessageDigest sha1 = sha1();
    byte[] buffer = new byte[64 * 1024];
    walk(moduleDir, rules, relative -> {
      sha1.update(relative.getBytes(StandardCharsets.UTF_8));
      try (InputStream in = Files.newInputStream(moduleDir.resolve(relative))) {
        for (int read; (read = in.read(buffer)) > 0; ) {
          sha1.update(buffer, 0, read);
        }
      } catch (IOException e) {
        throw unreadable(moduleDir.resolve(relative), e);
      }
    });
    return HexFormat.of().formatHex(sha1.digest());
  }

  /** The relative paths that count, in the order they are hashed (useful to explain a checksum change). */
  public static List<String> files(Path moduleDir, ChecksumRules rules) {
    List<String> files = new ArrayList<>();
    walk(moduleDir, rules, files::add);
    return files;
  }

  private static void walk(Path top, ChecksumRules rules, Consumer<String> visitor) {
    String module = top.getFileName() == null ? top.toString() : top.getFileName().toString();
    walk(top, "", rules, visitor, ModuleLinks.root(top), module);
  }

  private static void walk(Path dir, String relativeDir, ChecksumRules rules, Consumer<String> visitor,
      Path realRoot, String module) {
    List<String> files = new ArrayList<>();
    List<String> dirs = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        ModuleLinks.check(realRoot, entry, module);
        // Like os.walk, classify by following links: a link to a directory is listed as a directory.
        (Files.isDirectory(entry) ? dirs : files).add(entry.getFileName().toString());
      }
    } catch (IOException e) {
      throw unreadable(dir, e);
    }
    files.sort(PythonPaths.CODE_POINT_ORDER);
    dirs.sort(PythonPaths.CODE_POINT_ORDER);
    for (String name : files) {
      String relative = relativeDir.isEmpty() ? name : relativeDir + "/" + name;
      if (!rules.excludes(relative) && !rules.dropsTranslation(relativeDir, name)) {
        visitor.accept(relative);
      }
    }
    for (String name : dirs) {
      Path sub = dir.resolve(name);
      if (!Files.isSymbolicLink(sub) && Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
        walk(sub, relativeDir.isEmpty() ? name : relativeDir + "/" + name, rules, visitor, realRoot, module);
      }
    }
  }

  private static ReleaseException unreadable(Path path, IOException e) {
    return ReleaseException.badInput("cannot read " + path + " (" + e.getClass().getSimpleName()
        + ") while computing the module checksum; check its permissions");
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }
}
