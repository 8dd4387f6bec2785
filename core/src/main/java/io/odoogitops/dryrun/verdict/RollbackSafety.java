package io.odoogitops.dryrun.verdict;

/** Whether going back to the previous image after these migrations is a redeploy or a database restore. */
public enum RollbackSafety {
  /** The previous image can run on the migrated schema: rolling back is promoting the old digest again. */
  PREVIOUS_IMAGE_COMPATIBLE,
  /** The migrated schema breaks the previous image: rolling back means restoring the database from before. */
  RESTORE_REQUIRED
}
