package io.odoogitops.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * An {@link AuditReport} as text, JSON, Markdown or self-contained HTML. Every form is deterministic (the same
 * repository state gives the same bytes; nothing says when it was generated) and every repository-provided string
 * (commit messages, trailers, names) is treated as hostile: HTML is escaped, Markdown is escaped and flattened to one
 * line, and the HTML carries no script, only inline CSS.
 */
public final class AuditDocuments {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AuditDocuments() {}

  /** Writes {@code text} to {@code file} whole or not at all (a temporary file beside it, then a rename). */
  public static void write(Path file, String text) {
    Path target = file.toAbsolutePath();
    try {
      Path temp = Files.createTempFile(target.getParent(), ".audit", ".tmp");
      try {
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot write the audit to " + file + " (" + e.getClass().getSimpleName()
          + "); check that the directory exists and is writable");
    }
  }

  public static String json(AuditReport report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ReleaseException.infrastructure("cannot write the audit as JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static String text(AuditReport report) {
    StringBuilder out = new StringBuilder();
    out.append("audit of ").append(report.environment())
        .append(report.application() == null ? "" : " (" + report.application() + ")")
        .append(" in ").append(report.repository()).append(" (branch ").append(report.branch()).append(", head ")
        .append(report.head()).append(")\n");
    out.append(summary(report)).append('\n');
    report.notices().forEach(n -> out.append("note: ").append(oneLine(n)).append('\n'));
    out.append("\nUNSANCTIONED (").append(report.unsanctioned().size()).append(")\n");
    if (report.unsanctioned().isEmpty()) {
      out.append("  none\n");
    }
    report.unsanctioned().forEach(e -> textEntry(out, e));
    out.append("\nSANCTIONED (").append(report.sanctioned().size()).append(")\n");
    report.sanctioned().forEach(e -> textEntry(out, e));
    return out.toString().stripTrailing();
  }

  private static void textEntry(StringBuilder out, AuditEntry e) {
    out.append("  ").append(e.time()).append("  ").append(e.commitId(), 0, 12).append("  ")
        .append(String.format("%-8s", e.kind())).append(' ').append(oneLine(headline(e))).append('\n');
    e.reasons().forEach(r -> out.append("    UNSANCTIONED: ").append(oneLine(r)).append('\n'));
    if (e.sanctioned()) {
      for (Check c : e.checks()) {
        out.append("    ").append(String.format("%-17s", c.name())).append(' ')
            .append(String.format("%-14s", c.status())).append(' ').append(oneLine(c.detail())).append('\n');
      }
      if (e.justification() != null) {
        out.append("    override justification: ").append(oneLine(e.justification())).append('\n');
      }
    }
  }

  private static String headline(AuditEntry e) {
    StringBuilder h = new StringBuilder();
    if (e.application() != null) {
      h.append(e.application()).append(' ').append(ImageDigest.shortForm(e.digest())).append(" <- ")
          .append(ImageDigest.shortForm(e.previousDigest()));
    }
    if (e.promotionId() != null) {
      h.append("  id=").append(e.promotionId());
    }
    if (e.author() != null) {
      h.append(h.length() == 0 ? "" : "  ").append("by ").append(e.author());
    }
    if (e.subject() != null) {
      h.append("  \"").append(e.subject()).append('"');
    }
    return h.toString();
  }

  private static String summary(AuditReport r) {
    AuditReport.Counts c = r.counts();
    return c.changes() + " change(s) from " + or(r.firstChange(), "-") + " to " + or(r.lastChange(), "-")
        + (r.since() == null ? "" : " (since " + r.since() + ")") + ": " + c.unsanctioned() + " unsanctioned, "
        + c.promotions() + " promotion(s), " + c.rollbacks() + " rollback(s), " + c.overrides()
        + " freeze override(s), " + c.notChecked() + " with checks not made";
  }

  public static String markdown(AuditReport r) {
    StringBuilder out = new StringBuilder();
    out.append("# Release audit: ").append(md(r.environment()))
        .append(r.application() == null ? "" : " (" + md(r.application()) + ")").append("\n\n");
    out.append("| | |\n|---|---|\n");
    for (String[] row : summaryRows(r)) {
      out.append("| ").append(md(row[0])).append(" | ").append(md(row[1])).append(" |\n");
    }
    out.append('\n');
    out.append(String.join("\n>\n", r.notices().stream().map(n -> "> " + md(n)).toList())).append('\n');
    out.append("\n## Unsanctioned changes (").append(r.unsanctioned().size()).append(")\n\n");
    if (r.unsanctioned().isEmpty()) {
      out.append("None.\n");
    } else {
      out.append("| Time (committer) | Commit | Kind | Author | Subject | Why |\n|---|---|---|---|---|---|\n");
      for (AuditEntry e : r.unsanctioned()) {
        out.append("| ").append(md(e.time())).append(" | `").append(e.commitId(), 0, 12).append("` | ")
            .append(md(e.kind())).append(" | ").append(md(e.author())).append(" | ").append(md(e.subject()))
            .append(" | ").append(md(String.join("; ", e.reasons()))).append(" |\n");
      }
    }
    out.append("\n## Promotions and rollbacks (").append(r.sanctioned().size()).append(")\n");
    for (AuditEntry e : r.sanctioned()) {
      out.append("\n### ").append(md(e.time())).append(" `").append(e.commitId(), 0, 12).append("` ")
          .append(md(e.kind())).append(' ').append(md(e.application())).append("\n\n");
      out.append("| | |\n|---|---|\n");
      for (String[] row : entryRows(e)) {
        out.append("| ").append(md(row[0])).append(" | ").append(md(row[1])).append(" |\n");
      }
      out.append("\n| Check | Result | Detail |\n|---|---|---|\n");
      for (Check c : e.checks()) {
        String notes = c.notes().isEmpty() ? "" : " (" + String.join("; ", c.notes()) + ")";
        out.append("| ").append(md(c.name())).append(" | ").append(md(c.status().name())).append(" | ")
            .append(md(c.detail() + notes)).append(" |\n");
      }
    }
    return out.toString();
  }

  public static String html(AuditReport r) {
    StringBuilder out = new StringBuilder();
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
        .append("<title>Release audit: ").append(h(r.environment())).append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
        .append("th,td{border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top}")
        .append("th{background:#eee}code{font-size:90%}.FAILED,.unsanctioned{background:#fdd}.PASSED{background:#dfd}")
        .append(".NOT_CHECKED{background:#ffd}.notice{border-left:4px solid #c90;padding-left:8px}\n")
        .append("</style>\n</head>\n<body>\n");
    out.append("<h1>Release audit: ").append(h(r.environment()))
        .append(r.application() == null ? "" : " (" + h(r.application()) + ")").append("</h1>\n<table>\n");
    for (String[] row : summaryRows(r)) {
      out.append("<tr><th>").append(h(row[0])).append("</th><td>").append(h(row[1])).append("</td></tr>\n");
    }
    out.append("</table>\n");
    r.notices().forEach(n -> out.append("<p class=\"notice\">").append(h(n)).append("</p>\n"));
    out.append("<h2>Unsanctioned changes (").append(r.unsanctioned().size()).append(")</h2>\n");
    if (r.unsanctioned().isEmpty()) {
      out.append("<p>None.</p>\n");
    } else {
      out.append("<table>\n<tr><th>Time (committer)</th><th>Commit</th><th>Kind</th><th>Author</th><th>Subject</th>")
          .append("<th>Why</th></tr>\n");
      for (AuditEntry e : r.unsanctioned()) {
        out.append("<tr class=\"unsanctioned\"><td>").append(h(e.time())).append("</td><td><code>")
            .append(h(e.commitId())).append("</code></td><td>").append(h(e.kind())).append("</td><td>")
            .append(h(e.author())).append("</td><td>").append(h(e.subject())).append("</td><td>");
        e.reasons().forEach(reason -> out.append(h(reason)).append("<br>"));
        out.append("</td></tr>\n");
      }
      out.append("</table>\n");
    }
    out.append("<h2>Promotions and rollbacks (").append(r.sanctioned().size()).append(")</h2>\n");
    for (AuditEntry e : r.sanctioned()) {
      out.append("<h3>").append(h(e.time())).append(" <code>").append(h(e.commitId())).append("</code> ")
          .append(h(e.kind())).append(' ').append(h(e.application())).append("</h3>\n<table>\n");
      for (String[] row : entryRows(e)) {
        out.append("<tr><th>").append(h(row[0])).append("</th><td>").append(h(row[1])).append("</td></tr>\n");
      }
      out.append("</table>\n<table>\n<tr><th>Check</th><th>Result</th><th>Detail</th></tr>\n");
      for (Check c : e.checks()) {
        out.append("<tr class=\"").append(c.status().name()).append("\"><td>").append(h(c.name()))
            .append("</td><td>").append(h(c.status().name())).append("</td><td>").append(h(c.detail()));
        if (!c.notes().isEmpty()) {
          out.append("<ul>");
          c.notes().forEach(n -> out.append("<li>").append(h(n)).append("</li>"));
          out.append("</ul>");
        }
        out.append("</td></tr>\n");
      }
      out.append("</table>\n");
    }
    return out.append("</body>\n</html>\n").toString();
  }

  private static List<String[]> summaryRows(AuditReport r) {
    AuditReport.Counts c = r.counts();
    return List.of(
        new String[] {"Repository", r.repository() + " (branch " + r.branch() + ")"},
        new String[] {"Head commit", r.head()},
        new String[] {"Period", or(r.firstChange(), "-") + " to " + or(r.lastChange(), "-")
            + (r.since() == null ? "" : " (asked: since " + r.since() + ")")},
        new String[] {"Changes audited", String.valueOf(c.changes())},
        new String[] {"Unsanctioned", String.valueOf(c.unsanctioned())},
        new String[] {"Promotions", String.valueOf(c.promotions())},
        new String[] {"Rollbacks", String.valueOf(c.rollbacks())},
        new String[] {"Freeze overrides", String.valueOf(c.overrides())},
        new String[] {"With checks not made", String.valueOf(c.notChecked())});
  }

  private static List<String[]> entryRows(AuditEntry e) {
    return List.of(
        new String[] {"Commit", e.commitId()},
        new String[] {"Subject", or(e.subject(), "")},
        new String[] {"Author / committer", or(e.author(), "") + " / " + or(e.committer(), "")},
        new String[] {"Promotion id", or(e.promotionId(), "")},
        new String[] {"Digest", or(e.digest(), "") + " (was " + or(e.previousDigest(), "none") + ")"},
        new String[] {"Initiator", or(e.initiator(), "")},
        new String[] {"Approved-By", String.join(", ", e.approvedBy())},
        new String[] {"Dry-Run", or(e.dryRun(), "")},
        new String[] {"Freeze-Override", or(e.freezeOverride(), "")},
        new String[] {"Override-Justification", or(e.justification(), "")});
  }

  private static String or(String value, String otherwise) {
    return value == null ? otherwise : value;
  }

  private static String or(ImageDigest value, String otherwise) {
    return value == null ? otherwise : value.value();
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ");
  }

  /** HTML text and attribute escaping; control characters become spaces. */
  static String h(String text) {
    return escape(text, "&<>\"'", "");
  }

  /**
   * Markdown table-cell text: one line, markup characters backslash-escaped, and {@code < > &} as entities so that
   * a renderer that allows inline HTML gets none from the repository.
   */
  static String md(String text) {
    return escape(text, "&<>", "\\`*_[]|#!~");
  }

  private static String escape(String text, String asEntity, String withBackslash) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (char ch : oneLine(text).toCharArray()) {
      if (asEntity.indexOf(ch) >= 0) {
        out.append(switch (ch) {
          case '&' -> "&amp;";
          case '<' -> "&lt;";
          case '>' -> "&gt;";
          case '"' -> "&quot;";
          default -> "&#39;";
        });
      } else if (withBackslash.indexOf(ch) >= 0) {
        out.append('\\').append(ch);
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }
}
