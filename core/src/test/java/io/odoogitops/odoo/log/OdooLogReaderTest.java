package io.odoogitops.odoo.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The minimal reader's contract on excerpts written in the format of Odoo 16.0 to 18.0 (own fixtures). */
class OdooLogReaderTest {

  private static final Instant T0 = Instant.parse("2026-11-30T01:00:00Z");

  @Test
  void modulesScriptsAndErrorsAreReadAsTheyArrive() {
    OdooLogReader reader = new OdooLogReader();
    String[] lines = {
        "2026-11-30 01:00:00,001 4711 INFO ? odoo: Odoo version 17.0-20241120 ",
        "2026-11-30 01:00:00,900 4711 INFO shop odoo.modules.loading: loading 112 modules... ",
        "2026-11-30 01:00:01,000 4711 INFO shop odoo.modules.loading: Loading module account (39/112) ",
        "2026-11-30 01:00:01,100 4711 INFO shop odoo.modules.migration: module account: Running migration [>17.0.1.3]"
            + " pre-split-taxes ",
        "2026-11-30 01:00:09,000 4711 INFO shop odoo.modules.migration: module account: Running migration [1.3>]"
            + " post-recompute ",
        "2026-11-30 01:00:09,500 4711 INFO shop odoo.modules.loading: Module account loaded in 8.50s, 10234 queries"
            + " (+12 other) ",
        "2026-11-30 01:00:10,000 4711 INFO shop odoo.modules.loading: Module sale loaded in 0.25s (incl. 0.10s test),"
            + " 310 queries ",
        "2026-11-30 01:00:10,100 4711 ERROR shop odoo.sql_db: bad query: UPDATE x ",
        "Traceback (most recent call last):",
        "  File \"/opt/odoo/odoo/sql_db.py\", line 332, in execute",
        "2026-11-30 01:00:11,000 4711 INFO shop odoo.modules.migration: module sale: Running migration [$0.0.0]"
            + " end-invariants ",
        "some other tool's line",
    };
    for (int i = 0; i < lines.length; i++) {
      reader.accept(T0.plusSeconds(i), lines[i]);
    }
    OdooUpgradeLog log = reader.summary();
    assertThat(log.odooLines()).isEqualTo(9);
    assertThat(log.modules()).extracting(ModuleLoad::module).containsExactly("account", "sale");
    ModuleLoad account = log.modules().get(0);
    assertThat(account.finishedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(account.duration()).isEqualTo(Duration.ofMillis(8500));
    assertThat(account.startedAt()).isEqualTo(T0.plusSeconds(5).minusMillis(8500));
    assertThat(account.queries()).isEqualTo(10234L);
    assertThat(account.scripts()).extracting(s -> s.stage() + " " + s.version() + " " + s.script())
        .containsExactly("pre 17.0.1.3 pre-split-taxes", "post 1.3 post-recompute");
    assertThat(log.modules().get(1).queries()).isEqualTo(310L);
    assertThat(log.scripts()).last().extracting(MigrationScriptRun::stage, MigrationScriptRun::version)
        .containsExactly("end", "0.0.0");
    assertThat(log.errorLines()).containsExactly("2026-11-30 01:00:10,100 4711 ERROR shop odoo.sql_db: bad query:"
        + " UPDATE x / Traceback (most recent call last):");
  }

  @Test
  void outputThatIsNotOdoosHasNoOdooLine() {
    OdooLogReader reader = new OdooLogReader();
    reader.accept(T0, "usage: odoo-bin [options]");
    assertThat(reader.summary().odooLines()).isZero();
    assertThat(OdooLogLine.parse("2026-11-30 01:00:00,001 7 WARNING ? odoo.fields: deprecated")).get()
        .extracting(OdooLogLine::pid, OdooLogLine::level, OdooLogLine::database, OdooLogLine::logger)
        .containsExactly(7L, "WARNING", "?", "odoo.fields");
  }
}
