package io.odoogitops.config;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import io.odoogitops.signing.SshKeys;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.Freq;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

/**
 * Semantic checks of the release-policy parts of {@code odoo-gitops.yaml}: calendars, groups, freeze windows, gates
 * and overrides. Binding already refused unknown keys and wrong types; this refuses what parses but cannot work (an
 * RRULE that never occurs, a window that never ends, a gate no one can satisfy) so that the mistake surfaces when the
 * file is reviewed, not at 2 a.m. during a promotion.
 */
public final class PolicySpecValidator {

  /** Freeze rules recurring more often than this are a typo (FREQ=MINUTELY), not a release policy. */
  static final Duration MIN_RECURRENCE_GAP = Duration.ofHours(1);
  /** Occurrences sampled to find an RRULE's shortest gap: more than a year of daily windows. */
  private static final int SAMPLED_OCCURRENCES = 400;
  /** No month has more business days than this, so a larger count in a close preset is a mistake. */
  static final int MAX_CLOSE_BUSINESS_DAYS = 23;
  private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern USER_ID = Pattern.compile("[^\\s:,]{1,128}");
  /** Voter ids end up in vote file names and in the signed payload: a narrower alphabet than user ids. */
  public static final Pattern VOTER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");
  private static final Set<String> ACCEPTED_DRY_RUN_VERDICTS = Set.of("PASS", "WARN");

  private final ReleaseConfig config;
  private final ConfigProblems problems;

  private PolicySpecValidator(ReleaseConfig config, ConfigProblems problems) {
    this.config = config;
    this.problems = problems;
  }

  /** Records every policy problem of {@code config} in {@code problems}. */
  public static void validate(ReleaseConfig config, ConfigProblems problems) {
    PolicySpecValidator validator = new PolicySpecValidator(config, problems);
    validator.groups();
    validator.allowedSigners();
    config.calendars().forEach(validator::calendar);
    config.environments().forEach(validator::environment);
  }

  private void groups() {
    config.groups().forEach((name, members) -> {
      String at = "/groups/" + YamlLocations.escape(name);
      if (!GROUP_NAME.matcher(name).matches()) {
        problems.at(at, "group names use letters, digits, '.', '_' and '-'");
      }
      for (int i = 0; i < members.size(); i++) {
        if (!USER_ID.matcher(members.get(i)).matches()) {
          problems.at(at + "/" + i, "'" + members.get(i) + "' is not a user id (no spaces, ':' or ',')");
        }
      }
    });
  }

  private void allowedSigners() {
    AllowedSignersSpec signers = config.allowedSigners();
    if (signers == null) {
      return;
    }
    if (signers.file() != null) {
      RepoPath.problem(signers.file()).ifPresent(p -> problems.at("/allowedSigners", p));
      return;
    }
    if (signers.keys().isEmpty()) {
      problems.at("/allowedSigners", "names no signer, so no vote could ever count; list voter ids with their"
          + " public keys, or the path of an allowed_signers file");
    }
    signers.keys().forEach((voter, keys) -> {
      String at = "/allowedSigners/" + YamlLocations.escape(voter);
      if (!VOTER_ID.matcher(voter).matches()) {
        problems.at(at, "'" + voter + "' cannot sign votes: voter ids use letters, digits, '.', '_', '@', '+' and"
            + " '-' (max 128)");
      }
      if (keys.isEmpty()) {
        problems.at(at, "lists no key");
      }
      for (int i = 0; i < keys.size(); i++) {
        try {
          SshKeys.parse(keys.get(i));
        } catch (IllegalArgumentException e) {
          problems.at(at + "/" + i, e.getMessage());
        }
      }
    });
  }

  private void calendar(String name, CalendarSpec calendar) {
    String at = "/calendars/" + YamlLocations.escape(name);
    zone(at + "/timeZone", calendar.timeZone());
    try {
      if (calendar.weekendDays().size() == DayOfWeek.values().length) {
        problems.at(at + "/weekends", "every weekday is a weekend, so no day is a business day");
      }
    } catch (IllegalArgumentException e) {
      problems.at(at + "/weekends", e.getMessage());
    }
    try {
      calendar.annualHolidayDays();
    } catch (IllegalArgumentException e) {
      problems.at(at + "/annualHolidays", e.getMessage());
    }
  }

