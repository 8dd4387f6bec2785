package io.odoogitops.policy;

import java.time.LocalDate;
import java.util.List;

/**
 * One local day of a calendar view: whether promotions are possible during all, part or none of it.
 *
 * @param windows names of the windows that block promotions during part or all of the day
 */
public record FreezeDay(LocalDate date, Coverage coverage, List<String> windows) {

  /** How much of a day is frozen for promotions. */
  public enum Coverage { OPEN, PARTLY_FROZEN, FROZEN }

  public FreezeDay {
    windows = List.copyOf(windows);
  }
}
