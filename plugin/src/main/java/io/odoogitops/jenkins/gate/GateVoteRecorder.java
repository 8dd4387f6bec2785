package io.odoogitops.jenkins.gate;

import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.LogTaskListener;
import io.odoogitops.gitops.VoteBox;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.jenkins.repository.GitOpsAccessFactory;
import io.odoogitops.jenkins.repository.GitOpsCallable;
import io.odoogitops.jenkins.repository.Session;
import io.odoogitops.policy.SignedVote;
import java.io.Serial;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Commits a vote signed on the gate page under {@code votes/} of the GitOps repository with the core's
 * {@link VoteBox}, so the audit trail holds it. Runs on the controller, off the request thread, in the gate's own pool
 * with its time limit (git may hang); the vote already counts for the waiting gate whether or not this succeeds, so a
 * failure is logged, not shown to the voter.
 */
final class GateVoteRecorder {

  private static final Logger LOGGER = Logger.getLogger(GateVoteRecorder.class.getName());
  private static final int ATTEMPTS = 5;

  private GateVoteRecorder() {}

  static void record(Run<?, ?> run, SignedVote vote, List<String> voterGroups) {
    String what = "the vote of " + vote.statement().voter() + " on " + run.getFullDisplayName();
    GateOpenings.open(() -> {
      GitOpsAccess access = GitOpsAccessFactory.forRun(run, Jenkins.get().getRootPath());
      return new Record(access, new LogTaskListener(LOGGER, Level.INFO), vote.toBytes(), voterGroups).call();
    }, GateOpenings.LIMIT, (result, failure) -> {
      if (failure != null) {
        LOGGER.log(Level.WARNING, what + " counts for its gate but was not recorded in the GitOps repository: "
            + failure.getMessage());
      } else {
        LOGGER.info(what + " recorded: " + result);
      }
    });
  }

  /** Runs on the controller. Carries the vote file's bytes: the core's records are not serializable. */
  private static final class Record extends GitOpsCallable<String> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final byte[] voteFile;
    private final List<String> voterGroups;

    Record(GitOpsAccess access, TaskListener listener, byte[] voteFile, List<String> voterGroups) {
      super(access, listener);
      this.voteFile = voteFile;
      this.voterGroups = List.copyOf(voterGroups);
    }

    @Override
    protected String work(Session session) {
      SignedVote vote = SignedVote.parse(voteFile, "jenkins gate page");
      GitOpsAccess access = session.access();
      VoteBox box = new VoteBox(session.repository(), new PersonIdent(access.committerName(),
          access.committerEmail()), config -> new VoterGroups(config, Map.of(vote.statement().voter(),
          new HashSet<>(voterGroups))), Clock.systemUTC(), session.log(), ATTEMPTS);
      VoteBox.Result result = box.record(vote);
      return result.outcome() + " " + result.path() + (result.commitId() == null ? "" : " in " + result.commitId());
    }
  }
}
