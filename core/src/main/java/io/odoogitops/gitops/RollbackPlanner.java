package io.odoogitops.gitops;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Chooses what a rollback restores, reading the history newest first and stopping as soon as it knows.
 *
 * <p>The model: every promotion is a state. A rollback undoes the states it names ({@code Rollback-Of}) and makes an
 * earlier state current again ({@code Rollback-To}), at its own place in time. Walking newest first, the first entry
 * that speaks about a state decides its fate; the live states, in the order they last became current, form the stack
 * a rollback pops. Keeping this apart from git makes the rules testable on plain lists.
 */
final class RollbackPlanner {

  /** What to restore, and what the rollback commit records. */
  record Target(String image, ImageDigest digest, List<String> rollbackOf, String rollbackTo) {}

  private final String application;
  private final String environment;

  RollbackPlanner(String environment, String application) {
    this.environment = environment;
    this.application = application;
  }

  /** The state before the current one. {@code currentDigest} is what the manifest says now. */
  Target previous(Iterator<HistoryEntry> newestFirst, ImageDigest currentDigest) {
    Set<String> decided = new HashSet<>();
    State current = null;
    ImageDigest previousOfCurrent = null;
    while (newestFirst.hasNext()) {
      HistoryEntry e = newestFirst.next();
      if (!application.equals(e.application())) {
        continue;
      }
      if (current != null && e.promotionId().equals(current.id()) && !e.isRollback()) {
        // The original promotion of the current state: what it replaced is the fallback target.
        previousOfCurrent = e.previousDigest();
      }
      State state = liveState(e, decided);
      if (state == null) {
        continue;
      }
      if (current == null) {
        current = state;
        if (!state.digest().equals(currentDigest)) {
          // The manifest was edited outside odoo-gitops; the last recorded state is the last known good one.
          return new Target(state.image(), state.digest(), List.of(), state.id());
        }
        if (!e.isRollback()) {
          previousOfCurrent = e.previousDigest();
        }
        continue;
      }
      return new Target(state.image(), state.digest(), List.of(current.id()), state.id());
    }
    if (current != null && previousOfCurrent != null && !previousOfCurrent.equals(currentDigest)) {
      return new Target(null, previousOfCurrent, List.of(current.id()), null);
    }
    throw ReleaseException.refused("nothing to roll back to: the history of " + application + " in " + environment
        + " has no earlier digest; pass --to <digest|promotion-id> or promote a known good image");
  }

  /** The state named by {@code to}: a promotion id (of a promotion or a rollback) or a digest. */
  Target explicit(Iterator<HistoryEntry> newestFirst, String to) {
    ImageDigest toDigest = ImageDigest.orNull(to);
    Set<String> decided = new HashSet<>();
    List<String> newerLive = new ArrayList<>();
    while (newestFirst.hasNext()) {
      HistoryEntry e = newestFirst.next();
      if (!application.equals(e.application())) {
        continue;
      }
      boolean match = toDigest != null ? toDigest.equals(e.digest()) : e.promotionId().equals(to);
      if (match) {
        return new Target(e.image(), e.digest(), newerLive, stateId(e));
      }
      State state = liveState(e, decided);
      if (state != null) {
        newerLive.add(state.id());
      }
    }
    throw ReleaseException.badInput("--to " + to + " is not in the release history of " + application + " in "
        + environment + "; see 'odoo-gitops history --env " + environment + " --app " + application + "'");
  }

  private record State(String id, String image, ImageDigest digest) {}

  /** The state this entry makes current, if no newer entry already decided that state's fate. */
  private static State liveState(HistoryEntry e, Set<String> decided) {
    String id = stateId(e);
    boolean live = !decided.contains(id);
    decided.addAll(e.rollbackOf());
    decided.add(id);
    return live ? new State(id, e.image(), e.digest()) : null;
  }

  private static String stateId(HistoryEntry e) {
    return e.rollbackTo() != null ? e.rollbackTo() : e.promotionId();
  }
}
