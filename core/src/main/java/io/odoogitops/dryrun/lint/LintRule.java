package io.odoogitops.dryrun.lint;

/**
 * What the linter looks for, in the spirit of squawk: statements that lock production tables for long, rewrite them,
 * or make going back to the previous image impossible without restoring the database.
 */
public enum LintRule {
  INDEX_NOT_CONCURRENT("index-not-concurrent", Severity.WARNING, false,
      "CREATE INDEX without CONCURRENTLY blocks writes to the table for the whole build",
      "use CREATE INDEX CONCURRENTLY in a migration of its own"),
  ADD_COLUMN_NOT_NULL_WITHOUT_DEFAULT("add-column-not-null-without-default", Severity.ERROR, true,
      "ADD COLUMN ... NOT NULL without a DEFAULT fails on a table with rows, and the previous image cannot insert"
          + " rows without the new column",
      "add the column nullable, backfill in batches, then SET NOT NULL (or give a constant DEFAULT)"),
  ADD_COLUMN_VOLATILE_DEFAULT("add-column-volatile-default", Severity.WARNING, false,
      "ADD COLUMN with a volatile DEFAULT (now(), random(), a sequence, an identity or a stored generated column)"
          + " rewrites the table under ACCESS EXCLUSIVE",
      "add the column without a default, then backfill in batches"),
  ADD_COLUMN_REFERENCES("add-column-references", Severity.WARNING, false,
      "ADD COLUMN ... REFERENCES adds a foreign key that cannot be NOT VALID: it takes SHARE ROW EXCLUSIVE on both"
          + " tables, blocking their writes, while it is checked",
      "add the column without REFERENCES, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID and VALIDATE CONSTRAINT"
          + " in a separate transaction"),
  CHANGE_COLUMN_TYPE("change-column-type", Severity.WARNING, true,
      "ALTER COLUMN ... TYPE rewrites the table and its indexes under ACCESS EXCLUSIVE (unless binary-coercible)",
      "add a new column, backfill, switch reads, drop the old one in a later release"),
  SET_NOT_NULL("set-not-null", Severity.WARNING, false,
      "SET NOT NULL scans the whole table under ACCESS EXCLUSIVE",
      "add a CHECK (col IS NOT NULL) NOT VALID constraint, VALIDATE it, then SET NOT NULL"),
  CONSTRAINT_NOT_VALID_MISSING("constraint-without-not-valid", Severity.WARNING, false,
      "ADD CONSTRAINT (FOREIGN KEY / CHECK) validates every row while blocking writes",
      "add it NOT VALID, then VALIDATE CONSTRAINT in a separate transaction"),
  ADD_UNIQUE_CONSTRAINT("add-unique-constraint", Severity.WARNING, false,
      "ADD ... UNIQUE builds its index under ACCESS EXCLUSIVE: reads and writes of the table wait for the whole build",
      "CREATE UNIQUE INDEX CONCURRENTLY in a migration of its own, then ADD CONSTRAINT ... UNIQUE USING INDEX"),
  ADD_PRIMARY_KEY("add-primary-key", Severity.WARNING, false,
      "ADD PRIMARY KEY builds its index (and sets its columns NOT NULL, a full scan) under ACCESS EXCLUSIVE: reads and"
          + " writes of the table wait for all of it",
      "make the columns NOT NULL safely, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING"
          + " INDEX"),
  DROP_COLUMN("drop-column", Severity.WARNING, true,
      "DROP COLUMN breaks the previous image, which still reads the column: a rollback needs a database restore",
      "stop using the column in one release, drop it in a later one"),
  DROP_TABLE("drop-table", Severity.WARNING, true,
      "DROP TABLE breaks the previous image: a rollback needs a database restore",
      "stop using the table in one release, drop it in a later one"),
  RENAME("rename", Severity.WARNING, true,
      "RENAME of a table or column breaks the previous image: a rollback needs a database restore",
      "add the new name alongside the old one (view or new column) and drop the old one later"),
  LOCK_TABLE("lock-table", Severity.WARNING, false,
      "LOCK TABLE holds an explicit lock until the end of the migration's transaction",
      "let the statements take the locks they need, and keep the migration short"),
  VACUUM_FULL("vacuum-full", Severity.ERROR, false,
      "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE and cannot run inside a migration's transaction",
      "use pg_repack outside the release, or plain VACUUM"),
  MISSING_LOCK_TIMEOUT("missing-lock-timeout", Severity.WARNING, false,
      "takes a strong lock without SET lock_timeout: waiting behind a long query blocks every other session queued"
          + " behind it",
      "start the migration with SET lock_timeout = '5s' (and retry the release if it times out)"),
  MISSING_STATEMENT_TIMEOUT("missing-statement-timeout", Severity.INFO, false,
      "no SET statement_timeout: a slow statement holds its locks for as long as it runs",
      "start the migration with SET statement_timeout sized from this dry-run's durations");

  private final String id;
  private final Severity severity;
  private final boolean rollbackUnsafe;
  private final String problem;
  private final String fix;

  LintRule(String id, Severity severity, boolean rollbackUnsafe, String problem, String fix) {
    this.id = id;
    this.severity = severity;
    this.rollbackUnsafe = rollbackUnsafe;
    this.problem = problem;
    this.fix = fix;
  }

  /** Stable id used in policies ({@code forbid: [vacuum-full]}) and reports. */
  public String id() {
    return id;
  }

  public Severity severity() {
    return severity;
  }

  /** Whether the change it flags stops the previous image from working on the migrated schema. */
  public boolean rollbackUnsafe() {
    return rollbackUnsafe;
  }

  public String problem() {
    return problem;
  }

  public String fix() {
    return fix;
  }

  public static java.util.Optional<LintRule> byId(String id) {
    for (LintRule rule : values()) {
      if (rule.id.equals(id)) {
        return java.util.Optional.of(rule);
      }
    }
    return java.util.Optional.empty();
  }
}
