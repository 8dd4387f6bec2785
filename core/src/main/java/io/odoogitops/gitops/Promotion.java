package io.odoogitops.gitops;

import io.odoogitops.ImageRef;
import io.odoogitops.policy.Trailer;

import io.odoogitops.ReleaseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A request to make one environment run one image digest for one application. The promotion id makes the request
 * idempotent: a retry with the same id never lands twice.
 *
 * @param promotionId unique id; generated when not given
 * @param environment target environment
 * @param application the application whose image changes
 * @param image the image, pinned by digest
 * @param reason why, in the commit body
 * @param initiator who asked for it (a user id, or the CI job)
 * @param initiatorClaimed whether the initiator is only someone's word (a CLI flag) rather than an authenticated
 *     identity; the commit then says {@code Initiated-By-Claim}
 * @param sourceRevision the module repository commit the image was built from
 * @param buildUrl the CI build that asked for it; user info, query and fragment are dropped ({@link BuildUrl})
 * @param trailers further audit trailers (approvals, dry-run, freeze override) from the policy decision
 * @param rollbackOf the promotions this one undoes; non-empty only for rollbacks
 * @param rollbackTo for rollbacks, the promotion whose state is restored (null if it predates the history)
 * @param rollback whether this is a rollback (allowed during freezes by default)
 */
public record Promotion(
    String promotionId,
    String environment,
    String application,
    ImageRef image,
    String reason,
    String initiator,
    String sourceRevision,
    String buildUrl,
    List<Trailer> trailers,
    List<String> rollbackOf,
    String rollbackTo,
    boolean rollback,
    boolean initiatorClaimed) {

  /** What a promotion id (and any id like it: a hold release's) may be. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  public Promotion {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(image, "image");
    promotionId = promotionId == null ? UUID.randomUUID().toString() : promotionId;
    if (!ID.matcher(promotionId).matches()) {
      throw ReleaseException.badInput("promotion id '" + promotionId + "' must be 1-128 letters, digits, '.', '_',"
          + " ':' or '-', starting with a letter or digit");
    }
    buildUrl = BuildUrl.withoutCredentials(buildUrl);
    trailers = List.copyOf(trailers == null ? List.of() : trailers);
    rollbackOf = List.copyOf(rollbackOf == null ? List.of() : rollbackOf);
  }

  public boolean isRollback() {
    return rollback;
  }

  public static Builder builder(String environment, String application, ImageRef image) {
    return new Builder(environment, application, image);
  }

  /** For the many optional fields; mirrors the CLI flags and Jenkins step parameters. */
  public static final class Builder {
    private final String environment;
    private final String application;
    private final ImageRef image;
    private String promotionId;
    private String reason;
    private String initiator;
    private String sourceRevision;
    private String buildUrl;
    private final List<Trailer> trailers = new ArrayList<>();
    private final List<String> rollbackOf = new ArrayList<>();
    private String rollbackTo;
    private boolean rollback;
    private boolean initiatorClaimed;

    private Builder(String environment, String application, ImageRef image) {
      this.environment = environment;
      this.application = application;
      this.image = image;
    }

    public Builder promotionId(String id) {
      this.promotionId = id;
      return this;
    }

    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    /** The initiator as an authenticated identity (e.g. Jenkins' logged-in user). */
    public Builder initiator(String initiator) {
      this.initiator = initiator;
      this.initiatorClaimed = false;
      return this;
    }

    /** The initiator as nobody checked it (a command-line flag): recorded as {@code Initiated-By-Claim}. */
    public Builder initiatorClaim(String initiator) {
      this.initiator = initiator;
      this.initiatorClaimed = true;
      return this;
    }

    public Builder sourceRevision(String sourceRevision) {
      this.sourceRevision = sourceRevision;
      return this;
    }

    public Builder buildUrl(String buildUrl) {
      this.buildUrl = buildUrl;
      return this;
    }

    public Builder trailer(String key, String value) {
      trailers.add(new Trailer(key, value));
      return this;
    }

    public Builder trailers(List<Trailer> more) {
      trailers.addAll(more);
      return this;
    }

    /** Marks this as a rollback undoing {@code undone} and restoring the state of {@code restored}. */
    public Builder rollback(List<String> undone, String restored) {
      rollbackOf.addAll(undone);
      rollbackTo = restored;
      rollback = true;
      return this;
    }

    public Promotion build() {
      return new Promotion(promotionId, environment, application, image, reason, initiator, sourceRevision,
          buildUrl, trailers, rollbackOf, rollbackTo, rollback, initiatorClaimed);
    }
  }
}
