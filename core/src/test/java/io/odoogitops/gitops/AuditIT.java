package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.audit.Audit;
import io.odoogitops.audit.AuditEntry;
import io.odoogitops.audit.AuditReport;
import io.odoogitops.audit.AuditTrust;
import io.odoogitops.audit.Check;
import io.odoogitops.audit.CommitSignatureCheck;
import io.odoogitops.audit.DryRunReports;
import io.odoogitops.audit.PolicyCheck;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.dryrun.report.ReportSigner;
import io.odoogitops.dryrun.verdict.Judgement;
import io.odoogitops.dryrun.verdict.RollbackSafety;
import io.odoogitops.policy.ApprovalScope;
import io.odoogitops.policy.ConfigGroupDirectory;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.OverrideRequest;
import io.odoogitops.policy.SignedVote;
import io.odoogitops.policy.Verdict;
import io.odoogitops.policy.Vote;
import io.odoogitops.policy.VoteKeys;
import io.odoogitops.policy.VoteStatement;
import io.odoogitops.signing.SshKeygen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §5 against a real git daemon, with votes signed by real {@code ssh-keygen}: the audit re-checks every
 * change of production with the gate's own code at each commit and flags exactly what no sanctioned promotion
 * explains.
 */
class AuditIT {

  static final String CONFIG = GateCheckIT.CONFIG + "allowedSigners: security/allowed_signers\n";
  static final Instant OPEN = GateCheckIT.OPEN;
  static final Instant FROZEN = GateCheckIT.FROZEN;
  static final String PRODUCTION = "envs/production/kustomization.yaml";
  static final String JUSTIFICATION = "legal deadline: the VAT rate change must ship before the close";

  @TempDir Path tmp;
  GitOpsFixture fixture;
  GitOpsRepository repo;
  VoteKeys keys;

  @BeforeEach
  void start() throws Exception {
    keys = VoteKeys.generate(tmp, "carol", "dave", "erin");
    Map<String, String> files = GitOpsFixture.defaultFiles();
    files.put("odoo-gitops.yaml", CONFIG);
    files.put("security/allowed_signers", keys.allowedSigners("carol", "dave", "erin"));
    fixture = GitOpsFixture.start(tmp, files);
    repo = fixture.open("audit");
  }

  @AfterEach
  void stop() {
    repo.close();
    fixture.close();
  }

