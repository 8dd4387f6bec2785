package io.odoogitops.cli;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.SourceRevision;
import io.odoogitops.policy.Approval;
import io.odoogitops.policy.ApprovalsFile;
import io.odoogitops.policy.Ballots;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.OverrideRequest;
import io.odoogitops.policy.SignedVote;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * The gate's inputs from the command line, shared by {@code gate check} (asks) and {@code promote}/{@code rollback}
 * (enforce, right before the push). The time is not among them: promote and rollback decide on the real clock, and
 * only {@code gate check} takes a what-if {@code --at}.
 */
public final class GateOptions {

  /** Vote files read from one directory at most; a team casts a handful per release. */
  static final int MAX_VOTE_FILES = 1000;

  @Option(names = "--source-author", paramLabel = "USER",
      description = "Author of the source revision (barred from approving). A claim; the module repository's commit"
          + " author is used as well when --source-revision is in --source-repo.")
  String sourceAuthor;

  @Option(names = "--source-repo", paramLabel = "DIR", defaultValue = ".",
      description = "Module repository in which --source-revision's author is read (default: the current"
          + " directory's repository).")
  Path sourceRepo;

  @Option(names = "--approvals", paramLabel = "FILE|DIR",
      description = "Votes: signed .vote files (odoo-gitops approve), directories of them, or a JSON/YAML list of"
          + " unsigned votes (counted only without allowedSigners). Repeatable.")
  List<Path> approvals = new ArrayList<>();

  @Option(names = "--dry-run-report", paramLabel = "FILE",
      description = "The dry-run.json of 'odoo-gitops dry-run' for this digest; its SHA-256 goes in the trailer.")
  Path dryRunReport;

  @Option(names = "--restore-point", paramLabel = "FILE",
      description = "The evidence file 'odoo-gitops restore-point take' wrote for this digest; recorded with the"
          + " promotion (trailer and file) when the gate accepts it; FILE.sig, when there, is its signature.")
  Path restorePoint;

  @Option(names = "--override-justification", paramLabel = "TEXT",
      description = "Request an emergency override of active freezes, with this justification.")
  String overrideJustification;

  GateCheck.Inputs inputs() {
    return inputs(null);
  }

  /** The inputs, with the author of {@code sourceRevision} read from the module repository when it is there. */
  GateCheck.Inputs inputs(String sourceRevision) {
    List<Approval> claims = new ArrayList<>();
    Map<String, byte[]> voteFiles = new LinkedHashMap<>();
    for (Path path : approvals) {
      readVotes(path, claims, voteFiles);
    }
    Set<String> authors = SourceRevision.authorIdentities(sourceRepo, sourceRevision).orElse(Set.of());
    return new GateCheck.Inputs(sourceAuthor, claims,
        Optional.ofNullable(dryRunReport).map(GateOptions::dryRunEvidence),
        Optional.ofNullable(overrideJustification).map(OverrideRequest::new), Ballots.read(voteFiles), authors,
        Optional.ofNullable(restorePoint).map(RestorePointEvidence::read),
        Optional.ofNullable(restorePoint).flatMap(RestorePointSignature::readNextTo));
  }

  private static void readVotes(Path path, List<Approval> claims, Map<String, byte[]> voteFiles) {
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> files = Files.walk(path)) {
        List<Path> votes = files.filter(p -> p.getFileName().toString().endsWith(SignedVote.SUFFIX))
            .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().limit(MAX_VOTE_FILES + 1)
            .toList();
        if (votes.size() > MAX_VOTE_FILES) {
          throw ReleaseException.badInput("--approvals " + path + " holds more than " + MAX_VOTE_FILES
              + " vote files; pass the directory of one candidate's votes");
        }
        votes.forEach(p -> voteFiles.put(p.toString(), readVoteFile(p)));
      } catch (IOException e) {
        throw ReleaseException.badInput("cannot list the votes directory " + path + " ("
            + e.getClass().getSimpleName() + "); check the path and its permissions");
      }
      return;
    }
    byte[] bytes = PolicyConfigOption.read(path, "approvals");
    if (path.getFileName().toString().endsWith(SignedVote.SUFFIX) || SignedVote.looksLikeVoteFile(bytes)) {
      voteFiles.put(path.toString(), bytes);
    } else {
      claims.addAll(ApprovalsFile.read(bytes, path.toString()));
    }
  }

  private static byte[] readVoteFile(Path path) {
    try {
      if (Files.size(path) > SignedVote.MAX_BYTES) {
        return new byte[SignedVote.MAX_BYTES + 1]; // reported as too large, like any malformed vote
      }
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read the vote file " + path + " (" + e.getClass().getSimpleName()
          + "); check its permissions");
    }
  }

  /**
   * The gate deciding at {@code when}: the real clock for promote and rollback (no flag moves it), a what-if time
   * for {@code gate check --at}; with the author of {@code sourceRevision} read from the module repository.
   */
  GateCheck check(Function<ZoneId, Instant> when, String sourceRevision) {
    return new GateCheck(inputs(sourceRevision), when, io.odoogitops.policy.ConfigGroupDirectory::of);
  }

  static DryRunEvidence dryRunEvidence(Path file) {
    return JsonReport.evidence(file);
  }
}
