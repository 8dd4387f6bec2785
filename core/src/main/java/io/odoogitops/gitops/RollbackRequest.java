package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Restore an earlier digest of one application in one environment.
 *
 * @param to an explicit target, a digest ({@code sha256:…}) or a promotion id, that must be in the history;
 *     {@code null} means "the digest before the current one", skipping promotions that were rolled back
 * @param promotionId id of the rollback itself, for idempotent retries; generated when null
 * @param initiatorClaimed whether {@code initiator} is only a claim (the CLI's flag): {@code Initiated-By-Claim}
 * @param imageOnly roll back only the image of a release whose dry-run said RESTORE_REQUIRED (fix forward), with
 *     {@code justification} (trimmed, at most {@value #MAX_JUSTIFICATION} characters); recorded as
 *     {@code Rollback-Image-Only}
 * @param restoredDatabase the database restored from the restore point, which the rollback switches the
 *     environment to in the same commit as the old digest (the environment's {@code restore.switch}); null: none
 */
public record RollbackRequest(String environment, String application, String to, String reason, String initiator,
    String buildUrl, String promotionId, boolean initiatorClaimed, boolean imageOnly, String justification,
    String restoredDatabase) {

  /**
   * A database name PostgreSQL and Kubernetes both take as it is (no quoting), or a service's DNS name made of such
   * labels ({@code odoo-db-restore-20261130021507-rw.shop.svc}): nothing YAML or a shell would read specially.
   */
  private static final Pattern DATABASE = Pattern.compile(
      "[a-z]([a-z0-9_-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?){0,8}");

  /** What one commit trailer holds: a longer justification would be cut in the commit that audits it. */
  public static final int MAX_JUSTIFICATION = 500;

  public RollbackRequest {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(application, "application");
    justification = justification == null ? null : justification.strip();
    if (imageOnly && (justification == null || justification.isBlank())) {
      throw ReleaseException.badInput("--image-only needs --justification TEXT: rolling back only the image of a"
          + " RESTORE_REQUIRED release starts the old image on the migrated schema, and the history must say why");
    }
    if (imageOnly && justification.length() > MAX_JUSTIFICATION) {
      throw ReleaseException.badInput("the --justification of an image-only rollback has " + justification.length()
          + " characters; at most " + MAX_JUSTIFICATION + " fit the commit trailer that audits it: say why in short"
          + " and link the incident");
    }
    if (!imageOnly && justification != null) {
      throw ReleaseException.badInput("--justification only applies with --image-only");
    }
    if (imageOnly && restoredDatabase != null) {
      throw ReleaseException.badInput("--image-only and --restored-database exclude each other: either the"
          + " database was restored (switch to it) or the image alone goes back");
    }
    if (restoredDatabase != null && !DATABASE.matcher(restoredDatabase).matches()) {
      throw ReleaseException.badInput("--restored-database '" + restoredDatabase.replaceAll("\\p{Cntrl}", "?")
          + "' is not a database name both PostgreSQL and Kubernetes accept: 1-63 lower-case letters, digits, '_' or"
          + " '-', starting with a letter, or a service name of such labels joined by dots (e.g. odoo_20261130021500"
          + " or odoo-db-restore-20261130021507-rw.shop.svc)");
    }
  }

  /** A rollback of {@code application} in {@code environment}, to the digest before the current one unless told. */
  public static Builder builder(String environment, String application) {
    return new Builder(environment, application);
  }

  /** Builds a {@link RollbackRequest}; what is not set stays null (false), which the components document. */
  public static final class Builder {
    private final String environment;
    private final String application;
    private String to;
    private String reason;
    private String initiator;
    private boolean initiatorClaimed;
    private String buildUrl;
    private String promotionId;
    private boolean imageOnly;
    private String justification;
    private String restoredDatabase;

    private Builder(String environment, String application) {
      this.environment = environment;
      this.application = application;
    }

    /** A digest or promotion id in the history; not calling it means "the digest before the current one". */
    public Builder to(String to) {
      this.to = to;
      return this;
    }

    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    /** The initiator as an authenticated identity (e.g. Jenkins' logged-in user). */
    public Builder initiator(String initiator) {
      return initiator(initiator, false);
    }

    /** The initiator as nobody checked it (a command-line flag): recorded as {@code Initiated-By-Claim}. */
    public Builder initiatorClaim(String initiator) {
      return initiator(initiator, true);
    }

    /** The initiator, {@code claimed} when nobody checked it (passed on from an earlier request). */
    public Builder initiator(String initiator, boolean claimed) {
      this.initiator = initiator;
      this.initiatorClaimed = claimed;
      return this;
    }

    public Builder buildUrl(String buildUrl) {
      this.buildUrl = buildUrl;
      return this;
    }

    /** The rollback's own id, for idempotent retries; generated when not set. */
    public Builder promotionId(String promotionId) {
      this.promotionId = promotionId;
      return this;
    }

    /** Roll back only the image ({@code imageOnly}), which needs a justification; both are checked on build. */
    public Builder imageOnly(boolean imageOnly, String justification) {
      this.imageOnly = imageOnly;
      this.justification = justification;
      return this;
    }

    public Builder restoredDatabase(String restoredDatabase) {
      this.restoredDatabase = restoredDatabase;
      return this;
    }

    /** The request, checked as the record's constructor checks it. */
    public RollbackRequest build() {
      return new RollbackRequest(environment, application, to, reason, initiator, buildUrl, promotionId,
          initiatorClaimed, imageOnly, justification, restoredDatabase);
    }
  }

  /**
   * A rollback that neither restores a database nor rolls back only the image.
   *
   * @deprecated use {@link #builder}; kept for the tests that list the components
   */
  @Deprecated
  public RollbackRequest(String environment, String application, String to, String reason, String initiator,
      String buildUrl, String promotionId, boolean initiatorClaimed) {
    this(environment, application, to, reason, initiator, buildUrl, promotionId, initiatorClaimed, false, null,
        null);
  }

  /**
   * A rollback asked for by an authenticated initiator.
   *
   * @deprecated use {@link #builder}; kept for the tests that list the components
   */
  @Deprecated
  public RollbackRequest(String environment, String application, String to, String reason, String initiator,
      String buildUrl, String promotionId) {
    this(environment, application, to, reason, initiator, buildUrl, promotionId, false, false, null, null);
  }
}