  @Test
  void aMixedHistoryFlagsExactlyTheDirectPushAndThePlantedTrailers() throws Exception {
    String first = promoteWithVotes(1, OPEN, Optional.empty(), Optional.empty());
    String overridden = promoteWithVotes(2, FROZEN, Optional.of(JUSTIFICATION), Optional.empty());

    AuditReport clean = audit().build().run();
    assertThat(clean.clean()).isTrue();
    assertThat(clean.counts().promotions()).isEqualTo(2);
    assertThat(clean.counts().overrides()).isEqualTo(1);

    String direct = push(content -> content.replace(GitOpsFixture.digest(2), GitOpsFixture.digest(7)),
        "quick fix", FROZEN.plusSeconds(3600));
    String planted = push(content -> content + "# approved\n", "promote odoo to production\n\n"
        + "Promotion-Id: planted\nEnvironment: production\nApplication: odoo\nImage-Digest: sha256:"
        + GitOpsFixture.digest(6) + "\nApproved-By: dave\nApproved-By: erin\n", FROZEN.plusSeconds(7200));

    AuditReport report = audit().build().run();

    assertThat(report.clean()).isFalse();
    assertThat(report.unsanctioned()).extracting(AuditEntry::commitId).containsExactly(planted, direct);
    assertThat(report.unsanctioned().get(0).kind()).isEqualTo("promote");
    assertThat(report.unsanctioned().get(0).reasons()).singleElement().asString()
        .startsWith("trailers do not match the manifest");
    assertThat(report.unsanctioned().get(1).kind()).isEqualTo("change");
    assertThat(report.unsanctioned().get(1).reasons()).containsExactly(
        "the image changed but no promotion explains it");
    assertThat(report.sanctioned()).extracting(AuditEntry::commitId).startsWith(overridden, first);
    assertThat(report.sanctioned()).extracting(AuditEntry::kind).containsExactly("promote", "promote", "initial");
    assertThat(report.counts()).isEqualTo(new AuditReport.Counts(5, 2, 2, 0, 1, 2));
    assertThat(report.head()).isEqualTo(planted);
    assertThat(report.firstChange()).isEqualTo(initialTime());
    assertThat(report.lastChange()).isEqualTo(FROZEN.plusSeconds(7200).toString());
    assertThat(report.notices()).anyMatch(n -> n.startsWith("times are committer times"))
        .anyMatch(n -> n.startsWith("no trust root configured"));

    AuditEntry emergency = report.sanctioned().get(0);
    assertThat(emergency.justification()).isEqualTo(JUSTIFICATION);
    assertThat(emergency.freezeOverride()).contains("month-end close").contains("dave");
    assertThat(status(emergency, "freeze")).isEqualTo(Check.Status.PASSED);
    assertThat(check(emergency, "freeze").detail()).contains("overridden in an emergency; approved by dave");
    assertThat(check(emergency, "votes").detail()).startsWith("2 of 2 required approval(s)").contains("dave, erin");
    assertThat(check(emergency, "votes").notes()).filteredOn(n -> n.startsWith("counted, signature verified: "))
        .hasSize(2).allMatch(n -> n.contains("SHA256:"));
    assertThat(status(emergency, "promote-from")).isEqualTo(Check.Status.PASSED);
    assertThat(status(emergency, CommitSignatureCheck.NAME)).isEqualTo(Check.Status.NOT_CHECKED);
    assertThat(check(emergency, CommitSignatureCheck.NAME).detail())
        .isEqualTo("not checked: no trust root configured (the commit carries no signature)");
    assertThat(status(emergency, PolicyCheck.NAME)).isEqualTo(Check.Status.NOT_CHECKED);
    assertThat(status(report.sanctioned().get(1), "freeze")).isEqualTo(Check.Status.PASSED);
    assertThat(report.sanctioned().get(1).freezeOverride()).isNull();

    // A trust root plugs in as components: unsigned promotion commits no longer count.
    AuditTrust strict = new AuditTrust(commit -> commit.getRawGpgSignature() == null
        ? Check.failed(CommitSignatureCheck.NAME, "unsigned: no release key signed it")
        : Check.passed(CommitSignatureCheck.NAME, "signed"), snapshot -> Check.passed(PolicyCheck.NAME,
            "signed by a policy admin"), true);
    AuditReport rooted = audit().trust(strict).build().run();
    assertThat(rooted.unsanctioned()).extracting(AuditEntry::commitId)
        .containsExactly(planted, direct, overridden, first);
    assertThat(rooted.unsanctioned().get(2).reasons())
        .containsExactly("release-signature: unsigned: no release key signed it");
    assertThat(rooted.notices()).noneMatch(n -> n.startsWith("no trust root configured"));

    // --since: only what came after the override.
    AuditReport later = audit().since(FROZEN.plusSeconds(60)).build().run();
    assertThat(later.counts().changes()).isEqualTo(2);
    assertThat(later.sanctioned()).isEmpty();
    assertThat(later.since()).isEqualTo(FROZEN.plusSeconds(60).toString());

    // A commit that claims a time before the period is still in it: it was made on top of one that is.
    String backdated = push(content -> content.replace(GitOpsFixture.digest(7), GitOpsFixture.digest(8)),
        "old fix", Instant.parse("2001-01-01T00:00:00Z"));
    AuditReport withBackdated = audit().since(FROZEN.plusSeconds(60)).build().run();
    assertThat(withBackdated.unsanctioned()).extracting(AuditEntry::commitId).contains(backdated);
    assertThat(withBackdated.counts().changes()).isEqualTo(3);
  }

  @Test
  void aPromotionThatMatchesItsManifestsButNeverHadItsVotesIsFlagged() throws Exception {
    promoteWithVotes(1, OPEN, Optional.empty(), Optional.empty());
    // Trailers and manifest agree, so history counts it; but nobody voted for digest 3 and staging never ran it.
    String forged = push(content -> content.replace(GitOpsFixture.digest(1), GitOpsFixture.digest(3)),
        "promote odoo to production\n\nPromotion-Id: forged\nEnvironment: production\nApplication: odoo\n"
            + "Image-Digest: sha256:" + GitOpsFixture.digest(3) + "\nPrevious-Image-Digest: sha256:"
            + GitOpsFixture.digest(1) + "\nApproved-By: dave\nApproved-By: erin\n", OPEN.plusSeconds(3600));

    AuditReport report = audit().build().run();

    assertThat(report.unsanctioned()).extracting(AuditEntry::commitId).containsExactly(forged);
    AuditEntry entry = report.unsanctioned().get(0);
    assertThat(status(entry, "history")).isEqualTo(Check.Status.PASSED);
    assertThat(entry.reasons()).anyMatch(r -> r.startsWith("votes: 0 of 2 required approval(s)"))
        .anyMatch(r -> r.startsWith("promote-from: sha256:" + GitOpsFixture.digest(3) + " was never promoted"));
    assertThat(check(entry, "votes").notes()).contains("the commit's Approved-By trailers name dave, erin");
  }

