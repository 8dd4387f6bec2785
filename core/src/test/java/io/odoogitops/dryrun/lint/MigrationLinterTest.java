package io.odoogitops.dryrun.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationLinterTest {

  private final MigrationLinter linter = new MigrationLinter();

  private List<String> rules(String sql) {
    return linter.lint("V1__x.sql", sql).stream().map(LintFinding::rule).toList();
  }

  @Test
  void flagsEachDangerousStatementOnce() {
    assertThat(rules("SET lock_timeout = '5s'; SET statement_timeout = '1min';\n"
        + "CREATE INDEX aml_partner ON account_move_line (partner_id);"))
        .containsExactly("index-not-concurrent");
    assertThat(rules("SET lock_timeout = '5s'; SET statement_timeout = '1min';\n"
        + "ALTER TABLE account_move_line ALTER COLUMN move_id TYPE bigint;"))
        .containsExactly("change-column-type");
    assertThat(rules("SET lock_timeout = '5s'; SET statement_timeout = '1min';\n"
        + "ALTER TABLE res_partner ADD COLUMN amount numeric(10,2) NOT NULL;"))
        .containsExactly("add-column-not-null-without-default");
    assertThat(rules("SET lock_timeout = '5s'; SET statement_timeout = '1min';\n"
        + "ALTER TABLE res_partner ADD COLUMN amount numeric(10,2) NOT NULL DEFAULT 0;")).isEmpty();
    assertThat(rules("SET lock_timeout = '5s'; SET statement_timeout = '1min';\n"
        + "ALTER TABLE res_partner ADD COLUMN seen timestamp DEFAULT now(), DROP COLUMN legacy;"))
        .containsExactly("add-column-volatile-default", "drop-column");
    assertThat(rules("SET lock_timeout = '5s'; SET statement_timeout = '1min';\n"
        + "ALTER TABLE sale_order ADD CONSTRAINT so_partner_fk FOREIGN KEY (partner_id) REFERENCES res_partner(id);"))
        .containsExactly("constraint-without-not-valid");
    assertThat(rules("SET lock_timeout = '5s'; SET statement_timeout = '1min';\n"
        + "ALTER TABLE sale_order ADD CONSTRAINT so_partner_fk FOREIGN KEY (partner_id) REFERENCES res_partner(id)"
        + " NOT VALID;")).isEmpty();
    assertThat(rules("SET lock_timeout = '5s'; SET statement_timeout = '1min';\n"
        + "ALTER TABLE res_partner RENAME COLUMN ref TO reference; DROP TABLE old_stuff; LOCK TABLE res_partner;"))
        .containsExactly("rename", "drop-table", "lock-table");
    assertThat(rules("VACUUM FULL account_move_line;")).containsExactly("vacuum-full");
    assertThat(rules("CREATE INDEX CONCURRENTLY aml_p ON account_move_line (partner_id);")).isEmpty();
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
