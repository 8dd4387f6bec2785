package io.odoogitops.odoo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file selection follows the expectations of module_auto_update's own tests (same sample layout); the golden
 * checksum was computed with CPython's {@code os.walk}, {@code fnmatch} and {@code hashlib} over the same tree.
 */
class AddonChecksumTest {

  @TempDir Path dir;
  Path module;

  @BeforeEach
  void sampleModule() throws IOException {
    module = dir.resolve("sample_module");
    write("README.rst", "Sample module\n");
    write("data/f1.xml", "<odoo/>\n");
    write("data/f2.xml", "<odoo></odoo>\n");
    write("i18n/en_US.po", "msgid \"\"\n");
    write("i18n/fr.po", "msgid \"fr\"\n");
    write("i18n/fr_BE.po", "msgid \"fr_BE\"\n");
    write("i18n/test.pot", "msgid \"pot\"\n");
    write("i18n_extra/en.po", "en\n");
    write("i18n_extra/fr.po", "fr\n");
    write("i18n_extra/nl_NL.po", "nl\n");
    write("models/stuff.py", "import os\n");
    write("models/stuff.pyc", "\u0000compiled");
    write("models/stuff.pyo", "\u0000optimized");
    write("models/__pycache__/stuff.cpython-311.pyc", "\u0000cache");
    write("static/src/some.js", "console.log('x');\n");
    write("zz_top_level_after_dirs.txt", ""); // os.walk yields a directory's files before its subdirectories
  }

  @Test
  void selectsFilesInOsWalkOrderWithoutExclusions() {
    ChecksumRules rules = ChecksumRules.fromDatabase("*/__pycache__/*", List.of());

    assertThat(AddonChecksum.files(module, rules)).containsExactly(
        "README.rst",
        "zz_top_level_after_dirs.txt",
        "data/f1.xml",
        "data/f2.xml",
        "i18n/en_US.po",
        "i18n/fr.po",
        "i18n/fr_BE.po",
        "i18n/test.pot",
        "i18n_extra/en.po",
        "i18n_extra/fr.po",
        "i18n_extra/nl_NL.po",
        "models/stuff.py",
        "models/stuff.pyc",
        "models/stuff.pyo",
        "static/src/some.js");
  }

  @Test
  void appliesDefaultExclusionsAndKeepsOnlyActiveLanguages() {
    ChecksumRules rules = ChecksumRules.fromDatabase(ChecksumRules.MODULE_AUTO_UPDATE_PATTERNS,
        List.of("fr_FR", "nl"));

    assertThat(AddonChecksum.files(module, rules)).containsExactly(
        "README.rst",
        "zz_top_level_after_dirs.txt",
        "data/f1.xml",
        "data/f2.xml",
        "i18n/fr.po",
        "i18n/fr_BE.po",
        "i18n_extra/fr.po",
        "i18n_extra/nl_NL.po",
        "models/stuff.py");
  }

  @Test
  void matchesTheChecksumPythonComputesForTheSameTree() {
    ChecksumRules rules = ChecksumRules.fromDatabase("*.pyc,*.pyo,*.pot,static/*", List.of("fr_FR", "nl"));

    assertThat(AddonChecksum.of(module, rules)).isEqualTo("2e1ca41953af84f01af66200220fe0d589ebcf9f");
  }

