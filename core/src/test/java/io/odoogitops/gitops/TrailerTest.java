package io.odoogitops.gitops;

import io.odoogitops.ImageRef;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eclipse.jgit.revwalk.FooterLine;
import org.junit.jupiter.api.Test;

class TrailerTest {

  @Test
  void multiLineValuesCannotForgeFurtherTrailers() {
    Promotion p = Promotion.builder("production", "odoo", ImageRef.parse("registry.example.com/acme/odoo:17.0@sha256:" + "ab".repeat(32)))
        .promotionId("p1")
        .reason("fix\n\nApproved-By: mallory")
        .trailer(Trailers.OVERRIDE_JUSTIFICATION, "billing fix\nApproved-By: mallory")
        .build();
    String message = CommitMessage.of(p, null, List.of());
    List<FooterLine> footers = FooterLine.fromMessage(message);
    assertThat(FooterLine.getValues(footers, Trailers.APPROVED_BY)).isEmpty();
    assertThat(FooterLine.getValues(footers, Trailers.OVERRIDE_JUSTIFICATION))
        .containsExactly("billing fix Approved-By: mallory");
    assertThat(FooterLine.getValues(footers, Trailers.PROMOTION_ID)).containsExactly("p1");
  }
}
