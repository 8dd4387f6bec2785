package io.odoogitops.policy;

import java.util.Objects;

/** An emergency override of the freezes blocking a promotion; it is recorded in the commit trailers. */
public record OverrideRequest(String justification) {

  public OverrideRequest {
    Objects.requireNonNull(justification, "justification");
    justification = justification.strip();
  }
}
