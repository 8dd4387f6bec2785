package io.odoogitops.gitops;

import io.odoogitops.ImageRef;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.audit.Audit;
import io.odoogitops.audit.AuditReport;
import io.odoogitops.audit.AuditTrust;
import io.odoogitops.policy.Decision;
import io.odoogitops.testing.Prerequisites;
import io.odoogitops.testing.Requires;
import io.odoogitops.trust.CommitSigner;
import io.odoogitops.trust.Tools;
import io.odoogitops.trust.TrustKeys;
import io.odoogitops.trust.TrustRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust root against a GitOps repository served by a real git daemon: policy changes take effect only when a
 * policy admin signed them, and only promotions signed by a release key count. Signed policy commits are made by the
 * real {@code git commit -S}; the product's promotion commits are checked by the real {@code git verify-commit}.
 */
@Requires({Prerequisites.Tool.GIT, Prerequisites.Tool.SSH_KEYGEN, Prerequisites.Tool.GPG})
class TrustRootIT {

  static final String GATED = GitOpsFixture.CONFIG + """
          gate: { approvals: 1, approvers: [carol] }
      """;

  @TempDir Path tmp;
  Tools tools;
  TrustKeys keys;
  GitOpsFixture fixture;
  Path clone;
  Path admin;
  Path release;
  Path mallory;
  String gpgRelease;
  Path trustRootFile;

  @BeforeEach
  void setUp() throws Exception {
    tools = new Tools(tmp);
    keys = TrustKeys.generate(tmp, tools);
    admin = keys.admin();
    release = keys.release();
    mallory = keys.mallory();
    gpgRelease = keys.gpgRelease();
    trustRootFile = keys.trustRoot();
    fixture = GitOpsFixture.start(tmp);
    clone = tmp.resolve("clone");
    tools.git(tmp, "clone", "-q", fixture.url, clone.toString()).requireSuccess(List.of("git clone"));
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
    tools.close();
  }

  @Test
  void anUnsignedPolicyChangeIsIgnoredAndReportedUntilAPolicyAdminSignsOne() throws Exception {
    pushPolicy(GATED, admin, "policy: production needs carol's approval");
    String malloryCommit = pushPolicy(GATED.replace("approvals: 1", "approvals: 0"), null, "policy: no approvals");
    promoteSigned(GitOpsFixture.image(1), "staging");

    try (GitOpsRepository trusted = fixture.open("trusted").trustRoot(TrustRoot.read(trustRootFile));
        GitOpsRepository plain = fixture.open("plain")) {
      Decision decision = decide(trusted, GitOpsFixture.image(1));
      Decision advisory = decide(plain, GitOpsFixture.image(1));

      assertThat(ReleaseQueries.of(trusted).config().environment("production").gate().approvals())
          .isEqualTo(1);
      assertThat(decision.allowed()).isFalse();
      assertThat(decision.failures()).anySatisfy(r -> assertThat(r.reason()).contains("0 of 1"));
      assertThat(decision.notices()).anySatisfy(n -> assertThat(n)
          .contains("ignored unsigned change of odoo-gitops.yaml: " + malloryCommit.substring(0, 12))
          .contains("unsigned commit by Tester").contains("signed by admin"));
      assertThat(advisory.allowed()).as(advisory.failures().toString()).isTrue();
      assertThat(advisory.notices()).anySatisfy(n -> assertThat(n).startsWith("no trust root")
          .contains("this gate is advisory"));
    }

    // sanctioning a change means signing a change of the file: a signed commit that leaves it alone proves nothing
    pushPolicy(GATED.replace("approvals: 1", "approvals: 0") + "# reviewed by admin\n", admin,
        "policy: no approvals, reviewed");
    try (GitOpsRepository trusted = fixture.open("trusted-2").trustRoot(TrustRoot.read(trustRootFile))) {
      Decision decision = decide(trusted, GitOpsFixture.image(1));
      assertThat(decision.allowed()).isTrue();
      assertThat(decision.notices()).noneMatch(n -> n.contains("ignored"));
    }
  }

