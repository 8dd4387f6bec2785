package io.odoogitops.cli;

import io.odoogitops.ReleaseException;
import io.odoogitops.policy.Action;
import io.odoogitops.policy.FreezeDay;
import io.odoogitops.policy.FreezeInterval;
import io.odoogitops.policy.FreezeStatus;
import io.odoogitops.policy.ReleasePolicy;
import java.io.PrintWriter;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code odoo-gitops freeze status|calendar}: when environments are frozen, read from {@code odoo-gitops.yaml}. */
@Command(name = "freeze", description = "Freeze windows of the release policy.",
    subcommands = {FreezeCommand.Status.class, FreezeCommand.Calendar.class})
public final class FreezeCommand implements Runnable {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: status or calendar");
  }

  /** The environments to report on: the one named, or all in file order. */
  private static List<String> environments(ReleasePolicy policy, String env) {
    if (env == null) {
      return policy.environments();
    }
    policy.schedule(env); // unknown names fail here, listing the known ones
    return List.of(env);
  }

  private static String when(Instant instant, ZoneId zone) {
    return WHEN.format(instant.atZone(zone));
  }

  private static String allows(FreezeInterval interval) {
    return interval.allowed().isEmpty() ? "allows nothing"
        : "allows " + interval.allowed().stream().map(Action::yamlName).sorted().collect(Collectors.joining(", "));
  }

  /** {@code freeze status}: frozen or not, by which windows, until when. */
  @Command(name = "status", description = "Whether promotions are frozen now (or --at), by which window, until when.")
  static final class Status implements Callable<Integer> {

    @Mixin
    PolicyConfigOption config;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Option(names = "--env", paramLabel = "ENV", description = "Environment to report (default: all).")
    String env;

    @Mixin
    AtOption at;

    @Option(names = "--fail-if-frozen",
        description = "Exit 1 when a reported environment is frozen for promotions (for scripts).")
    boolean failIfFrozen;

    @Override
    public Integer call() {
      ReleasePolicy policy = ReleasePolicy.of(config.load());
      ZoneId zone = policy.zone();
      Instant instant = at.instant(zone);
      List<FreezeStatus> statuses = environments(policy, env).stream()
          .map(e -> policy.status(e, instant)).toList();
      PrintWriter out = spec.commandLine().getOut();
      boolean hypothetical = at.given();
      output.print(out, statuses.stream().map(st -> StatusJson.of(st, hypothetical)).toList(),
          text(statuses, zone) + (hypothetical ? "\n(hypothetical: as of --at " + at.text() + "; promote and rollback"
              + " decide on the real clock)" : ""));
      boolean frozen = statuses.stream().anyMatch(s -> s.blocks(Action.PROMOTE));
      return failIfFrozen && frozen ? Main.REFUSED : 0;
    }

    private static String text(List<FreezeStatus> statuses, ZoneId zone) {
      StringBuilder text = new StringBuilder();
      for (FreezeStatus s : statuses) {
        if (!s.blocks(Action.PROMOTE)) {
          text.append(s.environment()).append(": open at ").append(when(s.at(), zone));
          s.active().forEach(i -> text.append("\n  inside ").append(i.window()).append(", which ").append(allows(i)));
          s.nextFreeze().ifPresentOrElse(
              next -> text.append("\n  next freeze: ").append(next.window()).append(" from ")
                  .append(when(next.start(), zone)).append(" to ").append(when(next.end(), zone))
                  .append(" (in ").append(human(Duration.between(s.at(), next.start()))).append(')'),
              () -> text.append("\n  no freeze ahead within 400 days"));
        } else {
          text.append(s.environment()).append(": FROZEN at ").append(when(s.at(), zone));
          for (FreezeInterval i : s.active()) {
            text.append("\n  by ").append(i.window()).append(": ").append(when(i.start(), zone)).append(" to ")
                .append(when(i.end(), zone)).append(" (").append(allows(i)).append(')');
          }
          text.append(s.openAt().map(open -> "\n  promotions open again " + when(open, zone) + " (in "
              + human(Duration.between(s.at(), open)) + ")").orElse("\n  no open moment within two years"));
        }
        text.append('\n');
      }
      return text.toString().stripTrailing();
    }
  }

  /** {@code freeze calendar}: a month grid marking frozen days, then the list of windows. */
  @Command(name = "calendar", description = "Month grid of frozen days and the list of freeze windows.")
  static final class Calendar implements Callable<Integer> {

    private static final int MAX_DAYS = 3 * 366;
    private static final int MAX_LISTED_PER_WINDOW = 6;

    @Mixin
    PolicyConfigOption config;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Option(names = "--env", paramLabel = "ENV", description = "Environment to show (default: all).")
    String env;

    @Option(names = "--from", paramLabel = "DATE", description = "First day (default: first day of this month).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "Last day, inclusive (default: end of next month).")
    LocalDate to;

    @Mixin
    AtOption at;

    @Override
    public Integer call() {
      ReleasePolicy policy = ReleasePolicy.of(config.load());
      ZoneId zone = policy.zone();
      LocalDate today = at.instant(zone).atZone(zone).toLocalDate();
      LocalDate first = from != null ? from : today.withDayOfMonth(1);
      LocalDate last = to != null ? to : YearMonth.from(first).plusMonths(1).atEndOfMonth();
      if (last.isBefore(first) || first.plusDays(MAX_DAYS).isBefore(last)) {
        throw ReleaseException.badInput("--from " + first + " --to " + last + " is not a range of 1 to " + MAX_DAYS
            + " days; put --to after --from");
      }
      List<CalendarJson> calendars = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      for (String e : environments(policy, env)) {
        List<FreezeDay> days = policy.days(e, first, last, zone);
        List<FreezeInterval> windows = policy.windows(e, first.atStartOfDay(zone).toInstant(),
            last.plusDays(1).atStartOfDay(zone).toInstant());
        calendars.add(CalendarJson.of(e, zone, at.given(), days, windows));
        text.append(grid(e, zone, first, last, days, windows)).append('\n');
      }
      if (at.given()) {
        text.append("(hypothetical: 'today' is --at ").append(today).append(")\n");
      }
      output.print(spec.commandLine().getOut(), calendars, text.toString().stripTrailing());
      return 0;
    }

    private static String grid(String env, ZoneId zone, LocalDate first, LocalDate last, List<FreezeDay> days,
        List<FreezeInterval> windows) {
      StringBuilder text = new StringBuilder();
      text.append(env).append(" (").append(zone).append(")  ").append(first).append(" .. ").append(last)
          .append("\n  # frozen all day   + partly frozen   . open\n");
      YearMonth month = null;
      for (FreezeDay day : days) {
        if (!YearMonth.from(day.date()).equals(month)) {
          month = YearMonth.from(day.date());
          text.append('\n').append(String.format(Locale.ROOT, "%-14s", month.getMonth()
              .getDisplayName(TextStyle.SHORT, Locale.ROOT) + " " + month.getYear()));
          for (DayOfWeek dow : DayOfWeek.values()) {
            text.append(String.format(Locale.ROOT, " %-3s", dow.getDisplayName(TextStyle.SHORT, Locale.ROOT)));
          }
          text.append('\n').append(" ".repeat(14));
          // Pad the first week to the first day shown (not necessarily the 1st).
          text.append("    ".repeat(day.date().getDayOfWeek().getValue() - 1));
        } else if (day.date().getDayOfWeek() == DayOfWeek.MONDAY) {
          text.append('\n').append(" ".repeat(14));
        }
        text.append(String.format(Locale.ROOT, " %2d%s", day.date().getDayOfMonth(), mark(day.coverage())));
      }
      text.append("\n\n");
      if (windows.isEmpty()) {
        text.append("  no freeze window in this range\n");
      }
      int width = windows.stream().mapToInt(w -> w.window().length()).max().orElse(0);
      // Daily windows (office hours) would drown the list; the grid already shows them, so they get one line.
      Map<String, Long> counts = windows.stream()
          .collect(Collectors.groupingBy(FreezeInterval::window, Collectors.counting()));
      Set<String> summarized = new HashSet<>();
      windows.stream().sorted(Comparator.comparing(FreezeInterval::start)).forEach(w -> {
        String name = String.format(Locale.ROOT, "%-" + width + "s", w.window());
        if (counts.get(w.window()) <= MAX_LISTED_PER_WINDOW) {
          text.append("  ").append(name).append("  ").append(when(w.start(), zone)).append(" -> ")
              .append(when(w.end(), zone)).append("  (").append(allows(w)).append(")\n");
        } else if (summarized.add(w.window())) {
          text.append("  ").append(name).append("  ").append(counts.get(w.window()))
              .append(" intervals in this range, shown in the grid (").append(allows(w)).append(")\n");
        }
      });
      return text.toString();
    }

    private static char mark(FreezeDay.Coverage coverage) {
      return switch (coverage) {
        case FROZEN -> '#';
        case PARTLY_FROZEN -> '+';
        case OPEN -> '.';
      };
    }
  }

  static String human(Duration d) {
    long minutes = Math.max(0, d.toMinutes());
    long days = minutes / (24 * 60);
    long hours = minutes / 60 % 24;
    long mins = minutes % 60;
    if (days > 0) {
      return days + "d " + hours + "h";
    }
    return hours > 0 ? hours + "h " + mins + "m" : mins + "m";
  }

  /** JSON shape of one status; explicit so optional values print as null, not as Optional internals. */
  record StatusJson(String environment, Instant at, boolean hypothetical, boolean frozen, boolean promotionsBlocked,
      List<IntervalJson> active, Instant openAt, IntervalJson nextFreeze) {
    static StatusJson of(FreezeStatus s, boolean hypothetical) {
      return new StatusJson(s.environment(), s.at(), hypothetical, s.frozen(), s.blocks(Action.PROMOTE),
          s.active().stream().map(IntervalJson::of).toList(), s.openAt().orElse(null),
          s.nextFreeze().map(IntervalJson::of).orElse(null));
    }
  }

  record IntervalJson(String window, Instant start, Instant end, List<String> allowed) {
    static IntervalJson of(FreezeInterval i) {
      return new IntervalJson(i.window(), i.start(), i.end(),
          i.allowed().stream().map(Action::yamlName).sorted().toList());
    }
  }

  record CalendarJson(String environment, String timeZone, boolean hypothetical, List<DayJson> days,
      List<IntervalJson> windows) {
    static CalendarJson of(String env, ZoneId zone, boolean hypothetical, List<FreezeDay> days,
        List<FreezeInterval> windows) {
      return new CalendarJson(env, zone.getId(), hypothetical, days.stream().map(DayJson::of).toList(),
          windows.stream().map(IntervalJson::of).toList());
    }
  }

  record DayJson(LocalDate date, String coverage, List<String> windows) {
    static DayJson of(FreezeDay day) {
      return new DayJson(day.date(), day.coverage().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          day.windows());
    }
  }
}
