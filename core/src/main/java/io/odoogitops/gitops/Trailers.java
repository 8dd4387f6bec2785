package io.odoogitops.gitops;

/** The trailer keys of a promotion commit: the audit trail anyone can read with {@code git log}. */
public final class Trailers {

  public static final String PROMOTION_ID = "Promotion-Id";
  public static final String ENVIRONMENT = "Environment";
  public static final String APPLICATION = "Application";
  public static final String IMAGE = "Image";
  public static final String IMAGE_DIGEST = "Image-Digest";
  public static final String PREVIOUS_IMAGE_DIGEST = "Previous-Image-Digest";
  public static final String SOURCE_REVISION = "Source-Revision";
  public static final String BUILD_URL = "Build-Url";
  public static final String INITIATED_BY = "Initiated-By";
  /** An initiator nobody authenticated (the CLI's --initiator): recorded, never trusted. */
  public static final String INITIATED_BY_CLAIM = "Initiated-By-Claim";
  public static final String APPROVED_BY = "Approved-By";
  public static final String DRY_RUN = "Dry-Run";
  public static final String FREEZE_OVERRIDE = "Freeze-Override";
  public static final String OVERRIDE_JUSTIFICATION = "Override-Justification";
  public static final String ROLLBACK_OF = "Rollback-Of";
  /** The promotion whose state a rollback restored; lets later rollbacks know which state is current. */
  public static final String ROLLBACK_TO = "Rollback-To";

  private Trailers() {}
}
