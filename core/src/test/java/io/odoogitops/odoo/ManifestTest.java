package io.odoogitops.odoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestTest {

  @TempDir
  Path dir;

  @Test
  void readsAnOcaManifestWithCommentsConcatenationAndExternalDependencies() {
    Manifest manifest = corpus("oca_style.py");

    assertThat(manifest.name()).isEqualTo("Module Auto Update");
    assertThat(manifest.version()).isEqualTo("17.0.1.0.3");
    assertThat(manifest.depends()).containsExactly("base");
    assertThat(manifest.installable()).isTrue();
    assertThat(manifest.autoInstall()).isFalse();
    assertThat(manifest.externalDependencies()).isEqualTo(Map.of(
        "python", List.of("checksumdir", "requests>=2.0"), "bin", List.of("wkhtmltopdf")));
    assertThat(((PyLiteral.Str) manifest.literal().get("author").orElseThrow()).value())
        .isEqualTo("LasLabs, Juan José Scarafía, Tecnativa, ACSONE SA/NV, Odoo Community Association (OCA)");
    assertThat(manifest.positionOf("depends").orElseThrow().line()).isEqualTo(19);
  }

  @Test
  void readsAnOdooCoreManifestWithTripleQuotesAssetsAndAutoInstallList() {
    Manifest manifest = corpus("odoo_core_style.py");

    assertThat(manifest.version()).isEqualTo("1.2");
    assertThat(manifest.autoInstall()).isTrue();
    assertThat(manifest.autoInstallTriggers()).containsExactly("account_payment");
    String description = ((PyLiteral.Str) manifest.literal().get("description").orElseThrow()).value();
    assertThat(description)
        .startsWith("\nThis module contains")
        .contains("\"double\" and 'single'")
        .contains("A backslash \\ and a tab\tescape\n");
    PyLiteral.Dict assets = (PyLiteral.Dict) manifest.literal().get("assets").orElseThrow();
    PyLiteral.Sequence backend = (PyLiteral.Sequence) assets.get("web.assets_backend").orElseThrow();
    assertThat(backend.items()).hasSize(3);
    assertThat(backend.items().get(2)).isInstanceOfSatisfying(PyLiteral.Sequence.class,
        tuple -> assertThat(tuple.kind()).isEqualTo(PyLiteral.Sequence.Kind.TUPLE));
  }

  @Test
  void readsLegacyShapesPrefixesNumbersAndContainers() {
    Manifest manifest = corpus("legacy_openerp.py");

    assertThat(manifest.name()).isEqualTo("Legacy \u00e9l\u00e8ve");
    assertThat(manifest.depends()).containsExactly("base", "mail");
    assertThat(manifest.installable()).isFalse();
    PyLiteral.Dict d = manifest.literal();
    assertThat(((PyLiteral.Str) d.get("author").orElseThrow()).value()).isEqualTo("C:\\odoo\\raw");
    assertThat(((PyLiteral.Int) d.get("sequence").orElseThrow()).value()).isEqualTo(BigInteger.valueOf(-10));
    assertThat(((PyLiteral.Float) d.get("price").orElseThrow()).value()).isEqualTo(12.5);
    assertThat(((PyLiteral.Int) d.get("hex").orElseThrow()).value()).isEqualTo(BigInteger.valueOf(255));
    assertThat(((PyLiteral.Int) d.get("octal").orElseThrow()).value()).isEqualTo(BigInteger.valueOf(15));
    assertThat(((PyLiteral.Int) d.get("big").orElseThrow()).value()).isEqualTo(BigInteger.valueOf(1_000_000));
    assertThat(((PyLiteral.Float) d.get("exp").orElseThrow()).value()).isEqualTo(0.001);
    assertThat(((PyLiteral.Bytes) d.get("blob").orElseThrow()).value()).isEqualTo("\u0000ascii");
    assertThat(d.get("images").orElseThrow()).isInstanceOfSatisfying(PyLiteral.Sequence.class,
        set -> assertThat(set.kind()).isEqualTo(PyLiteral.Sequence.Kind.SET));
    assertThat(d.get("nothing").orElseThrow()).isInstanceOf(PyLiteral.None.class);
  }

  @Test
  void appliesOdooDefaultsToAMinimalManifest() {
    Manifest manifest = Manifest.parse("m.py", "{'name': 'Minimal'}");

    assertThat(manifest.version()).isEqualTo("1.0");
    assertThat(manifest.depends()).isEmpty();
    assertThat(manifest.installable()).isTrue();
    assertThat(manifest.autoInstall()).isFalse();
    assertThat(manifest.license()).isEqualTo("LGPL-3");
  }

  @Test
  void autoInstallTrueIsTriggeredByAllDependencies() {
    Manifest manifest = Manifest.parse("m.py", "{'depends': ['sale', 'stock'], 'auto_install': True}");

    assertThat(manifest.autoInstallTriggers()).isEqualTo(Set.of("sale", "stock"));
  }

  @Test
  void keepsPythonStringSemantics() {
    PyLiteral.Dict d = Manifest.parse("m.py", """
        {'a': 'x' "y" '''z''',  # implicit concatenation over quote styles
         'b': u'caf\\N{LATIN SMALL LETTER E WITH ACUTE}',
         'c': 'unknown \\d escape kept', 'd': r'raw \\' quote',
         'e': 'joined \\
        line', 'f': 'octal \\101\\0', 'g': "\\U0001F600",
         'k': 'first', 'k': 'last wins',}
        """).literal();

    assertThat(str(d, "a")).isEqualTo("xyz");
    assertThat(str(d, "b")).isEqualTo("caf\u00e9");
    assertThat(str(d, "c")).isEqualTo("unknown \\d escape kept");
    assertThat(str(d, "d")).isEqualTo("raw \\' quote");
    assertThat(str(d, "e")).isEqualTo("joined line");
    assertThat(str(d, "f")).isEqualTo("octal A\u0000");
    assertThat(str(d, "g")).isEqualTo(new String(Character.toChars(0x1F600)));
    assertThat(str(d, "k")).isEqualTo("last wins");
  }

  @Test
  void acceptsCrlfLineEndings() {
    Manifest manifest = Manifest.parse("m.py", "# c\r\n{\r\n 'depends': [\r\n  'base',\r\n ],\r\n}\r\n");

    assertThat(manifest.depends()).containsExactly("base");
  }

  @Test
  void refusesAByteOrderMarkAsOdoosLiteralEvalDoes() throws Exception {
    // Odoo 16-18 open the manifest as plain UTF-8, so the BOM reaches ast.literal_eval, which fails on U+FEFF.
    Path file = Files.write(dir.resolve("__manifest__.py"),
        ("\uFEFF{'name': 'x', 'depends': ['base']}\n").getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> Manifest.read(file))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageStartingWith(file + ":1:1: the manifest starts with a UTF-8 byte order mark");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {'license': None}
      {'license': False}
      {'license': ''}
      {'license': 0}
      {}
      """)
  void aFalsyOrMissingLicenseFallsBackToLgpl3AsInOdoo(String source) {
    assertThat(Manifest.parse("m.py", source).license()).isEqualTo("LGPL-3");
  }

  @Test
  void aTruthyLicenseMustStillBeAString() {
    assertThatThrownBy(() -> Manifest.parse("m.py", "{'license': ['AGPL-3']}"))
        .hasMessageStartingWith("m.py:1:13: 'license' must be a string, found a list");
  }

  @Test
  void autoInstallAsAStringIsRefusedWhereOdoosAssertionFails() {
    assertThatThrownBy(() -> Manifest.parse("m.py", "{'depends': ['base'],\n 'auto_install': 'base'}"))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageStartingWith("m.py:2:18: auto_install is the string 'base'")
        .hasMessageContaining("'b', 'a', 's', 'e'")
        .hasMessageContaining("['base']");
  }

  @Test
  void autoInstallFollowsPythonIterationLikeOdoo() {
    // set('') is empty: installed whenever possible, like auto_install: []
    Manifest empty = Manifest.parse("m.py", "{'depends': ['base'], 'auto_install': ''}");
    assertThat(empty.autoInstall()).isTrue();
    assertThat(empty.autoInstallTriggers()).isEmpty();
    // a dict iterates over its keys
    Manifest dict = Manifest.parse("m.py", "{'depends': ['sale', 'stock'], 'auto_install': {'sale': 1}}");
    assertThat(dict.autoInstallTriggers()).containsExactly("sale");
    // a tuple is a sequence too
    Manifest tuple = Manifest.parse("m.py", "{'depends': ['sale', 'stock'], 'auto_install': ('stock',)}");
    assertThat(tuple.autoInstallTriggers()).containsExactly("stock");
    assertThatThrownBy(() -> Manifest.parse("m.py", "{'depends': ['base'], 'auto_install': b'x'}"))
        .hasMessageStartingWith("m.py:1:39: auto_install lists 120, which is not in depends");
    // None and 0 are falsy: not auto-installed
    assertThat(Manifest.parse("m.py", "{'depends': ['base'], 'auto_install': None}").autoInstall()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {'version': VERSION}                         | m.py:1:13: 'VERSION' is not a literal (names are not evaluated
      {'depends': list('ab')}                      | m.py:1:13: 'list' is not a literal (calls are not evaluated
      {'version': '1' + '2'}                       | m.py:1:17: operator '+' is not allowed
      {'a': 1 * 2}                                 | m.py:1:9: operator '*' is not allowed
      {'a': f'x{y}'}                               | m.py:1:7: f-strings are evaluated code
      {'a': 'open}                                 | m.py:1:7: unterminated string literal
      {'a': 1,                                     | m.py:1:9: unexpected end of file
      {'a' 1}                                      | m.py:1:6: unexpected '1'
      {'a': 0777}                                  | m.py:1:7: invalid number literal '0777' (leading zeros
      {'a': 1j}                                    | m.py:1:7: complex number '1j' is not supported
      {'a': --1}                                   | m.py:1:7: a sign may only precede a number
      {'a': b'caf\u00e9'}                          | m.py:1:12: bytes can only contain ASCII
      {'a': b'x' 'y'}                              | m.py:1:12: cannot mix bytes and nonbytes
      {['a']: 1}                                   | m.py:1:2: unhashable type: 'list'
      {'a': {[1], 2}}                              | m.py:1:8: unhashable type: 'list'
      ['not', 'a', 'dict']                         | m.py:1:1: a manifest must be a dict, found a list
      {1: 'x'}                                     | m.py:1:2: manifest keys must be strings
      {'depends': 'base'}                          | m.py:1:13: 'depends' must be a list of strings, found a str
      {'depends': ['base', 1]}                     | m.py:1:22: 'depends' must be a list of strings, found a int
      {'version': 17.0}                            | m.py:1:13: 'version' must be a string, found a float
      {'auto_install': ['x'], 'depends': []}       | m.py:1:18: auto_install lists 'x', which is not in depends
      {'a': 1}.get('a')                            | m.py:1:9: operator '.' is not allowed
      {'a': lambda: 1}                             | m.py:1:7: 'lambda' is not a literal
      """)
  void refusesWhatLiteralEvalRefusesWithFileLineAndColumn(String source, String expected) {
    // \u00e9 in the CSV stands for a non-ASCII character inside a bytes literal.
    String text = source.replace("\\u00e9", "\u00e9");
    assertThatThrownBy(() -> Manifest.parse("m.py", text))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageStartingWith(expected);
  }

  @Test
  void reportsTheLineOfAProblemDeepInAMultiLineManifest() {
    assertThatThrownBy(() -> Manifest.parse("addons/x/__manifest__.py", """
        {
            'name': 'X',
            'depends': [
                'base',
                base_setup,
            ],
        }
        """))
        .hasMessageStartingWith("addons/x/__manifest__.py:5:9: 'base_setup' is not a literal");
  }

  @Test
  void refusesTwoValuesOnSeparateLinesAndAnEmptyFile() {
    assertThatThrownBy(() -> Manifest.parse("m.py", "{'a': 1}\n{'b': 2}\n"))
        .hasMessageStartingWith("m.py:2:1: unexpected '{' on a new line after a complete value");
    assertThatThrownBy(() -> Manifest.parse("m.py", "# only a comment\n"))
        .hasMessageStartingWith("m.py:2:1: empty file");
  }

  private static String str(PyLiteral.Dict dict, String key) {
    return ((PyLiteral.Str) dict.get(key).orElseThrow()).value();
  }

  private static Manifest corpus(String name) {
    try (InputStream in = ManifestTest.class.getResourceAsStream("manifests/" + name)) {
      return Manifest.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
