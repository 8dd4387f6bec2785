package io.odoogitops.odoo.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which lines are Odoo log records, and how their fields are read. */
class OdooLogLineTest {

  private static final String ESC = "\u001B";

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of("16.0+ plain, with the trailing space of an empty perf info",
            "2026-11-23 09:00:01,020 4711 INFO stg odoo.modules.loading: loading 87 modules... ",
            "2026-11-23 09:00:01,020", 4711L, "INFO", "stg", "odoo.modules.loading", "loading 87 modules..."),
        Arguments.of("colour codes of a TTY around the level",
            "2026-11-23 09:00:01,020 1 " + ESC + "[1;31m" + ESC + "[1;49mERROR" + ESC + "[0m db odoo.sql_db: bad",
            "2026-11-23 09:00:01,020", 1L, "ERROR", "db", "odoo.sql_db", "bad"),
        Arguments.of("no database yet",
            "2026-11-23 09:00:00,101 4711 INFO ? odoo: Odoo version 18.0-20251104",
            "2026-11-23 09:00:00,101", 4711L, "INFO", "?", "odoo", "Odoo version 18.0-20251104"),
        Arguments.of("a pid above the default pid_max",
            "2026-11-23 09:00:00,101 4194303 WARNING ? py.warnings: x.py:1: DeprecationWarning: y",
            "2026-11-23 09:00:00,101", 4194303L, "WARNING", "?", "py.warnings", "x.py:1: DeprecationWarning: y"),
        Arguments.of("level 25 logged before Odoo named it",
            "2026-11-23 09:00:00,101 9 Level 25 c odoo.modules.loading: 3 modules loaded in 1.00s, 9 queries",
            "2026-11-23 09:00:00,101", 9L, "Level 25", "c", "odoo.modules.loading",
            "3 modules loaded in 1.00s, 9 queries"),
        Arguments.of("a uid field after the level",
            "2026-11-23 09:00:00,101 9 INFO uid:2 c odoo.models: x",
            "2026-11-23 09:00:00,101", 9L, "INFO", "c", "odoo.models", "x"),
        Arguments.of("unicode and a carriage return",
            "2026-11-23 09:00:00,101 9 WARNING base_fr odoo.addons.base.models.ir_model: Deux champs ont le même"
                + " libellé : « Montant » 金额 \r",
            "2026-11-23 09:00:00,101", 9L, "WARNING", "base_fr", "odoo.addons.base.models.ir_model",
            "Deux champs ont le même libellé : « Montant » 金额"),
        Arguments.of("a colon in the message",
            "2026-11-23 09:00:00,101 9 INFO c odoo.modules.migration: module m: Running migration [>1.0] pre-a",
            "2026-11-23 09:00:00,101", 9L, "INFO", "c", "odoo.modules.migration",
            "module m: Running migration [>1.0] pre-a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void readsTheFieldsOfARecord(String why, String raw, String timestamp, long pid, String level, String database,
      String logger, String message) {
    OdooLogLine line = OdooLogLine.parse(raw).orElseThrow();

    assertThat(line).isEqualTo(new OdooLogLine(timestamp, pid, level, database, logger, message));
  }

  static Stream<Arguments> notRecords() {
    return Stream.of(
        Arguments.of("traceback header", "Traceback (most recent call last):"),
        Arguments.of("traceback frame", "  File \"/usr/lib/python3/dist-packages/odoo/sql_db.py\", line 332"),
        Arguments.of("exception line", "psycopg2.errors.UndefinedColumn: column \"x\" does not exist"),
        Arguments.of("print() of a migration script", "sale_custom: 48211 rows saved"),
        Arguments.of("empty", ""),
        Arguments.of("no milliseconds", "2026-11-23 09:00:00 9 INFO c odoo: x"),
        Arguments.of("a pid that is not a number", "2026-11-23 09:00:00,101 abc INFO c odoo: x"),
        Arguments.of("a pid of eleven digits", "2026-11-23 09:00:00,101 12345678901 INFO c odoo: x"),
        Arguments.of("lower-case level", "2026-11-23 09:00:00,101 9 info c odoo: x"),
        Arguments.of("no logger", "2026-11-23 09:00:00,101 9 INFO c"),
        Arguments.of("syslog format", "Odoo Server 17.0:c:INFO:odoo.modules.loading:loading 1 modules..."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notRecords")
  void otherLinesAreNotRecords(String why, String raw) {
    assertThat(OdooLogLine.parse(raw)).isEmpty();
  }

  @Test
  void nullIsNotARecordAndOnlyErrorAndCriticalFail() {
    assertThat(OdooLogLine.parse(null)).isEmpty();
    assertThat(new OdooLogLine("t", 1, "ERROR", "?", "odoo", "m").failing()).isTrue();
    assertThat(new OdooLogLine("t", 1, "CRITICAL", "?", "odoo", "m").failing()).isTrue();
    assertThat(new OdooLogLine("t", 1, "WARNING", "?", "odoo", "m").failing()).isFalse();
    assertThat(new OdooLogLine("t", 1, "Level 25", "?", "odoo", "m").failing()).isFalse();
  }

  @Test
  void onlyTheStartOfAnEndlessLineIsParsed() {
    String endless = "2026-11-23 09:00:00,101 9 INFO c odoo.models: " + "y".repeat(20_000_000);
    long started = System.nanoTime();
    OdooLogLine line = OdooLogLine.parse(endless).orElseThrow();
    assertThat(line.message()).hasSizeLessThanOrEqualTo(OdooLogLine.PARSED_PREFIX_CHARS);
    assertThat(System.nanoTime() - started).as("nanoseconds").isLessThan(2_000_000_000L);
  }
}
