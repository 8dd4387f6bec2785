package io.odoogitops.odoo.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reader on composed logs in the formats of Odoo 16.0, 17.0 and 18.0 (see the fixtures next to this class), and
 * on the hostile cases: endless lines, floods of errors, control characters, a log that is not Odoo's.
 */
class OdooLogReaderTest {

  private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

  /** Each line is received one second after the previous one: line {@code i} at {@code T0 + i s}. */
  private static OdooUpgradeLog read(List<String> lines) {
    OdooLogReader reader = new OdooLogReader();
    for (int i = 0; i < lines.size(); i++) {
      reader.accept(T0.plusSeconds(i), lines.get(i));
    }
    return reader.summary();
  }

  /** Split on {@code \n} only, so a CRLF fixture hands its carriage returns to the reader as a pipe would. */
  private static List<String> fixture(String name) throws IOException {
    try (InputStream in = OdooLogReaderTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return List.of(text.split("\n", -1));
    }
  }

  private static Instant receivedAtOf(List<String> lines, String containing) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(containing)) {
        return T0.plusSeconds(i);
      }
    }
    throw new AssertionError("no line contains " + containing);
  }

  record Module(String name, Duration duration, long queries, String loadedLine, List<String> scripts) {
  }

  record Expected(String fixture, int odooLines, List<Module> modules, List<String> scripts,
      List<String> errors) {
  }

  static Stream<Arguments> versions() {
    return Stream.of(
        Arguments.of("16.0", new Expected("odoo16-upgrade.log", 27,
            List.of(
                new Module("sale_custom", Duration.ofMillis(251_850), 1837, "Module sale_custom loaded",
                    List.of("pre 16.0.1.1 pre-10-rename-columns", "pre 16.0.1.1 pre-20-backup-amounts",
                        "post 16.0.1.1 post-recompute-margins", "end 0.0.0 end-check-invariants")),
                new Module("sale_custom_report", Duration.ofMillis(1_590), 212, "Module sale_custom_report loaded",
                    List.of())),
            List.of("sale_custom pre 16.0.1.1 pre-10-rename-columns", "sale_custom pre 16.0.1.1 pre-20-backup-amounts",
                "sale_custom post 16.0.1.1 post-recompute-margins", "sale_custom end 0.0.0 end-check-invariants"),
            List.of())),
        Arguments.of("17.0 on a TTY, failed in a pre- script", new Expected("odoo17-upgrade-failed-tty.log", 14,
            List.of(new Module("l10n_fr_custom", Duration.ofMillis(1_830), 96, "Module l10n_fr_custom loaded",
                List.of())),
            List.of("stock_pallet pre 2.0 pre-migrate"),
            List.of("2026-11-23 10:15:09,377 1 ERROR dryrun-clone-17 odoo.modules.registry: Failed to load registry"
                    + " | odoo.exceptions.UserError: Migration of stock_pallet failed: poids hors limites"
                    + " (« 1 204,5 kg »)",
                "2026-11-23 10:15:09,380 1 CRITICAL dryrun-clone-17 odoo.service.server: Failed to initialize"
                    + " database `dryrun-clone-17`. | psycopg2.errors.InFailedSqlTransaction: current transaction"
                    + " is aborted, commands ignored until end of transaction block"))),
        Arguments.of("18.0 with -i, at log level debug, CRLF", new Expected("odoo18-upgrade-install-debug.log", 28,
            List.of(
                new Module("account_custom", Duration.ofMillis(332_880), 4120, "Module account_custom loaded",
                    List.of("pre 0.0.0 pre-00-invariants", "pre 18.0.1.3 pre-migrate", "pre 18.0.1.4 pre-migrate",
                        "post 18.0.1.4 post-migrate", "end 18.0.1.4 end-recompute-totals")),
                new Module("delivery_pallet", Duration.ofMillis(1_780), 388, "Module delivery_pallet loaded",
                    List.of())),
            List.of("account_custom pre 0.0.0 pre-00-invariants", "account_custom pre 18.0.1.3 pre-migrate",
                "account_custom pre 18.0.1.4 pre-migrate", "account_custom post 18.0.1.4 post-migrate",
                "account_custom end 18.0.1.4 end-recompute-totals"),
            List.of("2026-11-23 11:35:43,502 3145728 ERROR odoo_gitops_dryrun_20261123 odoo.modules.loading: Some"
                + " modules are not loaded, some dependencies or manifest may be missing: ['website_legacy_menu']"))));
  }

  @ParameterizedTest(name = "Odoo {0}")
  @MethodSource("versions")
  void readsTheUpgradeLogOfEachVersion(String version, Expected expected) throws IOException {
    List<String> lines = fixture(expected.fixture());

    OdooUpgradeLog log = read(lines);

    assertThat(log.odooLines()).isEqualTo(expected.odooLines());
    assertThat(log.modules()).extracting(ModuleLoad::module)
        .containsExactlyElementsOf(expected.modules().stream().map(Module::name).toList());
    for (Module module : expected.modules()) {
      ModuleLoad load = log.module(module.name()).orElseThrow();
      assertThat(load.duration()).as(module.name()).isEqualTo(module.duration());
      assertThat(load.queries()).as(module.name()).isEqualTo(module.queries());
      assertThat(load.finishedAt()).as(module.name()).isEqualTo(receivedAtOf(lines, module.loadedLine()));
      assertThat(load.startedAt()).isEqualTo(load.finishedAt().minus(module.duration()));
      assertThat(load.scripts()).as(module.name())
          .extracting(s -> s.stage() + " " + s.version() + " " + s.script())
          .containsExactlyElementsOf(module.scripts());
    }
    assertThat(log.scripts()).extracting(s -> s.module() + " " + s.stage() + " " + s.version() + " " + s.script())
        .containsExactlyElementsOf(expected.scripts());
    for (MigrationScriptRun script : log.scripts()) {
      assertThat(lines.get((int) Duration.between(T0, script.receivedAt()).toSeconds()))
          .contains("module " + script.module() + ": Running migration").contains(script.script());
    }
    assertThat(log.errorLines()).containsExactlyElementsOf(expected.errors());
  }

  @Test
  void aScriptLinesStageComesFromWhereTheMarkerStands() {
    OdooUpgradeLog log = read(List.of(
        line("INFO", "odoo.modules.migration", "module m: Running migration [>1.2] pre-a"),
        line("INFO", "odoo.modules.migration", "module m: Running migration [1.2>] post-b"),
        line("INFO", "odoo.modules.migration", "module m: Running migration [$1.2] end-c"),
        // later Odoo words it "upgrade"; a marker on both sides or none is not a stage Odoo prints
        line("INFO", "odoo.modules.migration", "module m: Running upgrade [>1.3] pre-d"),
        line("INFO", "odoo.modules.migration", "module m: Running migration [>1.3>] pre-e"),
        line("INFO", "odoo.modules.migration", "module m: Running migration [1.3] pre-f")));

    assertThat(log.scripts()).extracting(s -> s.stage() + " " + s.version() + " " + s.script())
        .containsExactly("pre 1.2 pre-a", "post 1.2 post-b", "end 1.2 end-c", "pre 1.3 pre-d");
    assertThat(log.modules()).as("no module line: the scripts stay unattached").isEmpty();
  }

  @Test
  void moduleLinesOfAnyOtherLoggerOrInAnotherShapeAreNotModules() {
    OdooUpgradeLog log = read(List.of(
        // a migration script's own logger cannot fake a module
        line("INFO", "odoo.addons.evil.migrations", "Module account loaded in 0.01s, 1 queries"),
        line("INFO", "odoo.modules.loading", "Module account loaded in 12s, many queries"),
        line("INFO", "odoo.modules.loading", "Module account loaded in 99999999999.00s, 1 queries"),
        line("INFO", "odoo.modules.loading", "Module sale loaded in 2.50s, 7 queries"),
        line("INFO", "odoo.modules.loading", "12 modules loaded in 3.00s, 40 queries (+2 extra)")));

    assertThat(log.modules()).extracting(ModuleLoad::module).containsExactly("sale");
    assertThat(log.modules().get(0).duration()).isEqualTo(Duration.ofMillis(2_500));
    assertThat(log.odooLines()).isEqualTo(5);
  }

  @Test
  void aModulesOwnLoggerNamedLikeOdoosLoaderCannotForgeModulesOrScripts() {
    // a module's logger is odoo.addons.<module>.<anything>: it may end in "modules.loading" or "modules.migration"
    OdooUpgradeLog log = read(List.of(
        line("INFO", "odoo.addons.evil.modules.loading", "Module account loaded in 300.00s, 1 queries"),
        line("INFO", "odoo.addons.evil.modules.migration", "module account: Running migration [>1.2] pre-fake"),
        line("INFO", "odoo.modules.loading", "Module evil loaded in 1.00s, 3 queries")));

    assertThat(log.modules()).extracting(ModuleLoad::module).containsExactly("evil");
    assertThat(log.scripts()).isEmpty();
  }

  @Test
  void aLogWithoutOdooLinesOrWithoutModuleLinesIsToldApart() {
    OdooUpgradeLog notOdoo = read(List.of("exec /entrypoint.sh: exec format error", "", "Usage: odoo [options]"));
    assertThat(notOdoo.odooLines()).isZero();
    assertThat(notOdoo.modules()).isEmpty();

    OdooUpgradeLog noModules = read(List.of(line("INFO", "odoo", "Odoo version 17.0"),
        line("INFO", "odoo.modules.loading", "loading 1 modules..."),
        line("INFO", "odoo.modules.loading", "Modules loaded.")));
    assertThat(noModules.odooLines()).isEqualTo(3);
    assertThat(noModules.modules()).isEmpty();
    assertThat(noModules.errorLines()).isEmpty();
    assertThat(OdooUpgradeLog.empty().odooLines()).isZero();
  }

  @Test
  void theExceptionLineOfTheLastChainedTracebackIsKeptNotItsDetailLines() {
    OdooUpgradeLog log = read(List.of(
        line("ERROR", "odoo.sql_db", "bad query: UPDATE t SET x = 1"),
        "ERROR: deadlock detected",
        line("ERROR", "odoo.modules.registry", "Failed to load registry"),
        "Traceback (most recent call last):",
        "  File \"a.py\", line 1, in f",
        "    g()",
        "KeyError: 'a'",
        "",
        "During handling of the above exception, another exception occurred:",
        "",
        "Traceback (most recent call last):",
        "  File \"b.py\", line 2, in g",
        "psycopg2.errors.LockNotAvailable: canceling statement due to lock timeout",
        "CONTEXT:  while updating tuple (0,1) in relation \"account_move_line\"",
        line("INFO", "odoo.service.server", "Initiating shutdown")));

    assertThat(log.errorLines()).containsExactly(
        line("ERROR", "odoo.sql_db", "bad query: UPDATE t SET x = 1"),
        line("ERROR", "odoo.modules.registry", "Failed to load registry")
            + " | psycopg2.errors.LockNotAvailable: canceling statement due to lock timeout");
  }

  @Test
  void anErrorStillArrivingIsInTheSummaryAndTheReaderGoesOn() {
    OdooLogReader reader = new OdooLogReader();
    reader.accept(T0, line("CRITICAL", "odoo.service.server", "Failed to initialize database `c`."));
    reader.accept(T0, "Traceback (most recent call last):");
    reader.accept(T0, "  File \"x.py\", line 3, in y");
    reader.accept(T0, "MemoryError");

    assertThat(reader.summary().errorLines()).containsExactly(
        line("CRITICAL", "odoo.service.server", "Failed to initialize database `c`.") + " | MemoryError");

    reader.accept(T0.plusSeconds(1), line("INFO", "odoo.modules.loading", "Module m loaded in 1.00s, 2 queries"));
    OdooUpgradeLog later = reader.summary();
    assertThat(later.errorLines()).hasSize(1);
    assertThat(later.modules()).extracting(ModuleLoad::module).containsExactly("m");
  }

  @Test
  void memoryStaysBoundedWhateverTheLogHolds() {
    OdooLogReader reader = new OdooLogReader();
    String huge = "x".repeat(5_000_000);
    reader.accept(T0, line("ERROR", "odoo.addons.m", "dump: " + huge));
    reader.accept(T0, "Traceback (most recent call last):");
    reader.accept(T0, "  File \"x.py\", line 3, in y");
    reader.accept(T0, "ValueError: " + huge);
    reader.accept(T0, huge);
    for (int i = 0; i < 500; i++) {
      reader.accept(T0, line("ERROR", "odoo.addons.m", "failure " + i));
    }

    OdooUpgradeLog log = reader.summary();
    assertThat(log.errorLines()).hasSize(OdooLogReader.MAX_ERROR_LINES);
    assertThat(reader.errorCount()).isEqualTo(501);
    assertThat(log.errorLines().get(0)).hasSizeLessThan(OdooLogReader.MAX_LINE_CHARS + 60)
        .endsWith("more characters]");
    assertThat(log.errorLines().get(1)).endsWith("failure 0");
    assertThat(log.odooLines()).isEqualTo(501);
  }

  @Test
  void moduleAndScriptRecordsAreCappedAndCounted() {
    OdooLogReader reader = new OdooLogReader();
    for (int i = 0; i < OdooLogReader.MAX_RECORDS + 7; i++) {
      reader.accept(T0, line("INFO", "odoo.modules.loading", "Module m" + i + " loaded in 0.01s, 1 queries"));
    }
    assertThat(reader.summary().modules()).hasSize(OdooLogReader.MAX_RECORDS);
    assertThat(reader.droppedRecords()).isEqualTo(7);
  }

  @Test
  void keptLinesCarryNoControlCharactersAndAreNotCutInsideACharacter() {
    OdooUpgradeLog log = read(List.of(line("ERROR", "odoo.addons.m", "bell\u0007 and \u001B]0;title\u0007 ok")));
    assertThat(log.errorLines().get(0)).doesNotContain("\u0007").doesNotContain("\u001B").contains("ok");

    String prefix = line("ERROR", "odoo.addons.m", "");
    String emoji = "\uD83D\uDE80";
    String text = prefix + "a".repeat(OdooLogReader.MAX_LINE_CHARS - prefix.length() - 1) + emoji + "tail";
    String kept = OdooLogReader.keepable(text);
    assertThat(kept).doesNotContain("\uD83D").startsWith(prefix).endsWith("more characters]");
    assertThat(kept.chars().filter(c -> Character.isSurrogate((char) c)).count()).isZero();
  }

  static String line(String level, String logger, String message) {
    return "2026-11-23 09:00:00,000 77 " + level + " clone " + logger + ": " + message;
  }
}
