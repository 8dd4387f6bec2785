package io.odoogitops.jenkins.repository;

import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.LandingCheck;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.Snapshot;
import io.odoogitops.trust.CommitSigner;
import java.util.function.Consumer;

/**
 * An open GitOps repository and the build log to report progress to.
 *
 * @param signer the release key, only ever present when the work runs on the controller; null: unsigned commits
 */
public record Session(GitOpsAccess access, GitOpsRepository repository, Consumer<String> log, CommitSigner signer) {

  public Session(GitOpsAccess access, GitOpsRepository repository, Consumer<String> log) {
    this(access, repository, log, null);
  }

  public PromotionEngine engine() {
    return access.engine(repository, log, LandingCheck.NONE, null);
  }

  /**
   * An engine that runs {@code check} against the snapshot each commit is built on, right before pushing it, and
   * signs the commit with the release key when this session has one.
   */
  public PromotionEngine engine(LandingCheck check) {
    return access.engine(repository, log, check, signer);
  }

  /**
   * Fetches the branch head and returns it, with {@code odoo-gitops.yaml} and the history as they are there. The
   * core fetches only under its cache lock, inside its queries; a one-entry history of {@code environment} is the
   * cheapest of them and also checks that the environment exists.
   */
  public Snapshot fetchHead(String environment) {
    engine().queries().history(environment, null, 1);
    return repository.snapshot();
  }
}