  @Test
  void aFileThePolicyNamesIsReadInItsLastSignedVersion() throws Exception {
    String signers = "carol ssh-ed25519 " + Files.readString(keys.release().resolveSibling("release.pub")).split(" ")[1]
        + "\n";
    Files.createDirectories(clone.resolve("security"));
    Files.writeString(clone.resolve("security/allowed_signers"), signers);
    pushPolicy(GATED + "allowedSigners: security/allowed_signers\n", admin, "policy: votes are signed");
    Files.writeString(clone.resolve("security/allowed_signers"), signers + "mallory "
        + Files.readString(keys.mallory().resolveSibling("mallory.pub")));
    tools.git(clone, "commit", "-q", "-am", "let mallory vote").requireSuccess(List.of("git commit"));
    tools.git(clone, "push", "-q", "origin", "HEAD:main").requireSuccess(List.of("git push"));

    try (GitOpsRepository trusted = fixture.open("trusted").trustRoot(TrustRoot.read(trustRootFile))) {
      String inForce = ReleaseQueries.of(trusted).atHead(snapshot ->
          new String(snapshot.policyFiles().read("security/allowed_signers").orElseThrow()));
      Decision decision = decide(trusted, GitOpsFixture.image(1));

      assertThat(inForce).isEqualTo(signers);
      assertThat(decision.notices()).anySatisfy(n -> assertThat(n)
          .startsWith("ignored unsigned change of security/allowed_signers"));
    }
  }