  @Test
  void reachableDryRunReportsAreCheckedForTheirDigestAndVerdict() throws Exception {
    Path reports = Files.createDirectories(tmp.resolve("reports"));
    byte[] good = report(1, Verdict.PASS);
    Files.write(reports.resolve("p1-dry-run.json"), good);
    byte[] other = report(9, Verdict.PASS); // a report of another digest, named by the second promotion's trailer
    Files.write(reports.resolve("p2-dry-run.json"), other);
    promoteWithVotes(1, OPEN, Optional.empty(), Optional.of(new DryRunEvidence(new ImageDigest("sha256:" + GitOpsFixture.digest(1)),
        Verdict.PASS, "sha256:" + JsonReport.sha256(good))));
    String second = promoteWithVotes(2, OPEN.plusSeconds(3600), Optional.empty(), Optional.of(new DryRunEvidence(
        new ImageDigest("sha256:" + GitOpsFixture.digest(2)), Verdict.PASS, "sha256:" + JsonReport.sha256(other))));

    AuditReport trailersOnly = audit().build().run();
    assertThat(trailersOnly.clean()).isTrue();
    assertThat(check(trailersOnly.sanctioned().get(1), "dry-run").notes()).singleElement().asString()
        .contains("not reachable");

    AuditReport checked = audit().reports(DryRunReports.under(reports)).build().run();
    assertThat(checked.unsanctioned()).extracting(AuditEntry::commitId).containsExactly(second);
    assertThat(checked.unsanctioned().get(0).reasons()).containsExactly("dry-run: report p2-dry-run.json judged "
        + ImageDigest.shortForm(new ImageDigest("sha256:" + GitOpsFixture.digest(9))) + ", not "
        + ImageDigest.shortForm(new ImageDigest("sha256:" + GitOpsFixture.digest(2))));
    assertThat(check(checked.sanctioned().get(0), "dry-run").notes()).containsExactly(
        "report p1-dry-run.json checked: digest "
        + ImageDigest.shortForm(new ImageDigest("sha256:" + GitOpsFixture.digest(1))) + ", verdict PASS");
  }

  @Test
  void aSignedDryRunReportUnderReportsPassesTheDryRunSignersWhereItsBareTrailerCannot() throws Exception {
    Path ci = SshKeygen.generate(tmp, "ci", "ed25519", null, null);
    repo.close();
    fixture.close();
    Map<String, String> files = GitOpsFixture.defaultFiles();
    files.put("odoo-gitops.yaml", CONFIG.replace("fourEyes: true }",
        "fourEyes: true, dryRun: PASS, dryRunSigners: [ci-dryrun] }"));
    files.put("security/allowed_signers", keys.allowedSigners("carol", "dave", "erin")
        + "ci-dryrun namespaces=\"odoo-gitops-dryrun\" " + SshKeygen.publicKey(ci) + "\n");
    fixture = GitOpsFixture.start(tmp.resolve("signed-reports"), files);
    repo = fixture.open("audit-signed-reports");
    Path reports = tmp.resolve("reports");
    byte[] json = report(1, Verdict.PASS);
    Path signed = Files.write(Files.createDirectories(reports.resolve("p1")).resolve("dry-run.json"), json);
    Files.writeString(reports.resolve("p1/dry-run.json.sig"), ReportSigner.fromKeyFile(ci, null).sign(json));
    promoteWithVotes(1, OPEN, Optional.empty(), Optional.of(JsonReport.evidence(signed)));

    // the trailer names the report but carries no signature: the audit cannot see that CI signed it
    AuditReport trailerOnly = audit().build().run();
    assertThat(trailerOnly.unsanctioned()).singleElement().satisfies(e -> assertThat(e.reasons())
        .anyMatch(r -> r.startsWith("dry-run: ") && r.contains("is not signed")));

    AuditReport checked = audit().reports(DryRunReports.under(reports)).build().run();
    assertThat(checked.clean()).as(checked.unsanctioned().toString()).isTrue();
    assertThat(check(checked.sanctioned().get(0), "dry-run").notes()).containsExactly(
        "report p1/dry-run.json checked: digest " + ImageDigest.shortForm(new ImageDigest("sha256:" + GitOpsFixture.digest(1)))
        + ", verdict PASS");
  }

