package io.odoogitops.dryrun.lint;

import io.odoogitops.InputFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads migration SQL without running it and reports statements that are dangerous on a large production table,
 * whatever the clone measured: a table that is small today is big next year.
 */
public final class MigrationLinter {

  private static final Pattern CREATE_INDEX = Pattern.compile("^CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)");
  private static final Pattern ALTER_TABLE = Pattern.compile("^ALTER TABLE ");
  // the table name is one token: a quoted one is "" in SqlStatement's code, whatever it contains
  private static final Pattern ALTER_TABLE_HEAD = Pattern.compile("^ALTER TABLE (IF EXISTS )?(ONLY )?\\S+ (\\* )?");
  private static final Pattern ADD_TABLE_CONSTRAINT = Pattern.compile("^ADD (CONSTRAINT|PRIMARY KEY|UNIQUE|CHECK"
      + "|FOREIGN KEY|EXCLUDE)\\b");
  private static final Pattern VOLATILE = Pattern.compile("\\b(NOW|CLOCK_TIMESTAMP|RANDOM|GEN_RANDOM_UUID"
      + "|UUID_GENERATE_V[14]|NEXTVAL|TIMEOFDAY|STATEMENT_TIMESTAMP)\\s*\\(|\\bCURRENT_TIMESTAMP\\b"
      + "|\\b(BIG|SMALL)?SERIAL\\b|\\bGENERATED\\b");
  private static final Pattern NOT_NULL = Pattern.compile("\\bNOT NULL\\b");
  private static final Pattern DEFAULT = Pattern.compile("\\b(DEFAULT|GENERATED)\\b");
  private static final Pattern REFERENCES = Pattern.compile("\\bREFERENCES\\b");
  private static final Pattern UNIQUE = Pattern.compile("\\bUNIQUE\\b");
  private static final Pattern PRIMARY_KEY = Pattern.compile("\\bPRIMARY KEY\\b");
  private static final Pattern TYPE_CHANGE = Pattern.compile("^ALTER (COLUMN )?\\S+ (SET DATA )?TYPE ");
  private static final Pattern SET_NOT_NULL = Pattern.compile("^ALTER (COLUMN )?\\S+ SET NOT NULL");
  private static final Pattern ADD_CONSTRAINT = Pattern.compile("^ADD (CONSTRAINT \\S+ )?(FOREIGN KEY|CHECK)");
  private static final Pattern ADD_UNIQUE = Pattern.compile("^ADD (CONSTRAINT \\S+ )?UNIQUE\\b");
  private static final Pattern ADD_PRIMARY_KEY = Pattern.compile("^ADD (CONSTRAINT \\S+ )?PRIMARY KEY\\b");
  // the form that adopts an index built beforehand (not "USING INDEX TABLESPACE", which still builds one)
  private static final Pattern USING_EXISTING_INDEX = Pattern.compile("^ADD (CONSTRAINT \\S+ )?(UNIQUE|PRIMARY KEY)"
      + " USING INDEX (?!TABLESPACE )");
  private static final Pattern RENAME = Pattern.compile("^RENAME ");
  private static final Pattern DROP_TABLE = Pattern.compile("^DROP TABLE ");
  private static final Pattern LOCK_TABLE = Pattern.compile("^LOCK (TABLE )?");
  private static final Pattern VACUUM_FULL = Pattern.compile("^VACUUM (\\(.*FULL.*\\)|FULL)");
  private static final Pattern SET_LOCK_TIMEOUT = Pattern.compile("^SET (LOCAL )?LOCK_TIMEOUT");
  private static final Pattern SET_STATEMENT_TIMEOUT = Pattern.compile("^SET (LOCAL )?STATEMENT_TIMEOUT");

  public List<LintFinding> lint(Path file) {
    return lint(file.getFileName().toString(), InputFiles.readUtf8(file, "migration", InputFiles.LARGE_LIMIT));
  }