  @Test
  void aRepositoryWithoutAnySignedPolicyIsRefusedUnderATrustRoot() throws Exception {
    pushPolicy(GATED, mallory, "policy: signed by a stranger");
    try (GitOpsRepository trusted = fixture.open("trusted").trustRoot(TrustRoot.read(trustRootFile))) {
      assertThatThrownBy(() -> ReleaseQueries.of(trusted).config())
          .isInstanceOf(ReleaseException.class)
          .satisfies(e -> assertThat(((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.REFUSED))
          .hasMessageContaining("no version of odoo-gitops.yaml is signed by a policy-admin")
          .hasMessageContaining("2 unsigned change(s)");
    }
  }

  @Test
  void onlyPromotionsSignedByAReleaseKeyCountAndTheyVerifyWithGit() throws Exception {
    // adopting a trust root: a policy admin signs a change of the file (here a comment)
    pushPolicy(GitOpsFixture.CONFIG + "# signed by the policy admin\n", admin, "policy: signed");
    try (GitOpsRepository plain = fixture.open("plain")) {
      // a direct push with promotion trailers, by whoever holds the push credential
      PromotionEngine.builder(plain).build().promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(1))
          .initiatorClaim("mallory").build());
    }
    try (GitOpsRepository trusted = fixture.open("trusted").trustRoot(TrustRoot.read(trustRootFile))) {
      ObjectId before = remoteHead();
      // history shows the unsigned push, flagged: its claim refused by the trust root, its change explained by nothing
      assertThat(ReleaseQueries.of(trusted).history("staging", "odoo", 10)).isNotEmpty()
          .allSatisfy(e -> assertThat(e.sanctioned()).isFalse())
          .anySatisfy(e -> assertThat(e.problem()).contains("not signed by a release manager of the trust root"));
      Decision onStaging = ReleaseQueries.of(trusted).atHead(snapshot -> new GateCheck(
          GateCheck.Inputs.none(), Clock.systemUTC()).decide(snapshot, promotion(2, "staging")));
      assertThat(onStaging.notices()).anySatisfy(n -> assertThat(n).startsWith("environment 'staging': 2 change(s)"
          + " under envs/staging that no release key signed").contains("by odoo-gitops"));
      assertThatThrownBy(() -> PromotionEngine.builder(trusted).build().promote(promotion(2, "staging")))
          .isInstanceOf(ReleaseException.class).hasMessageContaining("pass the release key with --signing-key");
      assertThatThrownBy(() -> PromotionEngine.builder(trusted).signer(sshSigner(mallory)).build()
          .promote(promotion(2, "staging")))
          .isInstanceOf(ReleaseException.class).hasMessageContaining("not a release-manager key")
          .hasMessageContaining("nothing was pushed");
      assertThatThrownBy(() -> engine(trusted, sshSigner(release)).promote(promotion(1, "production")))
          .hasMessageContaining("was never promoted to staging");
      assertThat(remoteHead()).isEqualTo(before);

      PromotionResult ssh = engine(trusted, sshSigner(release)).promote(promotion(2, "staging"));
      Path secret = keys.gpgReleaseSecret(tools);
      PromotionResult pgp = engine(trusted, CommitSigner.fromKeyFile(secret, CommitSigner.Format.OPENPGP, null))
          .promote(promotion(3, "staging"));

      assertThat(ReleaseQueries.of(trusted).history("staging", "odoo", 10))
          .filteredOn(HistoryEntry::sanctioned).extracting(HistoryEntry::digest)
          .containsExactly(GitOpsFixture.image(3).digest(), GitOpsFixture.image(2).digest());
      // the audit under the same trust root: the signed promotions pass the signature check, the unsigned push not
      AuditReport audit = Audit.builder(trusted, "staging").trust(AuditTrust.of(trusted)).build().run();
      assertThat(audit.unsanctioned()).isNotEmpty().allSatisfy(e -> assertThat(e.sanctioned()).isFalse());
      assertThat(audit.unsanctioned()).filteredOn(e -> e.claimsPromotion()).singleElement()
          .satisfies(e -> assertThat(e.checks()).anySatisfy(c -> assertThat(c.name() + " " + c.status() + ": "
              + c.detail()).startsWith("history FAILED: not signed by a release manager of the trust root")));
      assertThat(audit.sanctioned()).filteredOn(e -> e.claimsPromotion()).hasSize(2).allSatisfy(e ->
          assertThat(e.checks()).anySatisfy(c -> assertThat(c.name() + " " + c.status())
              .isEqualTo("release-signature PASSED")));
      Path served = tmp.resolve("served/gitops.git");
      Tools.Run sshCheck = tools.git(served, "-c", "gpg.ssh.allowedSignersFile=" + trustRootFile, "verify-commit",
          ssh.commitId());
      Tools.Run pgpCheck = tools.git(served, "verify-commit", "--raw", pgp.commitId());
      Decision afterSigned = ReleaseQueries.of(trusted).atHead(snapshot -> new GateCheck(
          GateCheck.Inputs.none(), Clock.systemUTC()).decide(snapshot, promotion(4, "staging")));
      assertThat(afterSigned.notices()).noneMatch(n -> n.startsWith("environment 'staging'"));
      assertThat(sshCheck.exit()).as(sshCheck.stderr()).isZero();
      assertThat(sshCheck.stderr()).contains("Good \"git\" signature for release");
      assertThat(pgpCheck.exit()).as(pgpCheck.stderr()).isZero();
      assertThat(pgpCheck.stderr()).contains("VALIDSIG " + gpgRelease);
    }
  }

