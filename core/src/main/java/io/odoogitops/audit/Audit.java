package io.odoogitops.audit;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.HistoryEntry;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.ReleaseQueries;
import io.odoogitops.gitops.ReleaseHistory;
import io.odoogitops.gitops.Holds;
import io.odoogitops.gitops.Snapshot;
import io.odoogitops.gitops.Trailers;
import io.odoogitops.policy.Ballots;
import io.odoogitops.policy.ConfigGroupDirectory;
import io.odoogitops.policy.Decision;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.GroupDirectory;
import io.odoogitops.policy.Outcome;
import io.odoogitops.policy.OverrideRequest;
import io.odoogitops.policy.RuleResult;
import io.odoogitops.policy.Verdict;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointRef;
import io.odoogitops.restore.RestorePointSignature;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Audits one environment: walks every commit that touched its files (path-limited, at most {@code maxCommits}) and
 * answers for each whether a sanctioned promotion or rollback explains it, and if so whether the gate, re-evaluated by
 * its own code on the commit the promotion was built on, at the commit's time, with the votes recorded there and the
 * commit's own trailers as the dry-run and override evidence, would have let it through.
 *
 * <pre>{@code
 * AuditReport report = Audit.builder(repository, "production").since(start).reports(DryRunReports.under(dir))
 *     .build().run();
 * }</pre>
 */
public final class Audit {

  /** Commits walked by default; an audit that stops early must say so, so the caller narrows with a period. */
  public static final int DEFAULT_MAX_COMMITS = 10_000;

  static final String COMMIT_TIME_NOTICE = "times are committer times, which whoever made the commit chose; git"
      + " records no push time, so a freeze verdict holds only as far as that time is honest (a trust root's"
      + " release-key signature binds the time to the release key)";
  static final String NO_TRUST_ROOT_NOTICE = "no trust root configured: release-key signatures of promotion commits"
      + " and signed policy changes were not checked; each promotion is judged by odoo-gitops.yaml as committed"
      + " before it, whoever committed it";

  /** Stands for the initiator of a commit that names none, so the gate can still be re-evaluated. */
  static final String UNKNOWN_INITIATOR = "(no initiator recorded)";

  private final GitOpsRepository repository;
  private final String environment;
  private final String application;
  private final Function<ZoneId, Instant> since;
  private final int maxCommits;
  private final AuditTrust trust;
  private final DryRunReports reports;
  private final Function<ReleaseConfig, GroupDirectory> directory;

  private Audit(Builder b) {
    this.repository = b.repository;
    this.environment = b.environment;
    this.application = b.application;
    this.since = b.since;
    this.maxCommits = b.maxCommits;
    this.trust = b.trust;
    this.reports = b.reports;
    this.directory = b.directory;
  }

  public static Builder builder(GitOpsRepository repository, String environment) {
    return new Builder(repository, environment);
  }

  /** Fetches the branch and audits it; nothing is written. */
  public AuditReport run() {
    return ReleaseQueries.of(repository).atHead(this::audit);
  }

