package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import org.junit.jupiter.api.Test;

/** The checks every front end (CLI, Jenkins) gets from the core's request, before anything is read or committed. */
class RollbackRequestTest {

  private static RollbackRequest request(boolean imageOnly, String justification, String restoredDatabase) {
    return RollbackRequest.builder("production", "odoo").reason("incident 42").initiator("oncall")
        .imageOnly(imageOnly, justification).restoredDatabase(restoredDatabase).build();
  }

  private static void badInput(Runnable request, String message) {
    assertThatThrownBy(request::run).isInstanceOfSatisfying(ReleaseException.class,
        e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT)).hasMessageContaining(message);
  }

  @Test
  void theJustificationIsTrimmedAndMustSaySomething() {
    assertThat(request(true, "  \tfix forward: the 17.0-3 hotfix reads the new column\n", null).justification())
        .isEqualTo("fix forward: the 17.0-3 hotfix reads the new column");
    badInput(() -> request(true, " \n\t ", null), "--image-only needs --justification TEXT");
    badInput(() -> request(true, null, null), "--image-only needs --justification TEXT");
    badInput(() -> request(false, "why not", null), "--justification only applies with --image-only");
  }

  @Test
  void theJustificationFitsTheTrailerThatAuditsIt() {
    String longest = "x".repeat(RollbackRequest.MAX_JUSTIFICATION);
    assertThat(request(true, " " + longest + " ", null).justification()).isEqualTo(longest);
    badInput(() -> request(true, longest + "y", null), "has 501 characters; at most 500 fit the commit trailer");
  }

  @Test
  void theRestoredDatabaseIsANamePostgresAndKubernetesTakeAsItIs() {
    assertThat(request(false, null, "odoo_20261130021500").restoredDatabase()).isEqualTo("odoo_20261130021500");
    assertThat(request(false, null, "odoo-db-restore-20261130021507-rw.shop.svc").restoredDatabase())
        .isEqualTo("odoo-db-restore-20261130021507-rw.shop.svc");
    badInput(() -> request(false, null, "odoo\"; DROP DATABASE odoo; --"), "is not a database name");
    badInput(() -> request(false, null, "Odoo"), "is not a database name");
    badInput(() -> request(true, "fix forward", "odoo_restored"), "exclude each other");
  }

  @Test
  void theBuilderLeavesWhatIsNotSetToTheDefaults() {
    assertThat(RollbackRequest.builder("production", "odoo").build()).isEqualTo(new RollbackRequest("production",
        "odoo", null, null, null, null, null, false, false, null, null));
    assertThat(RollbackRequest.builder("staging", "odoo").to("rel-7").reason("bad").initiatorClaim("alice")
        .buildUrl("https://ci.example/job/1/").promotionId("undo-7").build()).isEqualTo(new RollbackRequest(
        "staging", "odoo", "rel-7", "bad", "alice", "https://ci.example/job/1/", "undo-7", true, false, null, null));
  }
}
