package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.policy.GroupDirectory;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.SignedVote;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Records signed votes in the GitOps repository, under {@code votes/<env>/<app>/<hex>/}, one file per vote: an
 * append-only ledger that is part of the audit trail and that {@link GateCheck} reads at the commit it decides on.
 * Each vote is one commit adding one file, pushed with compare-and-swap (never forced) and replayed on a moved branch
 * like a promotion; a file that exists is never replaced. Before anything is written the vote is checked against the
 * policy at the fetched head, so a forged, unverifiable or ineligible vote never lands.
 */
public final class VoteBox {

  /** What happened to a vote. */
  public enum Outcome { RECORDED, ALREADY_RECORDED }

  /**
   * @param commitId the commit that added the vote; {@code null} when it was already there
   */
  public record Result(Outcome outcome, String path, String commitId, int attempts) {}

  private final GitOpsRepository repository;
  private final PersonIdent identity;
  private final Function<ReleaseConfig, GroupDirectory> directory;
  private final Clock clock;
  private final Consumer<String> progress;
  private final int maxAttempts;
  private final Random random = new Random();

  public VoteBox(GitOpsRepository repository, PersonIdent identity, Function<ReleaseConfig, GroupDirectory> directory,
      Clock clock, Consumer<String> progress, int maxAttempts) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.identity = identity;
    this.directory = directory;
    this.clock = clock;
    this.progress = progress;
    this.maxAttempts = maxAttempts;
  }

  /** Adds {@code vote} to the repository; refused (exit 1) if it could never count under the policy at the head. */
  public Result record(SignedVote vote) {
    String path = vote.statement().repositoryPath();
    byte[] bytes = vote.toBytes();
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      final int round = attempt;
      Result result = repository.locked(() -> {
        Snapshot snapshot = repository.fetch();
        ReleaseConfig config = snapshot.config();
        Optional<String> refusal = ReleasePolicy.of(config, directory.apply(config), snapshot.policyFiles())
            .refusalOf(vote, clock.instant());
        if (refusal.isPresent()) {
          throw ReleaseException.refused("the vote of " + vote.statement().voter() + " would not count: "
              + refusal.get() + "; nothing was pushed");
        }
        Optional<byte[]> existing = snapshot.read(path);
        if (existing.isPresent()) {
          if (Arrays.equals(existing.get(), bytes)) {
            return new Result(Outcome.ALREADY_RECORDED, path, null, round);
          }
          throw ReleaseException.refused(path + " already holds another vote; votes are append-only. Cast a new"
              + " vote (it gets its own file, and the latest vote of a person counts)");
        }
        ObjectId commit = snapshot.commit(Map.of(path, bytes), message(vote),
            new PersonIdent(identity, clock.instant()));
        if (repository.push(commit, snapshot.head()) == GitOpsRepository.PushOutcome.PUSHED) {
          return new Result(Outcome.RECORDED, path, commit.name(), round);
        }
        progress.accept("the GitOps branch moved while recording the vote; replaying on the new head");
        return null;
      });
      if (result != null) {
        return result;
      }
      PromotionEngine.sleep(PromotionEngine.backoff(random, Duration.ofMillis(50), Duration.ofSeconds(2), attempt));
    }
    throw ReleaseException.refused("gave up after " + maxAttempts + " attempts: the GitOps branch kept moving;"
        + " the vote was not recorded. Retry: the same vote file is recorded once");
  }

  private static String message(SignedVote vote) {
    var s = vote.statement();
    return "vote: " + s.voter() + " " + s.vote().name().toLowerCase(java.util.Locale.ROOT) + "s " + s.application()
        + " " + s.digest().shortForm() + " for " + s.environment()
        + (s.scope() == io.odoogitops.policy.ApprovalScope.FREEZE_OVERRIDE ? " (freeze override)" : "") + "\n\n"
        + "Vote-Environment: " + s.environment() + "\n"
        + "Vote-Application: " + s.application() + "\n"
        + "Vote-Digest: " + s.digest() + "\n"
        + "Vote-Scope: " + s.scope().yamlName() + "\n"
        + "Voter: " + s.voter() + "\n";
  }
}
