package io.odoogitops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile repository text in every form of the report: no markup, no terminal control, one line per field. */
class AuditDocumentsTest {

  static final String HOSTILE = "fix\u001b[2J\u001b]8;;http://evil\u0007click\u001b]8;;\u0007\r\nApproved-By: mallory"
      + "\u2028</td><script>x()</script>";

  @Test
  void controlCharactersAndMarkupFromTheRepositoryNeverReachTheReader() {
    AuditEntry pushed = new AuditEntry("a".repeat(40), "2026-11-30T09:00:00Z", HOSTILE + " <x@y>", "c <c@y>",
        HOSTILE, "other", null, null, null, null, null, List.of(), null, null, null, false, List.of(HOSTILE),
        List.of(Check.failed("history", HOSTILE)));
    AuditEntry promoted = new AuditEntry("b".repeat(40), "2026-11-29T09:00:00Z", "o <o@y>", "o <o@y>", "promote",
        "promote", "odoo", new ImageDigest("sha256:" + "1".repeat(64)), null, "p1", HOSTILE, List.of(HOSTILE), HOSTILE, HOSTILE,
        null, true, List.of(), List.of(new Check("votes", Check.Status.PASSED, HOSTILE, List.of(HOSTILE))));
    AuditReport report = new AuditReport(1, "git://h/r.git", "main", "a".repeat(40), "production", null, null,
        "2026-11-29T09:00:00Z", "2026-11-30T09:00:00Z", new AuditReport.Counts(2, 1, 1, 0, 1, 1), List.of(HOSTILE),
        List.of(pushed), List.of(promoted));

    String text = AuditDocuments.text(report);
    String html = AuditDocuments.html(report);
    String markdown = AuditDocuments.markdown(report);

    for (String form : List.of(text, html, markdown)) {
      assertThat(form).doesNotContain("\u001b", "\u0007", "\r", "\u2028")
          .doesNotContainPattern("(?m)^Approved-By: mallory");
    }
    assertThat(html + markdown).doesNotContain("<script", "</td><script");
    assertThat(html).contains("&lt;/td&gt;&lt;script&gt;x()&lt;/script&gt;").doesNotContain("<a ");
    assertThat(markdown).contains("&lt;/td&gt;&lt;script&gt;x()&lt;/script&gt;");
    // Deterministic: the same report renders to the same bytes.
    assertThat(AuditDocuments.html(report)).isEqualTo(html);
    assertThat(AuditDocuments.markdown(report)).isEqualTo(markdown);
    assertThat(AuditDocuments.json(report)).contains("\"schemaVersion\" : 1").contains("\\u001B");
  }
}