  /** Staging first, then signed votes recorded in the repository, then production at {@code at}. */
  private String promoteWithVotes(int n, Instant at, Optional<String> override, Optional<DryRunEvidence> dryRun)
      throws Exception {
    ImageRef image = GitOpsFixture.image(n);
    engine(at.minus(Duration.ofHours(1)), GateCheck.Inputs.none())
        .promote(Promotion.builder("staging", "odoo", image).initiatorClaim("ci").build());
    Instant voted = at.minus(Duration.ofMinutes(5));
    for (String voter : List.of("dave", "erin")) {
      box(at).record(vote(voter, image.digest(), ApprovalScope.PROMOTION, voted));
    }
    if (override.isPresent()) {
      box(at).record(vote("dave", image.digest(), ApprovalScope.FREEZE_OVERRIDE, voted));
    }
    GateCheck.Inputs inputs = new GateCheck.Inputs(null, List.of(), dryRun, override.map(OverrideRequest::new));
    return engine(at, inputs).promote(Promotion.builder("production", "odoo", image).initiatorClaim("carol")
        .promotionId("p" + n).build()).commitId();
  }

  private SignedVote vote(String voter, ImageDigest digest, ApprovalScope scope, Instant at) throws Exception {
    VoteStatement statement = new VoteStatement("production", "odoo", digest, Vote.APPROVE, scope, null, voter, at);
    return SignedVote.parse(keys.voteFile(voter, statement), voter + ".vote");
  }

  private VoteBox box(Instant now) {
    return new VoteBox(repo, new PersonIdent("odoo-gitops", "odoo-gitops@localhost"), ConfigGroupDirectory::of,
        Clock.fixed(now, ZoneOffset.UTC), message -> { }, 5);
  }

  private PromotionEngine engine(Instant now, GateCheck.Inputs inputs) {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    return PromotionEngine.builder(repo).clock(clock).landingCheck(new GateCheck(inputs, clock)).build();
  }

  private Audit.Builder audit() {
    return Audit.builder(repo, "production");
  }

  /** A complete report as the dry-run writes it. */
  private static byte[] report(int digest, Verdict verdict) {
    ImageDigest d = new ImageDigest("sha256:" + GitOpsFixture.digest(digest));
    return JsonReport.bytes(new DryRunReport(DryRunReport.SCHEMA_VERSION, "run" + digest, GitOpsFixture.REPO, d,
        OPEN, OPEN, "db:5432/odoo", null, null, null, List.of(), 0, List.of(),
        new Judgement(d, verdict, RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE, List.of(), List.of()), null));
  }

  private static Check check(AuditEntry entry, String name) {
    return entry.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  private static Check.Status status(AuditEntry entry, String name) {
    return check(entry, name).status();
  }

  private String initialTime() throws Exception {
    try (Git git = Git.open(tmp.resolve("served/gitops.git").toFile())) {
      RevCommit root = null;
      for (RevCommit c : git.log().call()) {
        root = c;
      }
      return Instant.ofEpochSecond(root.getCommitTime()).toString();
    }
  }

  /** A push by someone with write access, past every gate, committed at {@code at}. */
  private String push(UnaryOperator<String> edit, String message, Instant at) throws Exception {
    Path work = tmp.resolve("direct-" + System.nanoTime());
    try (Git git = Git.cloneRepository().setURI(fixture.url).setDirectory(work.toFile()).call()) {
      Path file = work.resolve(PRODUCTION);
      Files.writeString(file, edit.apply(Files.readString(file)));
      git.add().addFilepattern(PRODUCTION).call();
      PersonIdent someone = new PersonIdent(new PersonIdent("someone", "someone@example.com"), at);
      RevCommit c = git.commit().setMessage(message).setAuthor(someone).setCommitter(someone).call();
      git.push().call();
      return c.getName();
    }
  }
}
