package io.odoogitops.dryrun.report;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.migrate.MigrationMeasurement;
import io.odoogitops.dryrun.plan.ModulePlan;
import io.odoogitops.dryrun.upgrade.ModuleMeasurement;
import io.odoogitops.dryrun.upgrade.OdooUpgradeRun;
import io.odoogitops.dryrun.verdict.Judge;
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
 * When {@code odoo -u} ran on the clone, one more test case, {@code odoo -u}, in class {@code dryrun.odoo} (skipped or
 * failed when it would have been needed and did not run), and one per module Odoo loaded, in class
 * {@code dryrun.odoo.modules}. The modules the plan upgrades and installs are in the {@code odoo -u} case's output;
 * a dependency Odoo could not find is a failed case of its own, in class {@code dryrun.odoo.plan}.
 */
public final class JUnitReport {

  private JUnitReport() {
  }

  public static String render(DryRunReport r) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      OdooUpgradeRun upgrade = r.odooUpgrade();
      List<ModuleMeasurement> modules = upgrade == null || upgrade.measurement() == null ? List.of()
          : upgrade.measurement().modules();
      List<Reason> notRun = r.judgement().reasons().stream().filter(x -> x.rule().equals(Judge.NOT_RUN_RULE))
          .toList();
      long failures = r.migrations().stream().filter(m -> !failReasons(r, m).isEmpty()).count()
          + (upgrade != null && !upgrade.passed() ? 1 : 0)
          + modules.stream().filter(m -> !moduleFailures(r, m.module()).isEmpty()).count()
          + notRun.stream().filter(x -> x.level() == Verdict.FAIL).count();
      List<ModulePlan> missing = r.upgradePlan() == null ? List.of()
          : r.upgradePlan().with(ModulePlan.Action.MISSING_DEPENDENCY);
      failures += missing.size();
      int tests = r.migrations().size() + (upgrade == null ? 0 : 1) + modules.size() + notRun.size()
          + missing.size();
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuite");
      xml.writeAttribute("name", "odoo-gitops dry-run " + r.imageDigest());
      xml.writeAttribute("tests", String.valueOf(tests));
      xml.writeAttribute("failures", String.valueOf(failures));
      xml.writeAttribute("errors", "0");
      xml.writeAttribute("skipped", String.valueOf((upgrade != null && upgrade.skipped() ? 1 : 0)
          + notRun.stream().filter(x -> x.level() != Verdict.FAIL).count()));
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
            + m.rewrittenTables() + "\nrows=" + m.rowCounts() + "\nrowsChanged=" + m.rowChanges() + "\nschema=" + m.schemaChanges() + "\n");
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeCharacters("\n");
      }
      for (ModulePlan m : missing) {
        missingCase(xml, m);
      }
      for (Reason reason : notRun) {
        notRunCase(xml, reason, plannedModules(r));
      }
      if (upgrade != null) {
        upgradeCase(xml, upgrade, plannedModules(r));
      }
      for (ModuleMeasurement m : modules) {
        moduleCase(xml, m, moduleFailures(r, m.module()));
      }
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw ReleaseException.infrastructure("cannot write the JUnit report: " + e.getMessage(), e);
    }
    return out.toString() + "\n";
  }

  private static void upgradeCase(XMLStreamWriter xml, OdooUpgradeRun upgrade, String planned)
      throws XMLStreamException {
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
        + upgrade.job() + "\nexitCode=" + upgrade.exitCode() + "\n" + planned);
    xml.writeEndElement();
    xml.writeEndElement();
    xml.writeCharacters("\n");
  }

  /**
   * {@code odoo -u} not run although modules would be upgraded or installed: skipped when it only warns, failed when
   * required.
   */
  private static void notRunCase(XMLStreamWriter xml, Reason reason, String planned) throws XMLStreamException {
    xml.writeCharacters("  ");
    xml.writeStartElement("testcase");
    xml.writeAttribute("classname", "dryrun.odoo");
    xml.writeAttribute("name", "odoo -u measured");
    xml.writeAttribute("time", "0.000");
    if (reason.level() == Verdict.FAIL) {
      xml.writeStartElement("failure");
      xml.writeAttribute("type", reason.rule());
      xml.writeAttribute("message", reason.message());
      xml.writeEndElement();
    } else {
      xml.writeEmptyElement("skipped");
      xml.writeAttribute("message", reason.message());
    }
    xml.writeStartElement("system-out");
    xml.writeCharacters(planned);
    xml.writeEndElement();
    xml.writeEndElement();
    xml.writeCharacters("\n");
  }

  /** A dependency neither the image nor the base image has: Odoo refuses the upgrade. */
  private static void missingCase(XMLStreamWriter xml, ModulePlan m) throws XMLStreamException {
    xml.writeCharacters("  ");
    xml.writeStartElement("testcase");
    xml.writeAttribute("classname", "dryrun.odoo.plan");
    xml.writeAttribute("name", m.name());
    xml.writeAttribute("time", "0.000");
    xml.writeStartElement("failure");
    xml.writeAttribute("type", "odoo-missing-dependency");
    xml.writeAttribute("message", m.reason());
    xml.writeEndElement();
    xml.writeEndElement();
    xml.writeCharacters("\n");
  }

  /** The plan's {@code -u} and {@code -i} modules, as output lines; empty without a plan. */
  private static String plannedModules(DryRunReport r) {
    if (r.upgradePlan() == null) {
      return "";
    }
    return "planUpgrade=" + String.join(",", r.upgradePlan().names(ModulePlan.Action.UPGRADE)) + "\nplanInstall="
        + String.join(",", r.upgradePlan().names(ModulePlan.Action.INSTALL)) + "\n";
  }

  /** One case per module Odoo loaded, failed by the FAIL reasons about it, with its measurements as output. */
  private static void moduleCase(XMLStreamWriter xml, ModuleMeasurement m, List<Reason> failed)
      throws XMLStreamException {
    xml.writeCharacters("  ");
    xml.writeStartElement("testcase");
    xml.writeAttribute("classname", "dryrun.odoo.modules");
    xml.writeAttribute("name", m.module());
    xml.writeAttribute("time", seconds(m.durationMs()));
    if (!failed.isEmpty()) {
      xml.writeStartElement("failure");
      xml.writeAttribute("type", failed.get(0).rule());
      xml.writeAttribute("message", failed.get(0).message());
      xml.writeCharacters(failed.stream().map(Reason::message).reduce((a, b) -> a + "\n" + b).orElse(""));
      xml.writeEndElement();
    }
    xml.writeStartElement("system-out");
    xml.writeCharacters("queries=" + m.queries() + "\nscripts=" + m.scripts() + "\nstrongestLock="
        + (m.strongestLock() == null ? "none" : m.strongestLock().mode() + " on " + m.strongestLock().relation()
        + " for " + m.strongestLock().duration().toMillis() + " ms") + "\nrewritten=" + m.rewrittenTables()
        + "\nrows=" + m.rowChanges() + "\n");
    xml.writeEndElement();
    xml.writeEndElement();
    xml.writeCharacters("\n");
  }

  private static List<Reason> moduleFailures(DryRunReport r, String module) {
    return r.judgement().reasons().stream()
        .filter(reason -> reason.level() == Verdict.FAIL && reason.subject().equals("module " + module))
        .toList();
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