  private AuditReport audit(Snapshot head) {
    ReleaseConfig config = head.config();
    config.environment(environment);
    if (application != null) {
      config.application(application);
    }
    Instant since = this.since.apply(ZoneId.of(config.timeZone()));
    Set<String> notices = new LinkedHashSet<>();
    notices.add(COMMIT_TIME_NOTICE);
    if (!trust.configured()) {
      notices.add(NO_TRUST_ROOT_NOTICE);
    }
    List<AuditEntry> unsanctioned = new ArrayList<>();
    List<AuditEntry> sanctioned = new ArrayList<>();
    int[] changes = {0};
    String[] period = {null, null};
    boolean more = head.history(environment).walk(application, commit -> inPeriod(commit, since), maxCommits,
        change -> {
      changes[0]++;
      for (AuditEntry entry : entries(change, notices)) {
        (entry.sanctioned() ? sanctioned : unsanctioned).add(entry);
      }
      String time = time(change.commit());
      period[1] = period[1] == null ? time : period[1];
      period[0] = time;
    });
    if (more) {
      throw ReleaseException.badInput("environment '" + environment + "' has more than " + maxCommits
          + " changes" + (since == null ? "" : " since " + since) + "; an audit does not stop half-way: pass a later"
          + " --since, or a larger --limit");
    }
    AuditReport.Counts counts = new AuditReport.Counts(changes[0], unsanctioned.size(),
        (int) sanctioned.stream().filter(e -> e.kind().equals("promote")).count(),
        (int) sanctioned.stream().filter(e -> e.kind().equals("rollback")).count(),
        (int) sanctioned.stream().filter(e -> e.freezeOverride() != null).count(),
        (int) sanctioned.stream().filter(e -> e.checks().stream()
            .anyMatch(c -> c.status() == Check.Status.NOT_CHECKED)).count());
    return new AuditReport(AuditReport.SCHEMA_VERSION, repository.remote().displayUrl(), repository.remote().branch(),
        head.commitId(), environment, application, since == null ? null : since.toString(), period[0], period[1],
        counts, List.copyOf(notices), unsanctioned, sanctioned);
  }

  /**
   * Whether {@code commit} falls in the period: committed after {@code since}, or made on top of a commit that was
   * (whatever time it claims: a backdated commit is still newer than its parent).
   */
  private static boolean inPeriod(RevCommit commit, Instant since) {
    if (since == null) {
      return true;
    }
    long after = since.getEpochSecond();
    return commit.getCommitTime() > after
        || (commit.getParentCount() > 0 && commit.getParent(0).getCommitTime() > after);
  }

  private List<AuditEntry> entries(ReleaseHistory.PathChange change, Set<String> notices) {
    RevCommit commit = change.commit();
    if (change.unread()) {
      return List.of(bare(commit, "unread", false, List.of("the commit is " + change.unreadBytes() + " bytes, over"
          + " the limit odoo-gitops reads per commit: it was not made by odoo-gitops and is never a promotion"
          + " (raise --max-commit-bytes to read it)")));
    }
    if (change.entries().isEmpty()) {
      if (commit.getParentCount() == 0) {
        return List.of(bare(commit, "initial", true, List.of()));
      }
      Optional<Holds.AuditedRelease> release = Holds.audit(repository, environment, commit);
      if (release.isPresent()) {
        return List.of(holdRelease(commit, release.get()));
      }
      return List.of(bare(commit, "other", false, List.of("the environment's files changed, but no promotion"
          + " explains it (a direct push)")));
    }
    List<AuditEntry> out = new ArrayList<>();
    for (HistoryEntry entry : change.entries()) {
      out.add(entry.sanctioned() ? promotion(commit, entry, notices) : flagged(commit, entry));
    }
    return out;
  }

  private AuditEntry flagged(RevCommit commit, HistoryEntry entry) {
    List<Check> checks = List.of(Check.failed("history", entry.problem()));
    return entry(commit, entry, false, List.of(entry.problem()), checks);
  }

  /** A promotion or rollback the history check accepted, held against the signature, policy, gate and evidence. */
  private AuditEntry promotion(RevCommit commit, HistoryEntry entry, Set<String> notices) {
    List<Check> checks = new ArrayList<>();
    checks.add(Check.passed("history", "the manifests at this commit and its parent back the trailers"));
    checks.add(trust.commits().check(commit));
    Snapshot decidedOn = repository.snapshotAt(commit.getParent(0).name());
    checks.add(trust.policy().check(decidedOn));
    List<FooterLine> footers = commit.getFooterLines();
    Instant at = Instant.ofEpochSecond(commit.getCommitTime());
    try {
      Decision decision = gate(commit, footers, at, entry.digest()).decide(decidedOn, promotionOf(entry, footers));
      notices.addAll(decision.notices());
      checks.addAll(rules(decision, entry, footers));
      restore(entry, footers).ifPresent(checks::add);
    } catch (ReleaseException e) {
      checks.add(Check.failed("gate", "the gate cannot be re-evaluated on " + decidedOn.commitId().substring(0, 12)
          + ": " + e.getMessage()));
    }
    List<String> reasons = checks.stream().filter(Check::failed).map(c -> c.name() + ": " + c.detail()).toList();
    return entry(commit, entry, reasons.isEmpty(), reasons, checks);
  }

