package io.odoogitops.gitops;

import io.odoogitops.ImageDigest;
import io.odoogitops.policy.Trailer;

import java.util.ArrayList;
import java.util.List;

/** Subject, reason and the trailer block of a promotion commit, in the order DESIGN.md lists the trailers. */
final class CommitMessage {

  private CommitMessage() {}

  static String of(Promotion p, ImageDigest previousDigest, List<Trailer> decided) {
    String subject = p.isRollback()
        ? "rollback " + p.application() + " in " + p.environment() + " to " + p.image().shortDigest()
        : "promote " + p.application() + " to " + p.environment() + ": " + p.image().shortDigest();
    List<Trailer> trailers = new ArrayList<>();
    trailers.add(new Trailer(Trailers.PROMOTION_ID, p.promotionId()));
    trailers.add(new Trailer(Trailers.ENVIRONMENT, p.environment()));
    trailers.add(new Trailer(Trailers.APPLICATION, p.application()));
    trailers.add(new Trailer(Trailers.IMAGE, p.image().pinned()));
    trailers.add(new Trailer(Trailers.IMAGE_DIGEST, p.image().digest().value()));
    if (previousDigest != null) {
      trailers.add(new Trailer(Trailers.PREVIOUS_IMAGE_DIGEST, previousDigest.value()));
    }
    optional(trailers, Trailers.SOURCE_REVISION, p.sourceRevision());
    optional(trailers, Trailers.BUILD_URL, p.buildUrl());
    optional(trailers, p.initiatorClaimed() ? Trailers.INITIATED_BY_CLAIM : Trailers.INITIATED_BY, p.initiator());
    trailers.addAll(p.trailers());
    trailers.addAll(decided);
    p.rollbackOf().forEach(id -> trailers.add(new Trailer(Trailers.ROLLBACK_OF, id)));
    optional(trailers, Trailers.ROLLBACK_TO, p.rollbackTo());

    StringBuilder message = new StringBuilder(subject).append("\n\n");
    if (p.reason() != null && !p.reason().isBlank()) {
      // A reason must never be read as trailers: it is a paragraph of its own, above the trailer block.
      message.append(p.reason().strip().replace("\r", "")).append("\n\n");
    }
    trailers.forEach(t -> message.append(t).append('\n'));
    return message.toString();
  }

  private static void optional(List<Trailer> trailers, String key, String value) {
    if (value != null && !value.isBlank()) {
      trailers.add(new Trailer(key, value));
    }
  }
}
