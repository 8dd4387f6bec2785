package io.odoogitops.odoo.log;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Odoo's log line by line while {@code odoo -u} runs and sums it up as an {@link OdooUpgradeLog}.
 *
 * <p>Thread-confined: one thread feeds every line, in the order they arrived, including the lines that are not log
 * records (traceback lines, continuation lines of multi-line messages, {@code print()} output), and asks for the
 * {@link #summary()}. A caller that reads on one thread and summarises on another synchronises itself.
 *
 * <p>Memory is bounded whatever the log holds, because the log is the output of code under test: a kept line is cut
 * to {@link #MAX_LINE_CHARS} characters, at most {@link #MAX_ERROR_LINES} error lines and {@link #MAX_RECORDS}
 * module loads and scripts are kept (the counts go on: {@link #errorCount()}, {@link #droppedRecords()}), and only
 * the first {@value OdooLogLine#PARSED_PREFIX_CHARS} characters of a line are parsed.
 */
public final class OdooLogReader {

  public static final int MAX_LINE_CHARS = 2_000;
  public static final int MAX_ERROR_LINES = 50;
  /** Far above the ~1,000 modules of an {@code -u all} with Odoo Enterprise and its scripts. */
  public static final int MAX_RECORDS = 20_000;

  /**
   * {@code odoo/modules/loading.py}, 16.0 to 18.0: {@code "Module %s loaded in %.2fs%s, %s queries%s"}, the first
   * {@code %s} being {@code " (incl. 1.23s test)"} with tests, the last {@code " (+12 test, +3 other)"} when other
   * cursors ran queries.
   */
  private static final Pattern MODULE_LOADED = Pattern.compile(
      "Module (\\S+) loaded in (\\d{1,9}(?:\\.\\d{1,9})?)s(?: \\(incl\\. [\\d.]+s test\\))?, (\\d{1,18}) queries"
          + "(?: \\([^)]*\\))?");
  /**
   * {@code odoo/modules/migration.py}: {@code "module %(addon)s: Running migration %(version)s %(name)s"} with the
   * version as {@code [>1.1]} (pre), {@code [1.1>]} (post) or {@code [$1.1]} (end); later Odoo says "upgrade".
   */
  private static final Pattern SCRIPT = Pattern.compile(
      "module (\\S+): Running (?:migration|upgrade) \\[(>|\\$)?([^\\]>$\\s]+)(>)?\\] (\\S+)");
  /**
   * Odoo's own loggers, matched exactly: a module's logger is {@code odoo.addons.<module>.<anything>}, so a suffix
   * match would let a module's code forge module loads and migration scripts.
   */
  private static final String LOADING_LOGGER = "odoo.modules.loading";
  private static final String MIGRATION_LOGGER = "odoo.modules.migration";
  private static final String TRACEBACK = "Traceback (most recent call last):";

  private final List<ModuleLoad> modules = new ArrayList<>();
  private final List<MigrationScriptRun> scripts = new ArrayList<>();
  /** Scripts of a module whose "loaded" line has not come yet (pre and post), or never comes (end). */
  private final Map<String, List<MigrationScriptRun>> pendingScripts = new LinkedHashMap<>();
  private final List<String> errorLines = new ArrayList<>();
  private int odooLines;
  private int errorCount;
  private int droppedRecords;

  /** The ERROR/CRITICAL line whose traceback may follow, and what is known of that traceback so far. */
  private String openError;
  private boolean inTraceback;
  private boolean afterFrame;
  private String exceptionLine;

  /**
   * Takes the next line of the log.
   *
   * @param receivedAt when the line arrived; Odoo's own timestamps have no zone and a second-rate clock
   * @param rawLine the line as read, without or with its line terminator and colour codes
   */
  public void accept(Instant receivedAt, String rawLine) {
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (rawLine == null) {
      return;
    }
    var parsed = OdooLogLine.parse(rawLine);
    if (parsed.isEmpty()) {
      continuation(rawLine);
      return;
    }
    closeError();
    OdooLogLine line = parsed.get();
    odooLines = odooLines == Integer.MAX_VALUE ? odooLines : odooLines + 1;
    if (line.failing()) {
      errorCount = errorCount == Integer.MAX_VALUE ? errorCount : errorCount + 1;
      if (errorLines.size() < MAX_ERROR_LINES) {
        openError = keepable(OdooLogLine.withoutColours(rawLine).stripTrailing());
      }
    } else if (LOADING_LOGGER.equals(line.logger()) && !"DEBUG".equals(line.level())) {
      // at DEBUG, Odoo reports the modules it only loaded; the ones it installed or upgraded are at INFO
      moduleLoaded(receivedAt, line.message());
    } else if (MIGRATION_LOGGER.equals(line.logger())) {
      scriptRan(receivedAt, line.message());
    }
  }

  private void moduleLoaded(Instant receivedAt, String message) {
    Matcher m = MODULE_LOADED.matcher(message);
    if (!m.matches()) {
      return;
    }
    String module = m.group(1);
    List<MigrationScriptRun> ran = pendingScripts.remove(module);
    if (modules.size() >= MAX_RECORDS) {
      droppedRecords++;
      return;
    }
    Duration duration = seconds(m.group(2));
    modules.add(new ModuleLoad(module, receivedAt, duration, Long.valueOf(m.group(3)),
        ran == null ? List.of() : ran));
  }

  private void scriptRan(Instant receivedAt, String message) {
    Matcher m = SCRIPT.matcher(message);
    if (!m.matches()) {
      return;
    }
    String stage;
    if (">".equals(m.group(2)) && m.group(4) == null) {
      stage = MigrationScriptRun.PRE;
    } else if ("$".equals(m.group(2)) && m.group(4) == null) {
      stage = MigrationScriptRun.END;
    } else if (m.group(2) == null && m.group(4) != null) {
      stage = MigrationScriptRun.POST;
    } else {
      return;
    }
    if (scripts.size() >= MAX_RECORDS) {
      droppedRecords++;
      return;
    }
    String script = m.group(5);
    if (script.endsWith(".py")) {
      script = script.substring(0, script.length() - 3);
    }
    MigrationScriptRun run = new MigrationScriptRun(m.group(1), m.group(3), stage, keepable(script), receivedAt);
    scripts.add(run);
    pendingScripts.computeIfAbsent(run.module(), k -> new ArrayList<>()).add(run);
  }

  /**
   * A line that is not a log record. After an ERROR/CRITICAL record, Python's traceback follows: the
   * {@code Traceback} header, indented frame lines, then the exception line, and for chained exceptions another
   * block. The exception line of the last block is what went wrong; lines after it (a PostgreSQL error's
   * {@code DETAIL:}) and everything else are not kept.
   */
  private void continuation(String rawLine) {
    if (openError == null) {
      return;
    }
    String text = OdooLogLine.withoutColours(rawLine.length() > MAX_LINE_CHARS * 2
        ? rawLine.substring(0, MAX_LINE_CHARS * 2) : rawLine);
    if (text.startsWith(TRACEBACK)) {
      inTraceback = true;
      afterFrame = false;
    } else if (!inTraceback) {
      return;
    } else if (text.isBlank()) {
      afterFrame = false;
    } else if (Character.isWhitespace(text.charAt(0))) {
      afterFrame = true;
    } else if (afterFrame) {
      exceptionLine = keepable(text.stripTrailing());
      afterFrame = false;
    }
  }

  private void closeError() {
    if (openError == null) {
      return;
    }
    errorLines.add(exceptionLine == null ? openError : keepable(openError + " | " + exceptionLine));
    openError = null;
    inTraceback = false;
    afterFrame = false;
    exceptionLine = null;
  }

  /**
   * The summary of what was read so far; the reader goes on reading afterwards. An error whose traceback is still
   * arriving is included with what is known of it.
   */
  public OdooUpgradeLog summary() {
    List<String> errors = new ArrayList<>(errorLines);
    if (openError != null) {
      errors.add(exceptionLine == null ? openError : keepable(openError + " | " + exceptionLine));
    }
    List<ModuleLoad> loads = new ArrayList<>(modules);
    // end- scripts run after every module was loaded: they belong to the module's last load
    pendingScripts.forEach((module, ran) -> {
      for (int i = loads.size() - 1; i >= 0; i--) {
        ModuleLoad load = loads.get(i);
        if (load.module().equals(module)) {
          List<MigrationScriptRun> all = new ArrayList<>(load.scripts());
          all.addAll(ran);
          loads.set(i, new ModuleLoad(module, load.finishedAt(), load.duration(), load.queries(), all));
          return;
        }
      }
    });
    return new OdooUpgradeLog(loads, scripts, errors, odooLines);
  }

  /** Every ERROR/CRITICAL record read, kept or not. */
  public int errorCount() {
    return errorCount;
  }

  /** Module loads and scripts not kept because {@link #MAX_RECORDS} was reached. */
  public int droppedRecords() {
    return droppedRecords;
  }

  private static Duration seconds(String text) {
    BigDecimal seconds = new BigDecimal(text);
    return Duration.ofNanos(seconds.movePointRight(9).longValue());
  }

  /**
   * {@code text} safe to keep and show: control characters (a log is hostile input; they would drive a terminal)
   * replaced, cut to {@link #MAX_LINE_CHARS} without splitting a character, and saying so.
   */
  static String keepable(String text) {
    int limit = text.length() <= MAX_LINE_CHARS ? text.length() : MAX_LINE_CHARS;
    if (limit < text.length() && Character.isHighSurrogate(text.charAt(limit - 1))) {
      limit--;
    }
    StringBuilder kept = new StringBuilder(limit + 40);
    for (int i = 0; i < limit; i++) {
      char c = text.charAt(i);
      kept.append(Character.isISOControl(c) && c != '\t' ? '\uFFFD' : c);
    }
    if (limit < text.length()) {
      kept.append(" [cut: ").append(text.length() - limit).append(" more characters]");
    }
    return kept.toString();
  }
}
