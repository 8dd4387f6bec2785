package io.odoogitops.dryrun.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MigrationLinterTest {

  private final MigrationLinter linter = new MigrationLinter();

  private List<String> rules(String sql) {
    return linter.lint("V1__x.sql", sql).stream().map(LintFinding::rule).toList();
  }

  private static final String TIMEOUTS = "SET lock_timeout = '5s'; SET statement_timeout = '1min';\n";

  /** One row per case: what it shows, the SQL (after timeouts are set), the rules expected in order. */
  static Stream<Arguments> cases() {
    return Stream.of(
        row("index: plain", "CREATE INDEX aml_partner ON account_move_line (partner_id);", "index-not-concurrent"),
        row("index: unique", "CREATE UNIQUE INDEX u ON \"res partner\" (ref);", "index-not-concurrent"),
        row("index: concurrently", "CREATE INDEX CONCURRENTLY aml_p ON account_move_line (partner_id);"),
        row("not null: no default", "ALTER TABLE res_partner ADD COLUMN amount numeric(10,2) NOT NULL;",
            "add-column-not-null-without-default"),
        row("not null: quoted table", "ALTER TABLE \"res partner\" ADD COLUMN amount int NOT NULL;",
            "add-column-not-null-without-default"),
        row("not null: quoted schema and table, ONLY, no COLUMN",
            "ALTER TABLE IF EXISTS ONLY public.\"Res \"\"Partner\"\"\" ADD \"x y\" int NOT NULL;",
            "add-column-not-null-without-default"),
        row("not null: constant default", "ALTER TABLE res_partner ADD COLUMN amount numeric(10,2) NOT NULL DEFAULT 0;"),
        row("not null: only inside a CHECK", "ALTER TABLE res_partner ADD COLUMN a int CHECK (a IS NOT NULL);"),
        row("not null: a quoted column named so", "ALTER TABLE res_partner ADD COLUMN \"not null\" int;"),
        row("not null: IF NOT EXISTS, nullable", "ALTER TABLE res_partner ADD COLUMN IF NOT EXISTS a int;"),
        row("volatile default", "ALTER TABLE res_partner ADD COLUMN seen timestamp DEFAULT now();",
            "add-column-volatile-default"),
        row("volatile: identity", "ALTER TABLE res_partner ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;",
            "add-column-volatile-default"),
        row("volatile: constant default", "ALTER TABLE res_partner ADD COLUMN seen date DEFAULT '2024-01-01';"),
        row("references: inline", "ALTER TABLE sale_order ADD COLUMN partner_id int REFERENCES res_partner(id);",
            "add-column-references"),
        row("references: inline on a quoted table",
            "ALTER TABLE \"sale order\" ADD partner_id int REFERENCES \"res partner\" ON DELETE SET NULL;",
            "add-column-references"),
        row("references: plain column", "ALTER TABLE sale_order ADD COLUMN partner_ref varchar;"),
        row("foreign key: validated", "ALTER TABLE sale_order ADD CONSTRAINT so_partner_fk FOREIGN KEY (partner_id)"
            + " REFERENCES res_partner(id);", "constraint-without-not-valid"),
        row("check: validated", "ALTER TABLE sale_order ADD CHECK (amount >= 0);", "constraint-without-not-valid"),
        row("foreign key: NOT VALID", "ALTER TABLE sale_order ADD CONSTRAINT so_partner_fk FOREIGN KEY (partner_id)"
            + " REFERENCES res_partner(id) NOT VALID;"),
        row("foreign key: VALIDATE later", "ALTER TABLE sale_order VALIDATE CONSTRAINT so_partner_fk;"),
        row("unique: named", "ALTER TABLE res_partner ADD CONSTRAINT partner_ref_uniq UNIQUE (ref);",
            "add-unique-constraint"),
        row("unique: unnamed, index tablespace", "ALTER TABLE res_partner ADD UNIQUE (ref) USING INDEX TABLESPACE f;",
            "add-unique-constraint"),
        row("unique: inline on a new column", "ALTER TABLE res_partner ADD COLUMN code varchar UNIQUE;",
            "add-unique-constraint"),
        row("unique: using an index built concurrently",
            "ALTER TABLE res_partner ADD CONSTRAINT partner_ref_uniq UNIQUE USING INDEX partner_ref_idx;"),
        row("unique: only the word in a literal", "ALTER TABLE res_partner ADD COLUMN u text DEFAULT 'UNIQUE';"),
        row("primary key: unnamed", "ALTER TABLE \"res partner\" ADD PRIMARY KEY (id);", "add-primary-key"),
        row("primary key: named", "ALTER TABLE res_partner ADD CONSTRAINT res_partner_pkey PRIMARY KEY (id);",
            "add-primary-key"),
        row("primary key: inline on a new column",
            "ALTER TABLE res_partner ADD COLUMN id2 int PRIMARY KEY;", "add-primary-key"),
        row("primary key: using an index",
            "ALTER TABLE res_partner DROP CONSTRAINT res_partner_pkey,"
                + " ADD CONSTRAINT res_partner_pkey PRIMARY KEY USING INDEX res_partner_id_idx;"),
        row("type change", "ALTER TABLE account_move_line ALTER COLUMN move_id TYPE bigint;", "change-column-type"),
        row("type change: quoted column", "ALTER TABLE account_move_line ALTER \"move id\" SET DATA TYPE bigint;",
            "change-column-type"),
        row("type change: default only", "ALTER TABLE account_move_line ALTER COLUMN move_id SET DEFAULT 0;"),
        row("set not null", "ALTER TABLE res_partner ALTER COLUMN \"name\" SET NOT NULL;", "set-not-null"),
        row("set not null: dropped", "ALTER TABLE res_partner ALTER COLUMN name DROP NOT NULL;"),
        row("drop column and volatile default in one statement",
            "ALTER TABLE res_partner ADD COLUMN seen timestamp DEFAULT now(), DROP COLUMN legacy;",
            "add-column-volatile-default", "drop-column"),
        row("drop constraint", "ALTER TABLE res_partner DROP CONSTRAINT old_check;"),
        row("drop table", "DROP TABLE old_stuff;", "drop-table"),
        row("drop table: a view", "DROP VIEW old_stuff;"),
        row("rename", "ALTER TABLE res_partner RENAME COLUMN ref TO reference;", "rename"),
        row("rename: table", "ALTER TABLE t RENAME TO u;", "rename"),
        row("lock table", "LOCK TABLE res_partner IN ACCESS EXCLUSIVE MODE;", "lock-table"),
        row("lock table: advisory lock", "SELECT pg_advisory_xact_lock(42);"),
        row("vacuum full", "VACUUM (FULL, ANALYZE) account_move_line;", "vacuum-full"),
        row("vacuum: plain", "VACUUM ANALYZE account_move_line;"),
        // the lexer: nothing inside a literal, a quoted name, a body or a comment is a statement
        row("lexer: E'' string with a backslash-escaped quote",
            "INSERT INTO note (body) VALUES (E'it\\'s; DROP TABLE x; --');"),
        row("lexer: E'' string ending in an escaped backslash",
            "INSERT INTO note (body) VALUES (e'path\\\\'); DROP TABLE x;", "drop-table"),
        row("lexer: standard string, a backslash is just a character",
            "INSERT INTO note (body) VALUES ('C:\\'); DROP TABLE x;", "drop-table"),
        row("lexer: standard string with doubled quotes",
            "INSERT INTO note (body) VALUES ('it''s; DROP TABLE x; --');"),
        row("lexer: a word ending in e before a string is no E prefix",
            "INSERT INTO note (type) VALUES (type'x\\'); DROP TABLE x;", "drop-table"),
        row("lexer: quoted identifier with doubled quotes",
            "ALTER TABLE \"a\"\"; DROP TABLE x; --\" ADD COLUMN b int;"),
        row("lexer: dollar-quoted body with a tag",
            "DO $mig$ BEGIN EXECUTE $$DROP TABLE z$$; END $mig$;"),
        row("lexer: positional parameter is no dollar quote",
            "PREPARE p AS SELECT $1; DROP TABLE x;", "drop-table"),
        row("lexer: nested block comment",
            "/* outer /* inner */ DROP TABLE still_a_comment; */ SELECT 1;"),
        row("lexer: line comment", "-- DROP TABLE res_partner; VACUUM FULL x;\nSELECT 1;"));
  }

  private static Arguments row(String name, String sql, String... rules) {
    return Arguments.of(name, sql, List.of(rules));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void flagsWhatIsDangerousAndNothingElse(String name, String sql, List<String> expected) {
    assertThat(rules(TIMEOUTS + sql)).as(name).containsExactlyElementsOf(expected);
  }

  @Test
  void everyRuleIsFlaggedByACaseOfTheTable() {
    Set<String> flagged = cases().map(c -> (List<?>) c.get()[2]).flatMap(List::stream).map(String::valueOf)
        .collect(Collectors.toSet());
    for (LintRule rule : LintRule.values()) {
      if (rule != LintRule.MISSING_LOCK_TIMEOUT && rule != LintRule.MISSING_STATEMENT_TIMEOUT) {
        assertThat(flagged).as("a case flagged by " + rule.id()).contains(rule.id());
      }
    }
  }

  @Test
  void asksForTimeoutsOncePerFileWhereAStrongLockIsTaken() {
    List<LintFinding> findings = linter.lint("V2__y.sql",
        "UPDATE res_partner SET active = true;\nALTER TABLE res_partner ADD COLUMN a int;\n"
            + "ALTER TABLE res_partner ADD COLUMN b int;");
    assertThat(findings).extracting(LintFinding::rule)
        .containsExactly("missing-lock-timeout", "missing-statement-timeout");
    assertThat(findings.get(0).line()).isEqualTo(2);
    assertThat(findings.get(0).statement()).isEqualTo("ALTER TABLE res_partner ADD COLUMN a int");
  }

  @Test
  void ignoresCommentsStringsAndFunctionBodies() {
    String sql = "SET lock_timeout = '5s'; SET statement_timeout = '1min';\n"
        + "-- DROP TABLE res_partner; VACUUM FULL x;\n"
        + "/* ALTER TABLE a DROP COLUMN b; */\n"
        + "INSERT INTO ir_config_parameter (key, value) VALUES ('note', 'DROP TABLE x; VACUUM FULL y');\n"
        + "CREATE FUNCTION f() RETURNS void AS $$ BEGIN EXECUTE 'DROP TABLE z'; END $$ LANGUAGE plpgsql;\n"
        + "ALTER TABLE res_partner DROP CONSTRAINT old_check, ALTER COLUMN name DROP NOT NULL;";
    assertThat(rules(sql)).isEmpty();
    assertThat(SqlStatement.split(sql)).hasSize(5);
  }

  @Test
  void rulesSayWhyAndHowToFix() {
    LintFinding finding = linter.lint("V3__z.sql", "ALTER TABLE t DROP COLUMN c;").get(0);
    assertThat(finding.rollbackUnsafe()).isTrue();
    assertThat(finding.fix()).isNotBlank();
    assertThat(LintRule.byId("vacuum-full")).contains(LintRule.VACUUM_FULL);
  }
}
