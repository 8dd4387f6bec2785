package io.odoogitops.odoo.log;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an Odoo log line by line as it arrives. Thread-confined: one reader per log, fed by one thread.
 */
public final class OdooLogReader {

  /** Keeps a runaway log's errors from filling memory; the first ones say what went wrong. */
  public static final int MAX_ERROR_LINES = 50;

  private static final Pattern LOADED = Pattern.compile(
      "^Module (\\S+) loaded in (\\d+(?:\\.\\d+)?)s(?: \\(incl\\. [^)]*\\))?(?:, (\\d+) queries)?.*$");
  private static final Pattern MIGRATION = Pattern.compile(
      "^module (\\S+): Running migration \\[(\\$|>)?([^\\]]*?)(>)?\\] (.+)$");

  private final List<ModuleLoad> modules = new ArrayList<>();
  private final List<MigrationScriptRun> scripts = new ArrayList<>();
  private final List<String> errorLines = new ArrayList<>();
  private int odooLines;
  private boolean lastWasError;

  public void accept(Instant receivedAt, String rawLine) {
    var parsed = OdooLogLine.parse(rawLine);
    if (parsed.isEmpty()) {
      if (lastWasError && !rawLine.isBlank()) {
        int last = errorLines.size() - 1;
        errorLines.set(last, errorLines.get(last) + " / " + rawLine.strip());
        lastWasError = false;
      }
      return;
    }
    odooLines++;
    OdooLogLine line = parsed.get();
    lastWasError = false;
    if (line.failing()) {
      if (errorLines.size() < MAX_ERROR_LINES) {
        errorLines.add(rawLine.strip());
        lastWasError = true;
      }
      return;
    }
    Matcher loaded = LOADED.matcher(line.message());
    if (line.logger().equals("odoo.modules.loading") && loaded.matches()) {
      String module = loaded.group(1);
      Duration duration = Duration.ofNanos(Math.round(Double.parseDouble(loaded.group(2)) * 1e9));
      Long queries = loaded.group(3) == null ? null : Long.valueOf(loaded.group(3));
      List<MigrationScriptRun> own = scripts.stream()
          .filter(s -> s.module().equals(module) && modules.stream().noneMatch(m -> m.scripts().contains(s)))
          .toList();
      modules.add(new ModuleLoad(module, receivedAt, duration, queries, own));
      return;
    }
    Matcher migration = MIGRATION.matcher(line.message());
    if (line.logger().equals("odoo.modules.migration") && migration.matches()) {
      String stage = "$".equals(migration.group(2)) ? "end" : ">".equals(migration.group(2)) ? "pre"
          : migration.group(4) != null ? "post" : "unknown";
      scripts.add(new MigrationScriptRun(migration.group(1), migration.group(3), stage, migration.group(5),
          receivedAt));
    }
  }

  public OdooUpgradeLog summary() {
    return new OdooUpgradeLog(modules, scripts, errorLines, odooLines);
  }
}