  public List<LintFinding> lint(String file, String sql) {
    List<LintFinding> findings = new ArrayList<>();
    boolean lockTimeout = false;
    boolean statementTimeout = false;
    boolean timeoutsReported = false;
    for (SqlStatement st : SqlStatement.split(sql)) {
      String code = st.code();
      lockTimeout |= SET_LOCK_TIMEOUT.matcher(code).find();
      statementTimeout |= SET_STATEMENT_TIMEOUT.matcher(code).find();
      boolean strongLock = false;
      if (CREATE_INDEX.matcher(code).find()) {
        findings.add(LintFinding.of(LintRule.INDEX_NOT_CONCURRENT, file, st));
        strongLock = true;
      }
      if (ALTER_TABLE.matcher(code).find()) {
        strongLock = true;
        alterTable(file, st, findings);
      }
      if (DROP_TABLE.matcher(code).find()) {
        findings.add(LintFinding.of(LintRule.DROP_TABLE, file, st));
        strongLock = true;
      }
      if (LOCK_TABLE.matcher(code).find()) {
        findings.add(LintFinding.of(LintRule.LOCK_TABLE, file, st));
        strongLock = true;
      }
      if (VACUUM_FULL.matcher(code).find()) {
        findings.add(LintFinding.of(LintRule.VACUUM_FULL, file, st));
      }
      if (strongLock && !timeoutsReported) {
        // reported once per file, at the first statement that needed them
        if (!lockTimeout) {
          findings.add(LintFinding.of(LintRule.MISSING_LOCK_TIMEOUT, file, st));
        }
        if (!statementTimeout) {
          findings.add(LintFinding.of(LintRule.MISSING_STATEMENT_TIMEOUT, file, st));
        }
        timeoutsReported = true;
      }
    }
    return findings;
  }

  /** Checks each action of an ALTER TABLE; actions are separated by commas outside parentheses. */
  private static void alterTable(String file, SqlStatement st, List<LintFinding> findings) {
    for (String action : actions(ALTER_TABLE_HEAD.matcher(st.code()).replaceFirst(""))) {
      // column constraints are looked for outside parentheses: CHECK (x IS NOT NULL) is not NOT NULL
      String outside = outsideParentheses(action);
      if (action.startsWith("ADD ") && !ADD_TABLE_CONSTRAINT.matcher(action).find()) {
        if (NOT_NULL.matcher(outside).find() && !DEFAULT.matcher(outside).find()) {
          findings.add(LintFinding.of(LintRule.ADD_COLUMN_NOT_NULL_WITHOUT_DEFAULT, file, st));
        }
        if (VOLATILE.matcher(action).find()) {
          findings.add(LintFinding.of(LintRule.ADD_COLUMN_VOLATILE_DEFAULT, file, st));
        }
        if (REFERENCES.matcher(outside).find()) {
          findings.add(LintFinding.of(LintRule.ADD_COLUMN_REFERENCES, file, st));
        }
        if (UNIQUE.matcher(outside).find()) {
          findings.add(LintFinding.of(LintRule.ADD_UNIQUE_CONSTRAINT, file, st));
        }
        if (PRIMARY_KEY.matcher(outside).find()) {
          findings.add(LintFinding.of(LintRule.ADD_PRIMARY_KEY, file, st));
        }
      }
      boolean adoptsIndex = USING_EXISTING_INDEX.matcher(action).find();
      if (ADD_UNIQUE.matcher(action).find() && !adoptsIndex) {
        findings.add(LintFinding.of(LintRule.ADD_UNIQUE_CONSTRAINT, file, st));
      }
      if (ADD_PRIMARY_KEY.matcher(action).find() && !adoptsIndex) {
        findings.add(LintFinding.of(LintRule.ADD_PRIMARY_KEY, file, st));
      }
      if (TYPE_CHANGE.matcher(action).find()) {
        findings.add(LintFinding.of(LintRule.CHANGE_COLUMN_TYPE, file, st));
      }
      if (SET_NOT_NULL.matcher(action).find()) {
        findings.add(LintFinding.of(LintRule.SET_NOT_NULL, file, st));
      }
      if (ADD_CONSTRAINT.matcher(action).find() && !outside.contains("NOT VALID")) {
        findings.add(LintFinding.of(LintRule.CONSTRAINT_NOT_VALID_MISSING, file, st));
      }
      if (action.startsWith("DROP ") && !action.startsWith("DROP CONSTRAINT")) {
        findings.add(LintFinding.of(LintRule.DROP_COLUMN, file, st));
      }
      if (RENAME.matcher(action).find()) {
        findings.add(LintFinding.of(LintRule.RENAME, file, st));
      }
    }
  }

  /** The text with what stands inside parentheses removed, the parentheses kept. */
  private static String outsideParentheses(String action) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < action.length(); i++) {
      char ch = action.charAt(i);
      if (ch == ')') {
        depth = Math.max(0, depth - 1);
      }
      if (depth == 0) {
        out.append(ch);
      }
      if (ch == '(') {
        depth++;
      }
    }
    return out.toString();
  }

  static List<String> actions(String body) {
    List<String> actions = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < body.length(); i++) {
      char ch = body.charAt(i);
      if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (ch == ',' && depth == 0) {
        actions.add(body.substring(start, i).trim());
        start = i + 1;
      }
    }
    actions.add(body.substring(start).trim());
    return actions;
  }
}