  private void environment(String name, EnvironmentSpec env) {
    String at = "/environments/" + YamlLocations.escape(name);
    for (int i = 0; i < env.freeze().size(); i++) {
      freeze(at + "/freeze/" + i, env.freeze().get(i));
    }
    if (env.gate() != null) {
      gate(at + "/gate", env.gate());
    }
    if (env.override() != null) {
      override(at + "/override", env.override());
    }
  }

  private void freeze(String at, FreezeSpec freeze) {
    List<String> kinds = freeze.kinds();
    if (kinds.isEmpty()) {
      problems.at(at, "a freeze entry needs one of monthEndClose, quarterEndClose, yearEndClose, invoicingRun,"
          + " rrule (with duration), from/to or allowOnly");
      return;
    }
    if (kinds.size() > 1) {
      problems.at(at, "sets " + String.join(" and ", kinds) + "; write one freeze entry per kind");
      return;
    }
    if (freeze.name() != null && freeze.name().isBlank()) {
      problems.at(at + "/name", "must not be blank; leave it out for a generated name");
    }
    zone(at + "/timeZone", freeze.timeZone());
    if (freeze.calendar() != null && !config.calendars().containsKey(freeze.calendar())) {
      problems.at(at + "/" + kinds.get(0) + "/calendar", "unknown calendar '" + freeze.calendar() + "'; "
          + (config.calendars().isEmpty() ? "define it under 'calendars'"
              : "defined calendars: " + String.join(", ", config.calendars().keySet())));
    }
    actions(at + "/allow", freeze.allow());
    if (freeze.rrule() == null && (freeze.duration() != null || freeze.start() != null)) {
      problems.at(at, "'duration' and 'start' belong to an 'rrule' entry");
    }
    switch (kinds.get(0)) {
      case "monthEndClose", "quarterEndClose", "yearEndClose" -> close(at + "/" + kinds.get(0), freeze.close());
      case "invoicingRun" -> invoicingRun(at + "/invoicingRun", freeze.invoicingRun());
      case "rrule" -> rrule(at, freeze);
      case "from/to" -> range(at, freeze);
      case "allowOnly" -> allowOnly(at + "/allowOnly", freeze.allowOnly());
      default -> throw new IllegalStateException("unhandled freeze kind " + kinds.get(0));
    }
  }

  private void close(String at, FreezeSpec.CloseSpec close) {
    businessDays(at + "/businessDaysBefore", close.businessDaysBefore());
    businessDays(at + "/businessDaysAfter", close.businessDaysAfter());
    if (close.businessDaysBefore() + close.businessDaysAfter() == 0) {
      problems.at(at, "freezes no day: set businessDaysBefore and/or businessDaysAfter to 1 or more");
    }
  }

  private void invoicingRun(String at, FreezeSpec.InvoicingRunSpec run) {
    if (run.days().isEmpty()) {
      problems.at(at, "'days' is required: the days of month of the invoicing run, e.g. [1, 15]");
    }
    for (int i = 0; i < run.days().size(); i++) {
      Integer day = run.days().get(i);
      if (day == null || day == 0 || day < -31 || day > 31) {
        problems.at(at + "/days/" + i, "'" + day + "' is not a day of month; use 1..31 (clamped to the month's"
            + " length) or -1..-31 counted from the month's end");
      }
    }
    businessDays(at + "/businessDaysBefore", run.businessDaysBefore());
    businessDays(at + "/businessDaysAfter", run.businessDaysAfter());
  }

  private void businessDays(String at, int count) {
    if (count < 0 || count > MAX_CLOSE_BUSINESS_DAYS) {
      problems.at(at, count + " is out of range; use 0.." + MAX_CLOSE_BUSINESS_DAYS + " business days");
    }
  }

