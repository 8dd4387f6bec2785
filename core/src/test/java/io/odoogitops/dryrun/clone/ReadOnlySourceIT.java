package io.odoogitops.dryrun.clone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.OdooSourceDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production source must refuse writes whatever the URL an operator (or an attacker editing a CI job) passes:
 * parameters smuggled into the database name, URL parameters, a role whose default is read-write. Each hostile URL
 * is either refused as bad input (without printing a secret) or yields a session the server keeps read only.
 */
class ReadOnlySourceIT {

  private static final String SECRET = OdooSourceDatabase.PASSWORD;

  static OdooSourceDatabase db;

  @BeforeAll
  static void source() throws Exception {
    db = OdooSourceDatabase.shared();
    try (Connection c = db.superuser("postgres"); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS \"odoo prod ü\"");
      st.execute("CREATE DATABASE \"odoo prod ü\" OWNER " + OdooSourceDatabase.USER);
      st.execute("DROP ROLE IF EXISTS writer_by_default");
      st.execute("CREATE ROLE writer_by_default LOGIN PASSWORD '" + SECRET + "'");
      st.execute("GRANT ALL ON DATABASE " + OdooSourceDatabase.SOURCE + " TO writer_by_default");
      st.execute("ALTER ROLE writer_by_default SET default_transaction_read_only = off");
    }
    try (Connection c = db.superuser(OdooSourceDatabase.SOURCE); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS read_only_probe (id int)");
      st.execute("GRANT ALL ON read_only_probe TO writer_by_default, " + OdooSourceDatabase.USER);
    }
  }

  private String base() {
    return "jdbc:postgresql://localhost:" + db.port() + "/";
  }

  private static void assertWriteFails(PgEndpoint source) throws SQLException {
    try (Connection c = PgSessions.readOnly(source); Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.execute("INSERT INTO read_only_probe VALUES (1)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("read-only transaction");
      assertThatThrownBy(() -> st.execute("CREATE TABLE written_by_dry_run (id int)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("read-only transaction");
    }
  }

  @Test
  void aWriteOnTheSourceFailsWhateverTheUrlSays() throws Exception {
    List<String> hostile = List.of(
        OdooSourceDatabase.SOURCE,
        OdooSourceDatabase.SOURCE + "%3Foptions=-c%20default_transaction_read_only%3Doff",
        OdooSourceDatabase.SOURCE + "%3Foptions%3D-c%2520default_transaction_read_only%253Doff",
        OdooSourceDatabase.SOURCE + "?options=-c%20default_transaction_read_only%3Doff",
        OdooSourceDatabase.SOURCE + "?readOnly=false&readOnlyMode=ignore",
        OdooSourceDatabase.SOURCE + "%26options=-c%20default_transaction_read_only%3Doff",
        "postgresql%3A%2F%2Flocalhost%2F" + OdooSourceDatabase.SOURCE,
        OdooSourceDatabase.SOURCE + "#x");
    List<String> accepted = new ArrayList<>();
    for (String database : hostile) {
      PgEndpoint source;
      try {
        source = PgEndpoint.parse(base() + database, OdooSourceDatabase.USER, SECRET);
      } catch (ReleaseException refused) {
        assertThat(refused.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
        assertThat(refused.getMessage()).doesNotContain(SECRET, "default_transaction_read_only");
        continue;
      }
      accepted.add(database);
      assertWriteFails(source);
    }
    assertThat(accepted).as("only the plain name parses")
        .containsExactly(OdooSourceDatabase.SOURCE);
  }

  @Test
  void aPasswordSmuggledIntoTheDatabaseNameIsNeitherUsedNorPrinted() {
    String url = base() + OdooSourceDatabase.SOURCE + "%3Fpassword=" + SECRET;

    assertThatThrownBy(() -> PgEndpoint.parse(url, OdooSourceDatabase.USER, null))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageContaining("database name")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void aRoleWhoseDefaultIsReadWriteStillCannotWrite() throws Exception {
    PgEndpoint source = PgEndpoint.parse(base() + OdooSourceDatabase.SOURCE, "writer_by_default", SECRET);

    assertWriteFails(source);
    try (Connection c = PgSessions.readWrite(source); Statement st = c.createStatement()) {
      // the same role writes when asked to: the refusal above is the session setting, not a missing grant
      st.execute("INSERT INTO read_only_probe VALUES (2)");
    }
  }

  @Test
  void databaseNamesWithSpacesAndAccentsReachTheRightDatabase() throws Exception {
    PgEndpoint source = PgEndpoint.parse(base() + "odoo%20prod%20%C3%BC", OdooSourceDatabase.USER, SECRET);

    assertThat(source.database()).isEqualTo("odoo prod ü");
    try (Connection c = PgSessions.readOnly(source); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT current_database(), current_setting('default_transaction_read_only')")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("odoo prod ü");
      assertThat(rs.getString(2)).isEqualTo("on");
    }
  }
}
