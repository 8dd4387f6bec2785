package io.odoogitops.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The vote files offered to a decision: those that could be read, and those that could not, with why. An unreadable
 * file is never an error of the whole decision — it is a vote that does not count, listed as such.
 *
 * @param unreadable {@code source: reason}, one per file that is not a well-formed signed vote
 */
public record Ballots(List<SignedVote> signed, List<String> unreadable) {

  public Ballots {
    signed = List.copyOf(signed);
    unreadable = List.copyOf(unreadable);
  }

  public static Ballots none() {
    return new Ballots(List.of(), List.of());
  }

  /** Parses vote files, keyed by where they came from. */
  public static Ballots read(Map<String, byte[]> files) {
    List<SignedVote> signed = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    files.forEach((source, bytes) -> {
      try {
        signed.add(SignedVote.parse(bytes, source));
      } catch (IllegalArgumentException e) {
        unreadable.add(source + ": " + e.getMessage());
      }
    });
    return new Ballots(signed, unreadable);
  }

  /** Both sets together, e.g. the repository's votes and those given on the command line. */
  public Ballots plus(Ballots other) {
    List<SignedVote> s = new ArrayList<>(signed);
    s.addAll(other.signed);
    List<String> u = new ArrayList<>(unreadable);
    u.addAll(other.unreadable);
    return new Ballots(s, u);
  }
}