  private void rrule(String at, FreezeSpec freeze) {
    Duration duration = freeze.duration();
    if (duration == null) {
      problems.at(at + "/rrule", "an rrule needs a 'duration', e.g. PT24H");
    } else if (duration.isZero() || duration.isNegative()) {
      problems.at(at + "/duration", "must be positive, e.g. PT24H");
      duration = null;
    }
    RecurrenceRule rule;
    try {
      rule = new RecurrenceRule(freeze.rrule(), RecurrenceRule.RfcMode.RFC5545_STRICT);
    } catch (InvalidRecurrenceRuleException | IllegalArgumentException e) {
      problems.at(at + "/rrule", "invalid RRULE '" + freeze.rrule() + "': " + e.getMessage()
          + " (RFC 5545, e.g. FREQ=MONTHLY;BYMONTHDAY=15)");
      return;
    }
    if (rule.getFreq() == Freq.SECONDLY || rule.getFreq() == Freq.MINUTELY) {
      problems.at(at + "/rrule", "FREQ=" + rule.getFreq() + " recurs more often than hourly; a freeze window"
          + " recurs at most hourly (did you mean HOURLY, DAILY or WEEKLY?)");
      return;
    }
    if (rule.getUntil() != null && !rule.getUntil().isFloating() && !rule.getUntil().isAllDay()) {
      problems.at(at + "/rrule", "UNTIL must be a local date-time without 'Z' (e.g. UNTIL=20271231T235959):"
          + " occurrences are local times in the window's zone");
      return;
    }
    LocalDateTime start = freeze.start() != null ? freeze.start() : FreezeSpec.DEFAULT_RRULE_START;
    Duration gap = shortestGap(at, freeze.rrule(), rule, start);
    if (gap == null) {
      return;
    }
    if (gap.compareTo(MIN_RECURRENCE_GAP) < 0) {
      problems.at(at + "/rrule", "occurs every " + human(gap) + "; a freeze window recurs at most hourly");
    } else if (duration != null && duration.compareTo(gap) >= 0) {
      problems.at(at + "/duration", human(duration) + " is not shorter than the " + human(gap)
          + " between occurrences of '" + freeze.rrule() + "', so the window would never open; shorten it");
    }
  }

  /** The shortest wall-clock gap between sampled occurrences, or {@code null} after recording a problem. */
  private Duration shortestGap(String at, String text, RecurrenceRule rule, LocalDateTime start) {
    try {
      RecurrenceRuleIterator it = rule.iterator(new DateTime(start.getYear(), start.getMonthValue() - 1,
          start.getDayOfMonth(), start.getHour(), start.getMinute(), start.getSecond()));
      if (!it.hasNext()) {
        problems.at(at + "/rrule", "'" + text + "' has no occurrence from " + start + " on; check COUNT/UNTIL"
            + " and 'start'");
        return null;
      }
      long previous = it.nextMillis();
      long shortest = Long.MAX_VALUE;
      for (int i = 0; i < SAMPLED_OCCURRENCES && it.hasNext(); i++) {
        long next = it.nextMillis();
        shortest = Math.min(shortest, next - previous);
        previous = next;
      }
      return shortest == Long.MAX_VALUE ? Duration.ofDays(36500) : Duration.ofMillis(shortest);
    } catch (IllegalArgumentException e) {
      // lib-recur gives up after many candidates that all get filtered out: the rule never occurs (FEB 30).
      problems.at(at + "/rrule", "'" + text + "' never occurs (" + e.getMessage() + "); check BYMONTH/BYMONTHDAY");
      return null;
    }
  }

  private void range(String at, FreezeSpec freeze) {
    if (freeze.from() == null || freeze.to() == null) {
      problems.at(at, "a one-off freeze needs both 'from' and 'to', e.g. from: 2026-12-20T00:00");
    } else if (!freeze.from().isBefore(freeze.to())) {
      problems.at(at + "/to", "'to' (" + freeze.to() + ") must be after 'from' (" + freeze.from() + ")");
    }
  }

  private void allowOnly(String at, FreezeSpec.AllowOnlySpec allowOnly) {
    Set<DayOfWeek> days = new HashSet<>();
    for (int i = 0; i < allowOnly.days().size(); i++) {
      try {
        days.add(CalendarSpec.weekday(allowOnly.days().get(i)));
      } catch (IllegalArgumentException e) {
        problems.at(at + "/days/" + i, e.getMessage());
      }
    }
    if (allowOnly.days().isEmpty()) {
      problems.at(at + "/days", "lists no day, so deployments would never be allowed");
    } else if (days.size() == DayOfWeek.values().length && allowOnly.from().equals(allowOnly.to())
        && allowOnly.calendar() == null) {
      problems.at(at, "allows every moment of every day, so it never freezes anything; remove it");
    }
  }

