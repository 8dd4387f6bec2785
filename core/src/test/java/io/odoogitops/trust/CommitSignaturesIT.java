package io.odoogitops.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.testing.Prerequisites;
import io.odoogitops.testing.Requires;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit signatures in both directions against the real tools: commits signed by {@code git commit -S} (SSH and
 * OpenPGP) verify in the product; commits the product signs verify with {@code git verify-commit} (SSH through
 * {@code gpg.ssh.allowedSignersFile} = the trust root itself, OpenPGP through a GnuPG keyring) and
 * {@code gpg --verify}.
 */
@Requires({Prerequisites.Tool.GIT, Prerequisites.Tool.SSH_KEYGEN, Prerequisites.Tool.GPG})
class CommitSignaturesIT {

  @TempDir Path tmp;
  Tools tools;
  Path work;
  Path admin;
  Path release;
  Path mallory;
  String gpgRelease;
  Path trustRootFile;
  TrustRoot root;

  @BeforeEach
  void setUp() throws Exception {
    tools = new Tools(tmp);
    TrustKeys keys = TrustKeys.generate(tmp, tools);
    admin = keys.admin();
    release = keys.release();
    mallory = keys.mallory();
    gpgRelease = keys.gpgRelease();
    trustRootFile = keys.trustRoot();
    root = TrustRoot.read(trustRootFile);
    work = Files.createDirectories(tmp.resolve("work"));
    tools.git(work, "init", "-q", "-b", "main").requireSuccess(List.of("git init"));
    Files.writeString(work.resolve("odoo-gitops.yaml"), "timeZone: UTC\n");
    tools.git(work, "add", ".").requireSuccess(List.of("git add"));
  }

  @AfterEach
  void tearDown() throws Exception {
    tools.close();
  }

  @Test
  void commitsSignedByGitWithSshVerifyByRole() throws Exception {
    sshCommit(admin, "policy: initial");
    CommitSignature asAdmin = verifyHead(Role.POLICY_ADMIN);
    CommitSignature asRelease = verifyHead(Role.RELEASE_MANAGER);
    sshCommit(mallory, "policy: approvals 0");
    CommitSignature byMallory = verifyHead(Role.POLICY_ADMIN);
    tools.git(work, "commit", "-q", "--allow-empty", "-m", "unsigned").requireSuccess(List.of("git commit"));
    CommitSignature unsigned = verifyHead(Role.POLICY_ADMIN);

    assertThat(asAdmin.status()).isEqualTo(CommitSignature.Status.TRUSTED);
    assertThat(asAdmin.signer()).isEqualTo("admin");
    assertThat(asAdmin.format()).isEqualTo("ssh");
    assertThat(asRelease.status()).isEqualTo(CommitSignature.Status.UNTRUSTED);
    assertThat(asRelease.detail()).contains("not a release-manager key");
    assertThat(byMallory.status()).isEqualTo(CommitSignature.Status.UNTRUSTED);
    assertThat(unsigned.status()).isEqualTo(CommitSignature.Status.UNSIGNED);
  }

  @Test
  void aSignedCommitChangedAfterSigningIsInvalid() throws Exception {
    sshCommit(admin, "policy: approvals 2");
    String raw = tools.git(work, "cat-file", "commit", "HEAD").stdout();
    String forged = raw.replace("policy: approvals 2", "policy: approvals 0");
    String id = tools.run(work, List.of("git", "hash-object", "-t", "commit", "-w", "--stdin"),
        forged.getBytes(StandardCharsets.UTF_8)).stdout().strip();

    try (Repository repo = repository()) {
      CommitSignature check = CommitSignatures.verify(repo, ObjectId.fromString(id), root, Role.POLICY_ADMIN);
      assertThat(check.status()).isEqualTo(CommitSignature.Status.INVALID);
      assertThat(check.detail()).contains("does not match");
    }
    assertThat(tools.git(work, "-c", "gpg.ssh.allowedSignersFile=" + trustRootFile, "verify-commit", id).exit())
        .isNotZero();
  }

