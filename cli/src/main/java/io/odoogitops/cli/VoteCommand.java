package io.odoogitops.cli;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.ReleaseQueries;
import io.odoogitops.gitops.VoteBox;
import io.odoogitops.policy.ApprovalScope;
import io.odoogitops.policy.ConfigGroupDirectory;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.SignedVote;
import io.odoogitops.policy.Vote;
import io.odoogitops.policy.VoteStatement;
import io.odoogitops.signing.SshKeygenSigner;
import io.odoogitops.signing.SshKeys;
import io.odoogitops.signing.SshSignature;
import io.odoogitops.signing.SshSignatures;
import io.odoogitops.signing.SshSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code odoo-gitops approve|reject}: a vote signed with the voter's SSH key, written to a file and, with
 * {@code --push}, recorded in the GitOps repository where {@code gate check} and {@code promote} read it.
 */
abstract class VoteCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  /** When the vote is cast: the real time, except in the demo, whose calendar {@link Main#commandLine(Clock)} moves. */
  Clock clock = Clock.systemUTC();
  @Mixin OutputOptions output;
  @Mixin RepositoryOptions repository;

  @Option(names = "--env", required = true, paramLabel = "ENV", description = "Environment the vote is for.")
  String environment;

  @Option(names = "--app", required = true, paramLabel = "APP", description = "Application the vote is for.")
  String application;

  @Option(names = "--digest", required = true, paramLabel = "sha256:HEX", converter = ImageConverters.Digest.class,
      description = "The image digest voted on.")
  ImageDigest digest;

  @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "promotion",
      description = "promotion or freeze-override (default: ${DEFAULT-VALUE}).")
  String scope;

  @Option(names = "--promotion-id", paramLabel = "ID",
      description = "The promotion this vote answers (default: any promotion of this digest).")
  String promotionId;

  @Option(names = "--voter", paramLabel = "ID",
      description = "Your voter id (default: the one the repository's allowedSigners give your key).")
  String voter;

  @Option(names = "--key", required = true, paramLabel = "FILE",
      description = "Your SSH private key (OpenSSH format); with --sign-with ssh-keygen also a hardware or agent key.")
  Path key;

  @Mixin SecretOptions keyPassphrase = new SecretOptions("--key-passphrase", "key's passphrase",
      "ODOO_GITOPS_KEY_PASSPHRASE");

  @Option(names = "--sign-with", paramLabel = "SIGNER", defaultValue = "odoo-gitops",
      description = "odoo-gitops (the key file, in-process) or ssh-keygen (hardware keys, ssh-agent; may ask you"
          + " to touch the key). Default: ${DEFAULT-VALUE}.")
  String signWith;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Write the vote file here (default without --push: print it).")
  Path out;

  @Option(names = "--push", description = "Record the vote in the GitOps repository (--repo), under votes/.")
  boolean push;

  @Option(names = "--committer", paramLabel = "NAME <EMAIL>",
      defaultValue = "${env:ODOO_GITOPS_COMMITTER:-odoo-gitops <odoo-gitops@localhost>}",
      description = "Identity of the vote commit (default: ${DEFAULT-VALUE}). Env: ODOO_GITOPS_COMMITTER.")
  String committer;

  abstract Vote vote();

  /** JSON shape of a cast vote. */
  record VoteJson(String voter, String environment, String application, ImageDigest digest, String vote, String scope,
      String promotionId, Instant time, String key, String file, String path, String commit, String outcome) {}

  @Override
  public Integer call() {
    ApprovalScope parsedScope = parse(() -> ApprovalScope.parse(scope), "--scope");
    if (push && !repository.configured()) {
      throw ReleaseException.badInput("--push needs the GitOps repository; pass --repo <url> or set"
          + " ODOO_GITOPS_REPO");
    }
    boolean viaSshKeygen = switch (signWith) {
      case "odoo-gitops" -> false;
      case "ssh-keygen" -> true;
      default -> throw ReleaseException.badInput("--sign-with '" + signWith + "': use odoo-gitops or ssh-keygen");
    };
    SshSigner signer = viaSshKeygen ? null : SshSigner.fromKeyFile(key, keyPassphrase.value().orElse(null));
    try (GitOpsRepository repo = repository.configured() ? repository.open() : null) {
      String who = voter != null ? voter : voterFromRepository(repo, signer);
      VoteStatement statement = parse(() -> new VoteStatement(environment, application, digest, vote(), parsedScope,
          promotionId, who, clock.instant()), "the vote");
      byte[] payload = statement.canonical();
      SshSignature signature = viaSshKeygen
          ? SshKeygenSigner.sign(key, payload, VoteStatement.NAMESPACE)
          : signer.sign(payload, VoteStatement.NAMESPACE);
      var check = SshSignatures.verify(payload, signature, VoteStatement.NAMESPACE);
      if (!check.valid()) {
        throw ReleaseException.infrastructure("the signature just made does not verify (" + check.detail()
            + "); nothing was written", null);
      }
      SignedVote vote = new SignedVote(statement, signature, "new vote");
      String file = out == null ? null : write(vote);
      VoteBox.Result recorded = push ? new VoteBox(repo, AuditOptions.identity(committer),
          ConfigGroupDirectory::of, clock, m -> spec.commandLine().getErr().println(m), 12).record(vote)
          : null;
      String fingerprint = SshKeys.fingerprint(signature.publicKey());
      VoteJson json = new VoteJson(who, environment, application, digest, vote().name().toLowerCase(
          java.util.Locale.ROOT), parsedScope.yamlName(), promotionId, statement.at(), fingerprint, file,
          recorded == null ? null : recorded.path(), recorded == null ? null : recorded.commitId(),
          recorded == null ? (file == null ? "printed" : "written") : recorded.outcome().name().toLowerCase(
              java.util.Locale.ROOT));
      output.print(spec.commandLine().getOut(), json, text(vote, fingerprint, file, recorded));
      return 0;
    }
  }

  /** The voter id the policy's allowed signers give this key, when there is exactly one. */
  private String voterFromRepository(GitOpsRepository repo, SshSigner signer) {
    if (repo == null || signer == null) {
      throw ReleaseException.badInput("pass --voter ID (it is found from the repository's allowedSigners only"
          + " with --repo and a key file signed in-process)");
    }
    List<String> principals = ReleaseQueries.of(repo).atHead(snapshot -> {
      if (snapshot.config().allowedSigners() == null) {
        throw ReleaseException.badInput(ReleaseConfig.FILE_NAME + " has no allowedSigners, so your voter id cannot"
            + " be found from your key; pass --voter ID");
      }
      return ReleasePolicy.of(snapshot.config(), ConfigGroupDirectory.of(snapshot.config()), snapshot::read)
          .allowedSigners().map(s -> s.principalsFor(signer.publicKey(), VoteStatement.NAMESPACE, clock.instant()))
          .orElse(List.of());
    });
    if (principals.size() != 1) {
      throw ReleaseException.badInput("the allowedSigners of " + repo.remote().displayUrl() + " give key "
          + SshKeys.fingerprint(signer.publicKey()) + (principals.isEmpty() ? " to no voter" : " to "
          + String.join(", ", principals)) + "; pass --voter ID");
    }
    return principals.get(0);
  }

  private String write(SignedVote vote) {
    try {
      Path target = out.toAbsolutePath();
      Path temp = Files.createTempFile(target.getParent(), ".vote", ".tmp");
      Files.write(temp, vote.toBytes());
      // Nothing half-written: the vote appears whole or not at all.
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return out.toString();
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot write the vote to " + out + " (" + e.getClass().getSimpleName()
          + "); check the directory and its permissions");
    }
  }

  private String text(SignedVote vote, String fingerprint, String file, VoteBox.Result recorded) {
    VoteStatement s = vote.statement();
    StringBuilder text = new StringBuilder();
    if (file == null && recorded == null) {
      text.append(new String(vote.toBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    text.append(s.voter()).append(' ').append(s.vote().name().toLowerCase(java.util.Locale.ROOT)).append("s ")
        .append(s.application()).append('@').append(s.digest()).append(" for ").append(s.environment())
        .append(s.scope() == ApprovalScope.FREEZE_OVERRIDE ? " (freeze override)" : "")
        .append(", signed with ").append(fingerprint);
    if (file != null) {
      text.append("\n  written to ").append(file);
    }
    if (recorded != null) {
      text.append(recorded.outcome() == VoteBox.Outcome.RECORDED
          ? "\n  recorded as " + recorded.path() + " in commit " + recorded.commitId()
          : "\n  already recorded as " + recorded.path());
    }
    return text.toString();
  }

  private static <T> T parse(java.util.function.Supplier<T> parser, String what) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      throw ReleaseException.badInput(what + ": " + e.getMessage());
    }
  }

  /** {@code odoo-gitops approve}. */
  @Command(name = "approve", description = {"Cast a signed approval of a digest for an environment.",
      "With --push it is recorded in the GitOps repository under votes/."})
  static final class Approve extends VoteCommand {
    @Override
    Vote vote() {
      return Vote.APPROVE;
    }
  }

  /** {@code odoo-gitops reject}. */
  @Command(name = "reject", description = {"Cast a signed rejection of a digest for an environment.",
      "A rejection by an approver stops the promotion until that person approves."})
  static final class Reject extends VoteCommand {
    @Override
    Vote vote() {
      return Vote.REJECT;
    }
  }
}
