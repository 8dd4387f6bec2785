package io.odoogitops.gitops;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ApplicationSpec;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.policy.Trailer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Plans the commit of {@code hold release}: the release record, the pins restored, the trailers. */
final class HoldRelease {

  /** A reason is a sentence or a paragraph, not a document. */
  static final int MAX_REASON_CHARS = 2000;

  /**
   * What one round does: a finished result (nothing to commit), or the files, message and result of the release.
   */
  record Planned(PromotionResult finished, Map<String, byte[]> changes, String message, PromotionResult landed) {}

  private HoldRelease() {}

  static Planned plan(Snapshot snapshot, HoldReleaseRequest request, String id, Instant now) {
    if (!Promotion.ID.matcher(id).matches()) {
      throw ReleaseException.badInput("release id '" + id + "' must be 1-128 letters, digits, '.', '_', ':' or '-',"
          + " starting with a letter or digit");
    }
    java.util.Objects.requireNonNull(request.digest(), "digest");
    String reason = request.reason() == null ? "" : request.reason().strip().replace("\r", "");
    if (reason.isEmpty() || reason.length() > MAX_REASON_CHARS) {
      throw ReleaseException.badInput("--reason is required (at most " + MAX_REASON_CHARS + " characters): lifting a"
          + " hold lets the rolled-back digest be promoted again, and the commit must say why");
    }
    EnvironmentSpec env = snapshot.config().environment(request.environment());
    ApplicationSpec app = snapshot.config().application(request.application());
    Holds.State state = Holds.read(snapshot, env.name(), app.name());
    Optional<Holds.Release> sameId = state.released().values().stream().filter(r -> id.equals(r.releaseId()))
        .findFirst();
    if (sameId.isPresent()) {
      Holds.Release r = sameId.get();
      if (!request.digest().equals(r.digest())) {
        throw ReleaseException.badInput("release id '" + id + "' already landed in commit "
            + r.commitId().substring(0, 12) + " releasing " + ImageDigest.shortForm(r.digest()) + ", not "
            + ImageDigest.shortForm(request.digest()) + "; give this release a new --release-id");
      }
      return done(request, r, id);
    }
    Optional<Hold> hold = state.on(request.digest());
    if (hold.isEmpty()) {
      Optional<Holds.Release> earlier = state.released().values().stream()
          .filter(r -> request.digest().equals(r.digest())).findFirst();
      if (earlier.isPresent()) {
        return done(request, earlier.get(), id);
      }
      hold = liftedButPinned(snapshot, env, app, request.digest());
      if (hold.isEmpty()) {
        throw ReleaseException.badInput("no hold on " + request.digest() + " for " + app.name() + " in " + env.name()
            + " (a rollback holds the digest it took away until a newer digest is promoted); see 'odoo-gitops hold"
            + " list --env " + env.name() + " --app " + app.name() + "'");
      }
    }
    Hold h = hold.get();
    Map<String, byte[]> changes = new LinkedHashMap<>();
    if (h.rollbackId() != null) {
      changes.putAll(AutomationPins.restore(snapshot, env, h.rollbackId()));
    }
    String who = request.initiator();
    changes.put(Holds.recordPath(env.name(), app.name(), h.rollbackCommit()), record(h, id, who, now)
        .getBytes(StandardCharsets.UTF_8));
    String message = message(request, h, id, reason);
    String restored = changes.size() > 1 ? "; automation restored in " + String.join(", ",
        changes.keySet().stream().filter(p -> !p.startsWith(Holds.DIRECTORY + "/")).toList()) : "";
    PromotionResult landed = PromotionResult.landed(id, env.name(), app.name(), null, h.digest(), null,
        "released the hold on " + h.digest() + " for " + app.name() + " in " + env.name()
            + " (set by rollback " + h.rollbackCommit().substring(0, 12) + ")" + restored);
    return new Planned(null, changes, message, landed);
  }

  /**
   * A hold a promotion lifted while the automation its rollback pinned is still pinned: releasing it is how that
   * automation is restored, in a commit the audit can tell from a hand edit.
   */
  private static Optional<Hold> liftedButPinned(Snapshot snapshot, EnvironmentSpec env, ApplicationSpec app,
      ImageDigest digest) {
    Optional<HistoryEntry> rollback = snapshot.history(env.name()).find(e -> e.isRollback()
        && app.name().equals(e.application()) && digest.equals(e.previousDigest()), null);
    if (rollback.isEmpty() || AutomationPins.restore(snapshot, env, rollback.get().promotionId()).isEmpty()) {
      return Optional.empty();
    }
    HistoryEntry e = rollback.get();
    return Optional.of(new Hold(env.name(), app.name(), digest, e.commitId(), e.promotionId(), e.time(),
        e.initiator()));
  }

  private static Planned done(HoldReleaseRequest request, Holds.Release r, String id) {
    return new Planned(PromotionResult.alreadyLanded(r.releaseId() == null ? id : r.releaseId(),
        request.environment(), request.application(), null, r.digest(), null, r.commitId(), "the hold on " + r.digest() + " was already released by commit "
            + r.commitId().substring(0, 12) + "; nothing to do"), null, null, null);
  }

  private static String record(Hold h, String id, String who, Instant now) {
    // Informative only: the commit that adds this file, with its trailers and signature, is what lifts the hold.
    return "# odoo-gitops hold release: the commit that added this file lifts the hold (docs/policy.md, Holds)\n"
        + "environment: " + h.environment() + "\n"
        + "application: " + h.application() + "\n"
        + "digest: " + h.digest() + "\n"
        + "rollbackCommit: " + h.rollbackCommit() + "\n"
        + "releaseId: " + id + "\n"
        + "releasedAt: " + now + "\n";
  }

  private static String message(HoldReleaseRequest request, Hold h, String id, String reason) {
    List<Trailer> trailers = new ArrayList<>();
    trailers.add(new Trailer(Holds.HOLD_RELEASE_ID, id));
    trailers.add(new Trailer(Trailers.ENVIRONMENT, h.environment()));
    trailers.add(new Trailer(Trailers.APPLICATION, h.application()));
    trailers.add(new Trailer(Holds.HELD_DIGEST, h.digest().value()));
    trailers.add(new Trailer(Holds.HOLD_OF, h.rollbackCommit()));
    // The body holds the reason in full; the trailer keeps it with the rest for 'git log --format=%(trailers)'.
    trailers.add(new Trailer(Holds.HOLD_RELEASE_REASON, reason));
    String buildUrl = BuildUrl.withoutCredentials(request.buildUrl());
    if (buildUrl != null && !buildUrl.isBlank()) {
      trailers.add(new Trailer(Trailers.BUILD_URL, buildUrl));
    }
    if (request.initiator() != null && !request.initiator().isBlank()) {
      trailers.add(new Trailer(request.initiatorClaimed() ? Trailers.INITIATED_BY_CLAIM : Trailers.INITIATED_BY,
          request.initiator()));
    }
    StringBuilder message = new StringBuilder("release hold on " + h.application() + " in " + h.environment() + ": "
        + ImageDigest.shortForm(h.digest()) + "\n\n");
    // A reason must never be read as trailers: it is a paragraph of its own, above the trailer block.
    message.append(reason).append("\n\n");
    trailers.forEach(t -> message.append(t).append('\n'));
    return message.toString();
  }
}