  @Test
  void theRestorePointsEvidenceIsCommittedAndSignedWithThePromotion() throws Exception {
    pushPolicy(GitOpsFixture.CONFIG.replace("staging: { path: envs/staging, layout: kustomize }", """
        staging:
            path: envs/staging
            layout: kustomize
            restorePoint: required
            restore: { dump: { location: /srv/points, database: { url: "jdbc:postgresql://db:5432/odoo", user: b } } }
        """.strip()), admin, "policy: restore points before staging releases");
    ImageRef image = GitOpsFixture.image(1);
    String id = "staging-odoo-000000000000-20261130T021500Z";
    io.odoogitops.restore.RestorePoint point = new io.odoogitops.restore.RestorePoint(1,
        io.odoogitops.restore.RestorePointKind.DUMP, id, java.time.Instant.now().minusSeconds(60), "staging", "odoo",
        image.digest(), "/srv/points/" + id, null, new io.odoogitops.restore.RestorePoint.DumpDirectory(
            "/srv/points/" + id, "b@db:5432/odoo", "odoo", 2, 16, "16.4", 10, 4, 4096), null);
    GateCheck.Inputs inputs = new GateCheck.Inputs(null, List.of(), java.util.Optional.empty(),
        java.util.Optional.empty(), null, java.util.Set.of(), java.util.Optional.of(point));

    try (GitOpsRepository trusted = fixture.open("promoter").trustRoot(TrustRoot.read(trustRootFile))) {
      assertThatThrownBy(() -> engine(trusted, sshSigner(release)).promote(Promotion.builder("staging", "odoo",
          image).initiatorClaim("ci").build())).hasMessageContaining("restore-point: no restore point");
      PromotionResult landed = PromotionEngine.builder(trusted).signer(sshSigner(release))
          .landingCheck(new GateCheck(inputs, Clock.systemUTC())).build()
          .promote(Promotion.builder("staging", "odoo", image).initiatorClaim("ci").build());

      Path served = tmp.resolve("served/gitops.git");
      Tools.Run check = tools.git(served, "-c", "gpg.ssh.allowedSignersFile=" + trustRootFile, "verify-commit",
          landed.commitId());
      assertThat(check.exit()).as(check.stderr()).isZero();
      Tools.Run files = tools.git(served, "show", "--name-only", "--format=", landed.commitId());
      assertThat(files.stdout().lines()).containsExactlyInAnyOrder("envs/staging/kustomization.yaml",
          ".odoo-gitops/restore-points/staging/odoo/" + id + ".json");
      assertThat(ReleaseQueries.of(trusted).history("staging", "odoo", 1)).singleElement()
          .satisfies(e -> assertThat(e.sanctioned()).isTrue());
      AuditReport audit = Audit.builder(trusted, "staging").trust(AuditTrust.of(trusted)).build().run();
      assertThat(audit.unsanctioned()).isEmpty();
    }
  }

  private Decision decide(GitOpsRepository repository, ImageRef image) {
    GateCheck check = new GateCheck(GateCheck.Inputs.none(), Clock.systemUTC());
    return ReleaseQueries.of(repository).atHead(snapshot -> check.decide(snapshot,
        Promotion.builder("production", "odoo", image).initiatorClaim("ci").build()));
  }

  private static Promotion promotion(int image, String environment) {
    return Promotion.builder(environment, "odoo", GitOpsFixture.image(image)).initiatorClaim("ci").build();
  }

  private void promoteSigned(ImageRef image, String environment) throws Exception {
    try (GitOpsRepository trusted = fixture.open("promoter").trustRoot(TrustRoot.read(trustRootFile))) {
      engine(trusted, sshSigner(release)).promote(Promotion.builder(environment, "odoo", image)
          .initiatorClaim("ci").build());
    }
  }

  private static PromotionEngine engine(GitOpsRepository repository, CommitSigner signer) {
    return PromotionEngine.builder(repository).signer(signer)
        .landingCheck(new GateCheck(GateCheck.Inputs.none(), Clock.systemUTC())).build();
  }

  private static CommitSigner sshSigner(Path key) {
    return CommitSigner.fromKeyFile(key, CommitSigner.Format.SSH, null);
  }

  /**
   * Commits {@code config} as odoo-gitops.yaml (and whatever else changed) with the real git, signed with {@code key}
   * unless null, and pushes.
   */
  private String pushPolicy(String config, Path key, String message) throws Exception {
    tools.git(clone, "pull", "-q", "--rebase").requireSuccess(List.of("git pull"));
    Files.writeString(clone.resolve("odoo-gitops.yaml"), config);
    tools.git(clone, "add", "-A").requireSuccess(List.of("git add"));
    if (key == null) {
      tools.git(clone, "commit", "-q", "--allow-empty", "-m", message).requireSuccess(List.of("git commit"));
    } else {
      tools.git(clone, "-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "commit", "-q", "--allow-empty",
          "-S", "-m", message).requireSuccess(List.of("git commit -S"));
    }
    tools.git(clone, "push", "-q", "origin", "HEAD:main").requireSuccess(List.of("git push"));
    return tools.git(clone, "rev-parse", "HEAD").stdout().strip();
  }

  private ObjectId remoteHead() throws Exception {
    try (Git git = Git.open(tmp.resolve("served/gitops.git").toFile())) {
      return git.getRepository().resolve("refs/heads/main");
    }
  }
}
