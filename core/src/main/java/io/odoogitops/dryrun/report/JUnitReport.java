package io.odoogitops.dryrun.report;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.migrate.MigrationMeasurement;
import io.odoogitops.dryrun.upgrade.OdooUpgradeRun;
import io.odoogitops.dryrun.verdict.Reason;
import io.odoogitops.policy.Verdict;
import java.io.StringWriter;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML for Jenkins' test view: one test case per migration, failed when the migration failed or broke a FAIL
 * threshold, with the measurements in its output so the history of a migration's duration shows up as a trend.
 * When {@code odoo -u} ran on the clone, one more test case, {@code odoo -u}, in class {@code dryrun.odoo}.
 */
public final class JUnitReport {

  private JUnitReport() {
  }

  public static String render(DryRunReport r) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      OdooUpgradeRun upgrade = r.odooUpgrade();
      long failures = r.migrations().stream().filter(m -> !failReasons(r, m).isEmpty()).count()
          + (upgrade != null && !upgrade.passed() ? 1 : 0);
      int tests = r.migrations().size() + (upgrade == null ? 0 : 1);
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuite");
      xml.writeAttribute("name", "odoo-gitops dry-run " + r.imageDigest());
      xml.writeAttribute("tests", String.valueOf(tests));
      xml.writeAttribute("failures", String.valueOf(failures));
      xml.writeAttribute("errors", "0");
      xml.writeAttribute("skipped", upgrade != null && upgrade.skipped() ? "1" : "0");
      xml.writeAttribute("time", seconds(r.totalMigrationMs() + (upgrade == null ? 0 : upgrade.durationMs())));
      xml.writeAttribute("timestamp", r.startedAt().toString());
      xml.writeCharacters("\n");
      for (MigrationMeasurement m : r.migrations()) {
        xml.writeCharacters("  ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", "dryrun.migrations");
        xml.writeAttribute("name", m.script());
        xml.writeAttribute("time", seconds(m.durationMs()));
        List<Reason> failed = failReasons(r, m);
        if (!failed.isEmpty()) {
          xml.writeStartElement("failure");
          xml.writeAttribute("type", failed.get(0).rule());
          xml.writeAttribute("message", failed.get(0).message());
          xml.writeCharacters(m.error() != null ? m.error() : failed.stream().map(Reason::message)
              .reduce((a, b) -> a + "\n" + b).orElse(""));
          xml.writeEndElement();
        }
        xml.writeStartElement("system-out");
        xml.writeCharacters("transactional=" + m.transactional() + "\nlocks=" + m.locks() + "\nrewritten="
            + m.rewrittenTables() + "\nrows=" + m.rowCounts() + "\nschema=" + m.schemaChanges() + "\n");
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeCharacters("\n");
      }
      if (upgrade != null) {
        upgradeCase(xml, upgrade);
      }
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw ReleaseException.infrastructure("cannot write the JUnit report: " + e.getMessage(), e);
    }
    return out.toString() + "\n";
  }

  private static void upgradeCase(XMLStreamWriter xml, OdooUpgradeRun upgrade) throws XMLStreamException {
    xml.writeCharacters("  ");
    xml.writeStartElement("testcase");
    xml.writeAttribute("classname", "dryrun.odoo");
    xml.writeAttribute("name", "odoo -u");
    xml.writeAttribute("time", seconds(upgrade.durationMs()));
    if (upgrade.skipped()) {
      xml.writeEmptyElement("skipped");
      xml.writeAttribute("message", upgrade.detail());
    } else if (!upgrade.passed()) {
      xml.writeStartElement("failure");
      xml.writeAttribute("type", upgrade.outcome());
      xml.writeAttribute("message", upgrade.detail() == null ? upgrade.outcome() : upgrade.detail());
      xml.writeCharacters(String.join("\n", upgrade.errorLines()));
      xml.writeEndElement();
    }
    xml.writeStartElement("system-out");
    xml.writeCharacters("modules=" + String.join(",", upgrade.modules()) + "\nimage=" + upgrade.image() + "\njob="
        + upgrade.job() + "\nexitCode=" + upgrade.exitCode() + "\n");
    xml.writeEndElement();
    xml.writeEndElement();
    xml.writeCharacters("\n");
  }

  private static List<Reason> failReasons(DryRunReport r, MigrationMeasurement m) {
    return r.judgement().reasons().stream()
        .filter(reason -> reason.level() == Verdict.FAIL && reason.subject().equals(m.label()))
        .toList();
  }

  private static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.3f", millis / 1000.0);
  }
}