  @Test
  void matchesPythonOnDotFilesUnicodeNamesCaseOrderAndSymbolicLinks() throws IOException {
    Path tree = dir.resolve("edge");
    writeIn(tree, ".hidden", "hidden");
    writeIn(tree, "B.txt", "B");
    writeIn(tree, "a.txt", "a");
    writeIn(tree, "dir with space/\u00fc.txt", "u");
    writeIn(tree, "Zeta/z.py", "z");
    writeIn(tree, "alpha/x.xml", "al");
    writeIn(tree, "i18n/.po", "po");
    writeIn(tree, "i18n/de.po", "de");
    writeIn(tree, "i18n/de_AT.po", "deat");
    writeIn(tree, "i18n/fr.po", "fr");
    writeIn(tree, "i18n/x.pot", "pot");
    writeIn(tree, "real_dir/r.txt", "real");
    Files.createSymbolicLink(tree.resolve("linked_dir"), Path.of("real_dir")); // listed, never entered
    Files.createSymbolicLink(tree.resolve("link_to_a.txt"), Path.of("a.txt")); // read through
    ChecksumRules rules = ChecksumRules.fromDatabase(ChecksumRules.MODULE_AUTO_UPDATE_PATTERNS, List.of("de_DE"));

    assertThat(AddonChecksum.files(tree, rules)).containsExactly(".hidden", "B.txt", "a.txt", "link_to_a.txt",
        "Zeta/z.py", "alpha/x.xml", "dir with space/\u00fc.txt", "i18n/.po", "i18n/de.po", "i18n/de_AT.po",
        "real_dir/r.txt");
    assertThat(AddonChecksum.of(tree, rules)).isEqualTo("541885e977cc957aa01eca761a1c75c584f2d9d0");
  }

  @Test
  void hashesPathThenContentOfEachSelectedFile() throws Exception {
    ChecksumRules rules = ChecksumRules.moduleAutoUpdateDefaults();
    MessageDigest expected = MessageDigest.getInstance("SHA-1");
    for (String file : AddonChecksum.files(module, rules)) {
      expected.update(file.getBytes(StandardCharsets.UTF_8));
      expected.update(Files.readAllBytes(module.resolve(file)));
    }

    assertThat(AddonChecksum.of(module, rules)).isEqualTo(HexFormat.of().formatHex(expected.digest()));
  }

  @Test
  void dependsOnContentAndNamesNotOnTimestampsOrLocation() throws IOException {
    ChecksumRules rules = ChecksumRules.moduleAutoUpdateDefaults();
    String before = AddonChecksum.of(module, rules);
    Files.setLastModifiedTime(module.resolve("README.rst"), FileTime.fromMillis(0));
    Path moved = Files.move(module, dir.resolve("elsewhere"));

    assertThat(AddonChecksum.of(moved, rules)).isEqualTo(before);

    Files.writeString(moved.resolve("data/empty.xml"), "");
    assertThat(AddonChecksum.of(moved, rules)).as("an empty file still counts by its name").isNotEqualTo(before);
  }

  @Test
  void clickOdooUpdateDefaultsAlsoIgnoreTests() throws IOException {
    write("tests/test_stuff.py", "def test(): pass\n");

    assertThat(AddonChecksum.files(module, ChecksumRules.clickOdooUpdateDefaults())).doesNotContain(
        "tests/test_stuff.py");
    assertThat(AddonChecksum.files(module, ChecksumRules.moduleAutoUpdateDefaults())).contains(
        "tests/test_stuff.py");
  }

  @Test
  void fnmatchStarCrossesDirectoriesAndClassesWork() {
    assertThat(FileNamePattern.of("static/*").matches("static/src/js/app.js")).isTrue();
    assertThat(FileNamePattern.of("*.pyc").matches("models/__pycache__/a.pyc")).isTrue();
    assertThat(FileNamePattern.of("i18n/*.pot").matches("i18n_extra/x.pot")).isFalse();
    assertThat(FileNamePattern.of("data/f[0-9].xml").matches("data/f1.xml")).isTrue();
    assertThat(FileNamePattern.of("data/f[!0-9].xml").matches("data/f1.xml")).isFalse();
    assertThat(FileNamePattern.of("a[.txt").matches("a[.txt")).isTrue();
    assertThat(FileNamePattern.of("README.?st").matches("README.rst")).isTrue();
    assertThat(FileNamePattern.of("readme.rst").matches("README.rst")).as("case-sensitive on POSIX").isFalse();
  }

  private static void writeIn(Path root, String relative, String content) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private void write(String relative, String content) throws IOException {
    Path file = module.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