  /**
   * The gate as it decided at {@code at}: the commit's {@code Override-Justification} as the override request, its
   * {@code Dry-Run} trailer as the dry-run evidence. The gate writes that trailer only for a report of the promoted
   * digest, so the trailer stands for a report of {@code digest}; {@code --reports} checks the report itself.
   */
  private GateCheck gate(RevCommit commit, List<FooterLine> footers, Instant at, ImageDigest digest) {
    String justification = value(footers, Trailers.OVERRIDE_JUSTIFICATION);
    Optional<RestorePoint> point = restorePoint(commit, footers);
    GateCheck.Inputs inputs = new GateCheck.Inputs(null, List.of(), dryRunTrailer(footers, digest, point),
        Optional.ofNullable(justification).map(OverrideRequest::new), Ballots.none(), Set.of(), point,
        restorePointSignature(commit, footers));
    return new GateCheck(inputs, zone -> at, directory);
  }

  /**
   * The signature committed next to the restore point's evidence, so that {@code restorePointSigners} is judged on
   * what the repository holds: a commit made without it, or with evidence changed after signing, fails the rule.
   */
  private Optional<String> restorePointSignature(RevCommit commit, List<FooterLine> footers) {
    return committedPointFile(commit, footers, RestorePointSignature.SUFFIX)
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * The restore point the commit recorded: its {@code Restore-Point} trailer and the evidence file committed with
   * it. A trailer without its file, or a file that says otherwise, is no point, and the gate's rule says so.
   */
  private Optional<RestorePoint> restorePoint(RevCommit commit, List<FooterLine> footers) {
    try {
      return committedPointFile(commit, footers, "")
          .map(bytes -> RestorePointEvidence.fromJson(new String(bytes, StandardCharsets.UTF_8),
              "of " + commit.name()))
          .filter(point -> point.ref().equals(RestorePointRef.parse(value(footers, RestorePointRef.TRAILER))));
    } catch (ReleaseException e) {
      return Optional.empty();
    }
  }

  /** The file at the evidence path of the commit's {@code Restore-Point} trailer plus {@code suffix}, if any. */
  private Optional<byte[]> committedPointFile(RevCommit commit, List<FooterLine> footers, String suffix) {
    String trailer = value(footers, RestorePointRef.TRAILER);
    String env = value(footers, Trailers.ENVIRONMENT);
    String app = value(footers, Trailers.APPLICATION);
    if (trailer == null || env == null || app == null) {
      return Optional.empty();
    }
    try {
      String path = RestorePointEvidence.repositoryPath(env, app, RestorePointRef.parse(trailer)) + suffix;
      return repository.snapshotAt(commit.name()).read(path);
    } catch (ReleaseException e) {
      return Optional.empty();
    }
  }

  /** What a rollback did about a RESTORE_REQUIRED release: put back the image alone, or switch to a restored DB. */
  private static Optional<Check> restore(HistoryEntry entry, List<FooterLine> footers) {
    if (entry.imageOnlyJustification() != null) {
      return Optional.of(new Check("restore", Check.Status.PASSED, "IMAGE ONLY: the image alone was rolled back"
          + " though the release was RESTORE_REQUIRED (the database was not restored); justification: "
          + entry.imageOnlyJustification(), List.of()));
    }
    if (entry.restoredDatabase() != null) {
      String from = value(footers, Trailers.RESTORED_FROM);
      return Optional.of(Check.passed("restore", "switched to the restored database " + entry.restoredDatabase()
          + " (" + value(footers, Trailers.DATABASE_SWITCH) + ")" + (from == null ? "" : " from the restore point "
          + from)));
    }
    return Optional.empty();
  }

  private Optional<DryRunEvidence> dryRunTrailer(List<FooterLine> footers, ImageDigest digest,
      Optional<RestorePoint> point) {
    String trailer = value(footers, Trailers.DRY_RUN);
    if (trailer == null || !trailer.matches("[A-Z]+ sha256:[0-9a-f]{64}")) {
      return Optional.empty();
    }
    // The report itself, when --reports holds it, so that its signature (dryRunSigners) is judged as the gate did;
    // the trailer alone carries no signature. A report that cannot be read is reported by the dry-run check.
    try {
      Optional<DryRunReports.Found> found = reports.find(trailer.substring(trailer.indexOf(' ') + 1));
      if (found.isPresent() && found.get().evidence().digest().equals(digest)) {
        return Optional.of(found.get().evidence());
      }
    } catch (ReleaseException e) {
      // fall back to the trailer
    }
    try {
      // The trailer says whether the report was RESTORE_REQUIRED, not when it finished: the point's age against the
      // dry-run is checked only with the report itself (--reports). The gate refuses a point against a dry-run of
      // unknown time, and it wrote the Restore-Point trailer only for a point taken after the dry-run, so the
      // trailer's point stands for that bound here, as the Dry-Run trailer stands for the verdict.
      return Optional.of(new DryRunEvidence(digest, Verdict.parse(trailer.substring(0, trailer.indexOf(' '))),
          trailer.substring(trailer.indexOf(' ') + 1), null,
          FooterLine.getValues(footers, DryRunEvidence.ROLLBACK_SAFETY).stream().map(String::strip)
              .anyMatch(DryRunEvidence.RESTORE_REQUIRED::equals), point.map(RestorePoint::takenAt).orElse(null)));
    } catch (RuntimeException e) {
      return Optional.empty(); // an unknown verdict is no evidence; the gate's dry-run rule says what is missing
    }
  }

  private List<Check> rules(Decision decision, HistoryEntry entry, List<FooterLine> footers) {
    List<Check> out = new ArrayList<>();
    RuleResult approvals = null;
    for (RuleResult rule : decision.rules()) {
      switch (rule.rule()) {
        case "approvals" -> approvals = rule;
        case "rejections" -> out.add(votes(approvals, rule, entry, decision));
        case "dry-run" -> out.add(dryRun(rule, footers, entry));
        default -> out.add(check(rule.rule(), rule));
      }
    }
    return out;
  }

  private static Check votes(RuleResult approvals, RuleResult rejections, HistoryEntry entry, Decision decision) {
    List<String> notes = new ArrayList<>();
    decision.trailers().stream().filter(t -> t.key().equals("Approval-Key"))
        .forEach(t -> notes.add("counted, signature verified: " + t.value()));
    notes.addAll(approvals == null ? List.of() : approvals.details());
    Outcome outcome = approvals == null ? rejections.outcome()
        : approvals.outcome() == Outcome.FAILED || rejections.outcome() == Outcome.FAILED ? Outcome.FAILED
        : approvals.outcome();
    String detail = approvals == null ? rejections.reason()
        : outcome == Outcome.NOT_APPLICABLE ? approvals.reason() : approvals.reason() + "; " + rejections.reason();
    if (!entry.approvedBy().isEmpty()) {
      notes.add("the commit's Approved-By trailers name " + String.join(", ", entry.approvedBy()));
    }
    return new Check("votes", status(outcome), detail, notes);
  }

  private Check dryRun(RuleResult rule, List<FooterLine> footers, HistoryEntry entry) {
    Check gate = check("dry-run", rule);
    String trailer = value(footers, Trailers.DRY_RUN);
    if (trailer == null || gate.failed()) {
      return gate;
    }
    String sha = trailer.substring(trailer.indexOf(' ') + 1).strip();
    if (!reports.reachable()) {
      return new Check("dry-run", gate.status(), gate.detail(), List.of("report " + sha + " not reachable: only the"
          + " trailer was read (pass --reports DIR to check the report's digest and verdict)"));
    }
    Optional<DryRunReports.Found> found;
    try {
      found = reports.find(sha);
    } catch (ReleaseException e) {
      return Check.failed("dry-run", "the report " + sha + " cannot be read: " + e.getMessage());
    }
    if (found.isEmpty()) {
      return new Check("dry-run", gate.status(), gate.detail(), List.of("report " + sha + " is not under --reports"));
    }
    DryRunEvidence evidence = found.get().evidence();
    if (!evidence.digest().equals(entry.digest())) {
      return Check.failed("dry-run", "report " + found.get().name() + " judged "
          + ImageDigest.shortForm(evidence.digest()) + ", not " + ImageDigest.shortForm(entry.digest()));
    }
    if (!trailer.startsWith(evidence.verdict() + " ")) {
      return Check.failed("dry-run", "report " + found.get().name() + " says " + evidence.verdict()
          + ", the Dry-Run trailer " + trailer);
    }
    return new Check("dry-run", gate.status(), gate.detail(), List.of("report " + found.get().name()
        + " checked: digest " + ImageDigest.shortForm(evidence.digest()) + ", verdict " + evidence.verdict()));
  }

  private static Check check(String name, RuleResult rule) {
    return new Check(name, status(rule.outcome()), rule.reason(), rule.details());
  }

  private static Check.Status status(Outcome outcome) {
    return switch (outcome) {
      case PASSED -> Check.Status.PASSED;
      case FAILED -> Check.Status.FAILED;
      case NOT_APPLICABLE -> Check.Status.NOT_APPLICABLE;
    };
  }

  /** The promotion as the gate saw it: its id, image, initiator (barred under four-eyes) and rollback links. */
  private static Promotion promotionOf(HistoryEntry entry, List<FooterLine> footers) {
    Promotion.Builder promotion = Promotion.builder(entry.environment(), entry.application(),
        ImageRef.parse(entry.image())).promotionId(entry.promotionId());
    String verified = value(footers, Trailers.INITIATED_BY);
    String claimed = value(footers, Trailers.INITIATED_BY_CLAIM);
    if (verified != null) {
      promotion.initiator(verified);
    } else {
      // odoo-gitops never lands a promotion without one; the gate still needs a name to bar under four-eyes.
      promotion.initiatorClaim(claimed != null ? claimed : UNKNOWN_INITIATOR);
    }
    if (entry.isRollback()) {
      promotion.rollback(entry.rollbackOf(), entry.rollbackTo());
    }
    return promotion.build();
  }

  private AuditEntry entry(RevCommit commit, HistoryEntry entry, boolean sanctioned, List<String> reasons,
      List<Check> checks) {
    List<FooterLine> footers = commit.getFooterLines();
    return new AuditEntry(commit.name(), time(commit), person(commit.getAuthorIdent()),
        person(commit.getCommitterIdent()), commit.getShortMessage(), entry.kind(), entry.application(),
        entry.digest(), entry.previousDigest(), entry.promotionId(), entry.initiator(), entry.approvedBy(),
        value(footers, Trailers.FREEZE_OVERRIDE), value(footers, Trailers.OVERRIDE_JUSTIFICATION),
        value(footers, Trailers.DRY_RUN), sanctioned, reasons, checks);
  }

  /**
   * A hold release that changed the environment's files (restoring the automation markers its rollback pinned):
   * sanctioned when it did nothing else there and the commit check (a trust root's signature) accepts it.
   */
  private AuditEntry holdRelease(RevCommit commit, Holds.AuditedRelease release) {
    List<Check> checks = new ArrayList<>();
    checks.add(release.problem() == null
        ? Check.passed("history", "releases the hold of rollback " + release.holdOf().substring(0,
            Math.min(12, release.holdOf().length())) + " and only restores the automation markers it pinned")
        : Check.failed("history", "claims to release a hold, but " + release.problem()));
    checks.add(trust.commits().check(commit));
    List<String> reasons = checks.stream().filter(c -> c.status() == Check.Status.FAILED).map(Check::detail)
        .toList();
    return new AuditEntry(commit.name(), time(commit), person(commit.getAuthorIdent()),
        person(commit.getCommitterIdent()), commit.getShortMessage(), "hold-release", null, null, null, null, null,
        List.of(), null, null, null, reasons.isEmpty(), reasons, checks);
  }

  /** A commit without promotion trailers: the first one, an unread one, or one that changed other files. */
  private static AuditEntry bare(RevCommit commit, String kind, boolean sanctioned, List<String> reasons) {
    boolean unread = kind.equals("unread");
    List<Check> checks = sanctioned ? List.of(Check.passed("history", "the repository's first commit"))
        : List.of(Check.failed("history", reasons.get(0)));
    return new AuditEntry(commit.name(), time(commit), unread ? null : person(commit.getAuthorIdent()),
        unread ? null : person(commit.getCommitterIdent()), unread ? null : commit.getShortMessage(), kind, null,
        null, null, null, null, List.of(), null, null, null, sanctioned, reasons, checks);
  }

  private static String time(RevCommit commit) {
    return Instant.ofEpochSecond(commit.getCommitTime()).toString();
  }

  private static String person(org.eclipse.jgit.lib.PersonIdent ident) {
    return ident == null ? null : ident.getName() + " <" + ident.getEmailAddress() + ">";
  }

  private static String value(List<FooterLine> footers, String key) {
    List<String> values = FooterLine.getValues(footers, key);
    return values.isEmpty() ? null : values.get(0).strip();
  }

  /** What to audit and with which trust. */
  public static final class Builder {
    private final GitOpsRepository repository;
    private final String environment;
    private String application;
    private Function<ZoneId, Instant> since = zone -> null;
    private int maxCommits = DEFAULT_MAX_COMMITS;
    private AuditTrust trust = AuditTrust.none();
    private DryRunReports reports = DryRunReports.none();
    private Function<ReleaseConfig, GroupDirectory> directory = ConfigGroupDirectory::of;

    private Builder(GitOpsRepository repository, String environment) {
      this.repository = Objects.requireNonNull(repository, "repository");
      this.environment = Objects.requireNonNull(environment, "environment");
    }

    public Builder application(String application) {
      this.application = application;
      return this;
    }

    /** Only commits whose committer time is after {@code since}. */
    public Builder since(Instant since) {
      this.since = zone -> since;
      return this;
    }

    /** Only commits after the instant {@code since} gives for the policy's zone (so a date means local midnight). */
    public Builder since(Function<ZoneId, Instant> since) {
      this.since = Objects.requireNonNull(since, "since");
      return this;
    }

    public Builder maxCommits(int maxCommits) {
      if (maxCommits < 1) {
        throw ReleaseException.badInput("--limit must be at least 1, not " + maxCommits);
      }
      this.maxCommits = maxCommits;
      return this;
    }

    public Builder trust(AuditTrust trust) {
      this.trust = Objects.requireNonNull(trust, "trust");
      return this;
    }

    public Builder reports(DryRunReports reports) {
      this.reports = Objects.requireNonNull(reports, "reports");
      return this;
    }

    /** Group membership for approvers; Jenkins passes its security realm's. */
    public Builder directory(Function<ReleaseConfig, GroupDirectory> directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    public Audit build() {
      return new Audit(this);
    }
  }
}
