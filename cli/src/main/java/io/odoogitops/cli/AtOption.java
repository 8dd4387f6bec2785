package io.odoogitops.cli;

import java.time.Instant;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/**
 * {@code --at TIME}: the what-if time of the commands that only report (gate check, freeze, fleet plan and status).
 * promote and rollback have no such flag: they decide on the real clock.
 */
public final class AtOption {

  @Option(names = "--at", paramLabel = "TIME",
      description = "Answer as of this time instead of now: 2026-12-24T10:00:00Z, or a local 2026-12-24T11:00 /"
          + " 2026-12-24 in the configuration's timeZone. A what-if question: promote and rollback always decide on"
          + " the real clock.")
  String text;

  /** Whether a time was given, which makes the answer hypothetical. */
  boolean given() {
    return text != null;
  }

  /** The time as given, for saying what the answer is hypothetical on. */
  String text() {
    return text;
  }

  /** The time given (a local one in {@code zone}), else now. */
  Instant instant(ZoneId zone) {
    return PolicyConfigOption.instant(text, "--at", zone, Instant.now());
  }
}
