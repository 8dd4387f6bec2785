package io.odoogitops.policy;

import java.util.Optional;

/**
 * Reads a file of the GitOps repository at the commit being decided, such as the allowed signers file the policy
 * names. The GitOps engine passes its snapshot; the CLI's local mode, the directory of the configuration file.
 */
@FunctionalInterface
public interface RepositoryFiles {

  /** The bytes at {@code path} (relative to the repository root), or empty if nothing is there. */
  Optional<byte[]> read(String path);

  /** For configurations read without a repository: any file the policy names is missing. */
  RepositoryFiles NONE = path -> Optional.empty();
}