  @Test
  void commitsTheProductSignsWithSshVerifyWithGitVerifyCommit() throws Exception {
    // as the Jenkins controller would: the key from a credential, in memory only
    CommitSigner signer = CommitSigner.fromKey(Files.readAllBytes(release), "credential release-key",
        CommitSigner.Format.SSH, null);
    String id = productCommit(signer, "promote odoo to staging");

    Tools.Run verified = tools.git(work, "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=" + trustRootFile,
        "verify-commit", id);
    Tools.Run log = tools.git(work, "-c", "gpg.ssh.allowedSignersFile=" + trustRootFile, "log", "--show-signature",
        "-1", id);

    assertThat(verified.exit()).as(verified.stderr()).isZero();
    assertThat(verified.stderr()).contains("Good \"git\" signature for release");
    assertThat(log.stdout()).contains("Good \"git\" signature for release");
    try (Repository repo = repository()) {
      assertThat(CommitSignatures.verify(repo, ObjectId.fromString(id), root, Role.RELEASE_MANAGER).signer())
          .isEqualTo("release");
    }
  }

  @Test
  void commitsTheProductSignsWithOpenPgpVerifyWithGitAndGpg() throws Exception {
    Path secret = tools.exportSecret(gpgRelease, "", tmp.resolve("release-bot.secret.asc"));
    CommitSigner signer = CommitSigner.fromKeyFile(secret, CommitSigner.Format.OPENPGP, null);
    String id = productCommit(signer, "promote odoo to production");

    Tools.Run verified = tools.git(work, "verify-commit", "--raw", id);
    assertThat(verified.exit()).as(verified.stderr()).isZero();
    assertThat(verified.stderr()).contains("GOODSIG").contains("VALIDSIG " + gpgRelease);

    try (Repository repo = repository(); RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(id));
      CommitSignatures.Parts parts = CommitSignatures.split(commit.getRawBuffer());
      Path payload = Files.write(tmp.resolve("payload"), parts.payload());
      Path sig = Files.writeString(tmp.resolve("payload.asc"), parts.signature());
      Tools.Run gpg = tools.gpg(null, "--verify", sig.toString(), payload.toString());
      assertThat(gpg.exit()).as(gpg.stderr()).isZero();
      assertThat(gpg.stderr()).contains("Good signature from \"Release Bot");
      CommitSignature check = CommitSignatures.verify(commit, root, Role.RELEASE_MANAGER);
      assertThat(check.status()).isEqualTo(CommitSignature.Status.TRUSTED);
      assertThat(check.signer()).isEqualTo("release-bot");
      assertThat(CommitSignatures.verify(commit, root, Role.POLICY_ADMIN).status())
          .isEqualTo(CommitSignature.Status.UNTRUSTED);
    }
  }

  @Test
  void commitsSignedByGitWithGpgVerifyInTheProduct() throws Exception {
    tools.git(work, "-c", "gpg.format=openpgp", "-c", "user.signingkey=" + gpgRelease, "commit", "-q", "-S", "-m",
        "promote by hand").requireSuccess(List.of("git commit -S"));

    CommitSignature check = verifyHead(Role.RELEASE_MANAGER);

    assertThat(check.status()).as(check.detail()).isEqualTo(CommitSignature.Status.TRUSTED);
    assertThat(check.format()).isEqualTo("openpgp");
  }

  @Test
  void aProtectedOpenPgpKeyNeedsItsPassphrase() throws Exception {
    String fingerprint = tools.generateGpgKey("Locked <locked@example.com>", "correct horse");
    Path secret = tools.exportSecret(fingerprint, "correct horse", tmp.resolve("locked.asc"));

    assertThatThrownBy(() -> CommitSigner.fromKeyFile(secret, CommitSigner.Format.OPENPGP, null))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("protected by a passphrase")
        .hasMessageNotContaining("PRIVATE KEY");
    assertThatThrownBy(() -> CommitSigner.fromKeyFile(secret, CommitSigner.Format.OPENPGP, "wrong"))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("wrong passphrase")
        .hasMessageNotContaining("wrong\"");
    String id = productCommit(CommitSigner.fromKeyFile(secret, CommitSigner.Format.OPENPGP, "correct horse"),
        "signed with a protected key");
    assertThat(tools.git(work, "verify-commit", id).exit()).isZero();
  }

  @Test
  void anEncryptedSshSigningKeyNamesTheSigningPassphraseOptions() throws Exception {
    Path locked = io.odoogitops.signing.SshKeygen.generate(tmp, "locked", "ed25519", null, "s3cret phrase");

    assertThatThrownBy(() -> CommitSigner.fromKeyFile(locked, CommitSigner.Format.SSH, null))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("is encrypted")
        .hasMessageContaining("--signing-key-passphrase-file")
        .hasMessageContaining("ODOO_GITOPS_SIGNING_KEY_PASSPHRASE");
    assertThat(CommitSigner.fromKeyFile(locked, CommitSigner.Format.SSH, "s3cret phrase").fingerprint())
        .startsWith("SHA256:");
  }

  @Test
  void aTrustRootWithoutRolesOrWithUnknownMarkersIsRefused() throws Exception {
    String key = Files.readString(tmp.resolve("admin.pub"));

    assertThatThrownBy(() -> TrustRoot.parse("admin " + key, "root", n -> new byte[0]))
        .hasMessageContaining("root:1: this key has no role");
    assertThatThrownBy(() -> TrustRoot.parse("#@role admin\nadmin " + key, "root", n -> new byte[0]))
        .hasMessageContaining("unknown role 'admin'");
    assertThatThrownBy(() -> TrustRoot.parse("#@rol policy-admin\nadmin " + key, "root", n -> new byte[0]))
        .hasMessageContaining("unknown marker '#@rol'");
    assertThatThrownBy(() -> TrustRoot.parse("#@role policy-admin\nadmin " + key, "root", n -> new byte[0]))
        .hasMessageContaining("no release-manager key");
    assertThat(root.describe()).contains("1 release-manager key".replace("1", "2")).contains("1 policy-admin key");
  }

  private void sshCommit(Path key, String message) throws Exception {
    tools.git(work, "-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "commit", "-q", "--allow-empty", "-S",
        "-m", message).requireSuccess(List.of("git commit -S " + message));
  }

  private CommitSignature verifyHead(Role role) throws Exception {
    try (Repository repo = repository()) {
      return CommitSignatures.verify(repo, repo.resolve("HEAD"), root, role);
    }
  }

  private Repository repository() throws Exception {
    return new FileRepositoryBuilder().setGitDir(work.resolve(".git").toFile()).build();
  }

  /** A commit on top of HEAD (or the index's tree for the first), signed by the product, moved to by main. */
  private String productCommit(CommitSigner signer, String message) throws Exception {
    if (tools.git(work, "rev-parse", "-q", "--verify", "HEAD").exit() != 0) {
      tools.git(work, "commit", "-q", "-m", "initial").requireSuccess(List.of("git commit"));
    }
    try (Repository repo = repository(); ObjectInserter inserter = repo.newObjectInserter();
        RevWalk walk = new RevWalk(repo)) {
      RevCommit head = walk.parseCommit(repo.resolve("HEAD"));
      PersonIdent ident = new PersonIdent("odoo-gitops", "odoo-gitops@localhost", Instant.now(),
          java.time.ZoneOffset.UTC);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(head.getTree());
      commit.setParentId(head);
      commit.setAuthor(ident);
      commit.setCommitter(ident);
      commit.setMessage(message + "\n\nImage-Digest: sha256:" + "a".repeat(64) + "\n");
      signer.sign(commit, ident.getWhenAsInstant());
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      tools.git(work, "update-ref", "refs/heads/main", id.name()).requireSuccess(List.of("git update-ref"));
      return id.name();
    }
  }
}