  private void gate(String at, GateSpec gate) {
    approvers(at, gate.approvals(), gate.approvers());
    if (gate.dryRun() != null && !ACCEPTED_DRY_RUN_VERDICTS.contains(gate.dryRun())) {
      problems.at(at + "/dryRun", "'" + gate.dryRun() + "' is not an accepted verdict; use PASS (only PASS"
          + " passes) or WARN (PASS or WARN pass)");
    }
    if (gate.approvalTtl().isZero() || gate.approvalTtl().isNegative()) {
      problems.at(at + "/approvalTtl", "must be positive, e.g. P7D or PT12H");
    }
    if (!gate.dryRunSigners().isEmpty() && gate.dryRun() == null) {
      problems.at(at + "/dryRunSigners", "names who signs dry-run reports, but dryRun requires none; set dryRun:"
          + " PASS or WARN, or remove dryRunSigners");
    }
    if (!gate.dryRunSigners().isEmpty() && config.allowedSigners() == null) {
      problems.at(at + "/dryRunSigners", "needs allowedSigners: the keys of " + gate.dryRunSigners() + " are"
          + " looked up there");
    }
    signerIds(at + "/dryRunSigners", gate.dryRunSigners(), "ci-dryrun");
    if (!gate.restorePointSigners().isEmpty() && config.allowedSigners() == null) {
      problems.at(at + "/restorePointSigners", "needs allowedSigners: the keys of " + gate.restorePointSigners()
          + " are looked up there");
    }
    signerIds(at + "/restorePointSigners", gate.restorePointSigners(), "ci-backup");
  }

  private void signerIds(String at, List<String> signers, String example) {
    for (int i = 0; i < signers.size(); i++) {
      String signer = signers.get(i);
      if (signer == null || signer.isBlank() || !signer.strip().equals(signer) || signer.contains(",")
          || signer.contains("*") || signer.contains("?")) {
        problems.at(at + "/" + i, "'" + signer + "' is not a signer id; name one principal of"
            + " allowedSigners, e.g. " + example);
      }
    }
  }

  private void override(String at, OverrideSpec override) {
    if (override.approvals() < 0) {
      problems.at(at + "/approvals", "must be 0 or more");
    }
    approvers(at, override.approvals(), override.approvers());
    actions(at + "/allow", override.allow());
    if (override.minJustificationLength() < 1) {
      problems.at(at + "/minJustificationLength", "must be 1 or more: an override always needs a justification");
    }
  }

  /** Checks the approver references and that {@code approvals} can be met by the people they name. */
  private void approvers(String at, int approvals, List<String> approvers) {
    Set<String> people = new LinkedHashSet<>();
    boolean countable = true;
    for (int i = 0; i < approvers.size(); i++) {
      String ref = approvers.get(i);
      String where = at + "/approvers/" + i;
      if (ref.startsWith("group:")) {
        String group = ref.substring("group:".length());
        List<String> members = config.groups().get(group);
        if (members != null) {
          people.addAll(members);
        } else if (!config.groups().isEmpty()) {
          problems.at(where, "unknown group '" + group + "'; groups defined under 'groups': "
              + String.join(", ", config.groups().keySet()));
        } else {
          // Groups may come from the front end (Jenkins); without a directory here their size is unknown.
          countable = false;
        }
      } else {
        String user = ref.startsWith("user:") ? ref.substring("user:".length()) : ref;
        if (!USER_ID.matcher(user).matches()) {
          problems.at(where, "'" + ref + "' is not an approver; write user:ID, group:NAME or a bare user id");
        }
        people.add(user);
      }
    }
    if (approvals > 0 && approvers.isEmpty()) {
      problems.at(at + "/approvers", approvals + " approval(s) needed but no approvers named; list them, e.g."
          + " approvers: [group:release-managers], or set approvals: 0");
    } else if (countable && approvals > people.size()) {
      problems.at(at + "/approvals", approvals + " approvals can never be met: the approvers name only "
          + people.size() + " person(s)");
    }
  }

  private void actions(String at, List<String> allow) {
    if (allow == null) {
      return;
    }
    for (int i = 0; i < allow.size(); i++) {
      if (!OverrideSpec.ACTIONS.contains(allow.get(i))) {
        problems.at(at + "/" + i, "unknown action '" + allow.get(i) + "'; use " + String.join(" or ",
            OverrideSpec.ACTIONS));
      }
    }
  }

  private void zone(String at, String zone) {
    if (zone == null) {
      return;
    }
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      problems.at(at, "unknown time zone '" + zone + "'; use a region id such as Europe/Brussels or UTC");
    }
  }

  private static String human(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
