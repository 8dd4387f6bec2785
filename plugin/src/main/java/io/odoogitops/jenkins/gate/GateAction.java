package io.odoogitops.jenkins.gate;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.User;
import hudson.security.SecurityRealm;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.jenkins.config.OdooGitOpsConfiguration;
import io.odoogitops.jenkins.signing.ControllerKeys;
import io.odoogitops.policy.Action;
import io.odoogitops.policy.ApprovalScope;
import io.odoogitops.policy.Candidate;
import io.odoogitops.policy.Decision;
import io.odoogitops.policy.GateRequest;
import io.odoogitops.policy.Outcome;
import io.odoogitops.policy.OverrideRequest;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.RuleResult;
import io.odoogitops.policy.SignedVote;
import io.odoogitops.policy.UpstreamEvidence;
import io.odoogitops.policy.Vote;
import io.odoogitops.policy.VoteStatement;
import io.odoogitops.signing.SshSigner;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import jenkins.model.Jenkins;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.interceptor.RequirePOST;
import org.springframework.security.core.GrantedAuthority;

/**
 * The release gate of one candidate on its build's page, and its persisted state: the policy it was opened with, the
 * votes, and how it ended. Every evaluation goes through the core's {@link ReleasePolicy}; this class only collects
 * votes over HTTP (POST, CSRF-protected by Jenkins' crumb filter) and tells the waiting step when the decision is
 * final. Saved with the build, so it survives a controller restart; the waiting step also keeps a {@link #copy} in the
 * Pipeline's program, so a controller crash that lost the build's last save reopens the same gate.
 */
public class GateAction implements RunAction2, Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  /** Where the gate stands. */
  public enum State { WAITING, APPROVED, REJECTED, TIMED_OUT, REFUSED, ABORTED }

  /** Rules that more votes can turn around; any other failed rule refuses the candidate at once. */
  private static final Set<String> WAITING_RULES = Set.of("approvals", "freeze");

  private final String id;
  private final String environment;
  private final String application;
  private final String image;
  private final String digest;
  private final String starter;
  private final String sourceAuthor;
  /** The build's SCM change authors (verified by the SCM, not claimed); null in gates saved before they were kept. */
  private final ArrayList<String> changeAuthors;
  private final String overrideJustification;
  private final String policyYaml;
  private final String policyCommit;
  private final String upstreamEnvironment;
  private final List<String> upstreamDigests;
  private final String dryRunDigest;
  private final String dryRunVerdict;
  private final String dryRunReportSha256;
  /** The restore point rule's facts (RestoreEvidence), as plain values for build.xml; null in gates saved before. */
  private final Boolean restoreRequired;
  private final String dryRunFinishedAt;
  private final String restorePointJson;
  /** The holds in force when the gate opened (GateHold); null in gates saved before holds were kept. */
  private final ArrayList<GateHold> holds;
  /** The restore point's armored signature; null when unsigned, and in gates saved before. */
  private final String restorePointSignature;
  /** The report signature's check, kept as plain strings for build.xml; null key and problem: unsigned. */
  private final String dryRunSignerKey;
  private final String dryRunSignatureProblem;
  private final String dryRunSignatureDetail;
  /** The files the policy names (an allowedSigners file) as read when the gate opened; HashMap for XStream. */
  private final HashMap<String, String> policyFiles;
  private final long deadline;
  private final List<GateVote> votes = new ArrayList<>();
  private State state = State.WAITING;
  private String outcome;
  private List<String> trailers = new ArrayList<>();

  private transient Run<?, ?> run;

  GateAction(String id, String environment, String application, String image, String digest, String starter,
      String sourceAuthor, String overrideJustification, GateInputs inputs, Instant deadline) {
    this(id, environment, application, image, digest, starter, sourceAuthor, List.of(), overrideJustification, inputs,
        deadline);
  }

  GateAction(String id, String environment, String application, String image, String digest, String starter,
      String sourceAuthor, List<String> changeAuthors, String overrideJustification, GateInputs inputs,
      Instant deadline) {
    this.id = id;
    this.changeAuthors = new ArrayList<>(changeAuthors);
    this.environment = environment;
    this.application = application;
    this.image = image;
    this.digest = digest;
    this.starter = starter;
    this.sourceAuthor = sourceAuthor;
    this.overrideJustification = overrideJustification;
    this.policyYaml = inputs.policyYaml();
    this.policyCommit = inputs.policyCommit();
    this.upstreamEnvironment = inputs.upstreamEnvironment();
    // ArrayList, not List.copyOf: build.xml is read back by XStream, whose JEP-200 filter knows ArrayList.
    this.upstreamDigests = inputs.upstreamDigests() == null ? null : new ArrayList<>(inputs.upstreamDigests());
    this.dryRunDigest = inputs.dryRunDigest();
    this.dryRunVerdict = inputs.dryRunVerdict();
    this.dryRunReportSha256 = inputs.dryRunReportSha256();
    this.restoreRequired = inputs.restore().restoreRequired();
    this.dryRunFinishedAt = inputs.restore().dryRunFinishedAt();
    this.restorePointJson = inputs.restore().restorePointJson();
    this.holds = inputs.holds() == null ? null : new ArrayList<>(inputs.holds());
    this.restorePointSignature = inputs.restore().restorePointSignature();
    DryRunSignature signature = inputs.dryRunSignature();
    this.dryRunSignerKey = signature == null ? null : signature.key();
    this.dryRunSignatureProblem = signature == null ? null : signature.problem();
    this.dryRunSignatureDetail = signature == null ? null : signature.detail();
    this.policyFiles = new HashMap<>(inputs.policyFiles());
    this.deadline = deadline.toEpochMilli();
  }

  /** A copy of {@code other} as it stands, votes and decision included, attached to no build. */
  private GateAction(GateAction other) {
    this.id = other.id;
    this.environment = other.environment;
    this.application = other.application;
    this.image = other.image;
    this.digest = other.digest;
    this.starter = other.starter;
    this.sourceAuthor = other.sourceAuthor;
    this.changeAuthors = other.changeAuthors == null ? null : new ArrayList<>(other.changeAuthors);
    this.overrideJustification = other.overrideJustification;
    this.policyYaml = other.policyYaml;
    this.policyCommit = other.policyCommit;
    this.upstreamEnvironment = other.upstreamEnvironment;
    this.upstreamDigests = other.upstreamDigests == null ? null : new ArrayList<>(other.upstreamDigests);
    this.dryRunDigest = other.dryRunDigest;
    this.dryRunVerdict = other.dryRunVerdict;
    this.dryRunReportSha256 = other.dryRunReportSha256;
    this.restoreRequired = other.restoreRequired;
    this.dryRunFinishedAt = other.dryRunFinishedAt;
    this.restorePointJson = other.restorePointJson;
    this.holds = other.holds == null ? null : new ArrayList<>(other.holds);
    this.restorePointSignature = other.restorePointSignature;
    this.dryRunSignerKey = other.dryRunSignerKey;
    this.dryRunSignatureProblem = other.dryRunSignatureProblem;
    this.dryRunSignatureDetail = other.dryRunSignatureDetail;
    this.policyFiles = other.policyFiles == null ? null : new HashMap<>(other.policyFiles);
    this.deadline = other.deadline;
    synchronized (other) {
      this.votes.addAll(other.votes);
      this.state = other.state;
      this.outcome = other.outcome;
      this.trailers = new ArrayList<>(other.trailers);
    }
  }

  GateAction copy() {
    return new GateAction(this);
  }

  // ---- what the page shows

  @Override
  public String getIconFileName() {
    return "symbol-lock-closed";
  }

  @Override
  public String getDisplayName() {
    return Messages.GateAction_DisplayName() + ": " + environment + "/" + application;
  }

  @Override
  public String getUrlName() {
    return "odoo-gate-" + id;
  }

  public String getId() {
    return id;
  }

  public String getEnvironment() {
    return environment;
  }

  public String getApplication() {
    return application;
  }

  public String getImage() {
    return image;
  }

  public String getDigest() {
    return digest;
  }

  public String getPolicyCommit() {
    return policyCommit;
  }

  public String getDryRunVerdict() {
    return dryRunVerdict == null ? "no dry-run report" : dryRunVerdict + " (report " + dryRunReportSha256 + ")";
  }

  public String getOverrideJustification() {
    return overrideJustification;
  }

  public synchronized State getState() {
    return state;
  }

  public synchronized String getOutcome() {
    return outcome;
  }

  public Instant getDeadline() {
    return Instant.ofEpochMilli(deadline);
  }

  public synchronized List<GateVote> getVotes() {
    return List.copyOf(votes);
  }

  /** The rules as they stand now: each rule's outcome and reason, and the details of votes that did not count. */
  public List<RuleResult> getRules() {
    return evaluate(getVotes(), Instant.now()).rules();
  }

  /**
   * Whether the current user may vote now (the page hides the buttons otherwise; the POST handlers re-check): the
   * gate waits, its build still runs (a build killed hard can leave a gate that never closed), and the user has
   * {@link GatePermissions#APPROVE} on the job.
   */
  public boolean isVotable() {
    return getState() == State.WAITING && run != null && run.isBuilding()
        && run.getParent().hasPermission(GatePermissions.APPROVE);
  }

  // ---- votes over HTTP

  @RequirePOST
  public HttpResponse doApprove() throws IOException {
    return vote(Vote.APPROVE, ApprovalScope.PROMOTION);
  }

  @RequirePOST
  public HttpResponse doReject() throws IOException {
    return vote(Vote.REJECT, ApprovalScope.PROMOTION);
  }

  /** A vote for the emergency override of the freeze, when the step asked for one with a justification. */
  @RequirePOST
  public HttpResponse doApproveOverride() throws IOException {
    if (overrideJustification == null) {
      return HttpResponses.errorWithoutStack(400, "this gate asked for no freeze override");
    }
    return vote(Vote.APPROVE, ApprovalScope.FREEZE_OVERRIDE);
  }

  private HttpResponse vote(Vote vote, ApprovalScope scope) throws IOException {
    run.getParent().checkPermission(GatePermissions.APPROVE);
    if (!run.isBuilding()) {
      return HttpResponses.errorWithoutStack(409, "build " + run.getFullDisplayName() + " has finished: its release"
          + " gate takes no more votes; start a new build to promote again");
    }
    User user = User.current();
    if (user == null) {
      return HttpResponses.errorWithoutStack(403, "log in to vote");
    }
    Instant now = Instant.now();
    SignedVote signed;
    try {
      signed = signedVote(user.getId(), vote, scope, now);
    } catch (AbortException e) {
      return HttpResponses.errorWithoutStack(500, e.getMessage());
    } catch (IllegalArgumentException e) {
      return HttpResponses.errorWithoutStack(400, "your vote cannot be signed: " + e.getMessage());
    }
    GateVote cast = new GateVote(user.getId(), user.getFullName(), vote, scope, now, policyGroups(), signed);
    Decision decision;
    synchronized (this) {
      if (state != State.WAITING) {
        return HttpResponses.errorWithoutStack(409, "the gate is closed: " + state);
      }
      SecurityRealm realm = Jenkins.get().getSecurityRealm();
      if (votes.stream().anyMatch(v -> realm.getUserIdStrategy().equals(v.getVoter(), cast.getVoter())
          && v.scope() == cast.scope())) {
        return HttpResponses.errorWithoutStack(409, "you already voted here (one vote per person)");
      }
      List<GateVote> with = new ArrayList<>(votes);
      with.add(cast);
      decision = evaluate(with, cast.getAt());
      Optional<String> ignored = ignoredReason(decision, cast.getVoter());
      if (ignored.isPresent()) {
        // Refused before it is recorded: a vote the policy would not count (not an approver, four-eyes) must not
        // appear on the page as if it did.
        return HttpResponses.errorWithoutStack(403, "your vote would not count: " + ignored.get());
      }
      accept(cast, decision);
    }
    run.save();
    OdooGateStep.Execution.voted(this, cast);
    if (signed != null && OdooGitOpsConfiguration.get().isRecordVotes()) {
      GateVoteRecorder.record(run, signed, cast.policyGroups());
    }
    return HttpResponses.redirectToDot();
  }

  /**
   * The vote signed by the controller's vote-signing key for the authenticated user, or null when no key is
   * configured. The policy's allowedSigners decide which voters that key may sign for.
   */
  private SignedVote signedVote(String voter, Vote vote, ApprovalScope scope, Instant at) throws AbortException {
    SshSigner signer = ControllerKeys.voteSigner();
    if (signer == null) {
      return null;
    }
    return sign(signer, new VoteStatement(environment, application, imageDigest(), vote, scope, null, voter, at));
  }

  /** {@code statement} signed over its canonical payload in the votes' namespace, as {@code odoo-gitops approve}. */
  static SignedVote sign(SshSigner signer, VoteStatement statement) {
    return new SignedVote(statement, signer.sign(statement.canonical(), VoteStatement.NAMESPACE), "jenkins gate page");
  }

  // ---- decisions

  /** The gate's decision with {@code withVotes}, through the core's policy. */
  Decision evaluate(List<GateVote> withVotes, Instant at) {
    return policy(withVotes).evaluate(request(withVotes, at));
  }

  /**
   * When the decision with the votes cast so far may change by itself (a freeze ending or starting, a vote
   * expiring), or empty: the waiting step re-evaluates the gate then.
   */
  Optional<Instant> nextChange(Instant at) {
    List<GateVote> cast = getVotes();
    return policy(cast).nextChange(request(cast, at));
  }

  private ReleasePolicy policy(List<GateVote> withVotes) {
    ReleaseConfig config = ConfigLoader.load(policyYaml.getBytes(StandardCharsets.UTF_8), ReleaseConfig.FILE_NAME);
    Map<String, Set<String>> groups = new LinkedHashMap<>();
    withVotes.forEach(v -> groups.put(v.getVoter(), new HashSet<>(v.policyGroups())));
    // a gate saved before policy files were kept reads none
    return ReleasePolicy.of(config, new VoterGroups(config, groups), path -> Optional.ofNullable(
        policyFiles == null ? null : policyFiles.get(path)).map(text -> text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The digest as the core takes it; kept as text in build.xml, which XStream reads back. */
  private ImageDigest imageDigest() {
    return ImageDigest.parse(digest, "the gate's digest");
  }

  private GateRequest request(List<GateVote> withVotes, Instant at) {
    Candidate candidate = new Candidate(environment, application, imageDigest(), Action.PROMOTE);
    GateRequest.Builder request = GateRequest.builder(candidate)
        .initiator(starter == null ? "jenkins" : starter)
        .sourceAuthor(sourceAuthor)
        .authorIdentities(changeAuthors())
        .approvals(withVotes.stream().filter(v -> !v.isSigned()).map(v -> v.toApproval(candidate)).toList())
        .ballots(LandingPolicy.ballots(withVotes.stream().map(GateVote::voteFile).toList()))
        .at(at);
    if (upstreamDigests != null) {
      request.upstream(new UpstreamEvidence(upstreamEnvironment, upstreamDigests.stream()
          .map(d -> ImageDigest.parse(d, "a digest run in " + upstreamEnvironment)).collect(java.util.stream.Collectors.toSet())));
    }
    if (dryRunVerdict != null) {
      try {
        request.dryRun(restore().applyTo(DryRunSignature.evidence(dryRunDigest, dryRunVerdict, dryRunReportSha256,
            dryRunSignature())));
      } catch (IllegalArgumentException e) {
        throw ReleaseException.badInput("the dry-run report's verdict: " + e.getMessage());
      }
    }
    if (overrideJustification != null) {
      request.override(new OverrideRequest(overrideJustification));
    }
    restore().point().ifPresent(request::restorePoint);
    if (holds != null) {
      request.holds(GateHold.evidence(environment, application, holds));
    }
    restore().signature().ifPresent(request::restorePointSignature);
    return request.build();
  }

  /**
   * Moves the gate on: approved when every rule passes, rejected by any counted rejection, refused at once when a
   * rule fails that no vote can fix (dry-run verdict, promote-from, a freeze with no override asked for).
   */
  synchronized State settle(Decision decision) {
    if (state != State.WAITING) {
      return state;
    }
    if (decision.allowed()) {
      state = State.APPROVED;
      trailers = decision.trailers().stream().map(t -> t.key() + ": " + t.value())
          .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
      outcome = "approved: " + decision.trailers();
    } else if (failed(decision, "rejections")) {
      state = State.REJECTED;
      outcome = reasons(decision, Stream.of("rejections"));
    } else if (decision.failures().stream().anyMatch(r -> !WAITING_RULES.contains(r.rule())
        || (r.rule().equals("freeze") && overrideJustification == null))) {
      state = State.REFUSED;
      outcome = reasons(decision, decision.failures().stream().map(RuleResult::rule));
    }
    return state;
  }

  /** Records {@code cast}, a vote that counts, and moves the gate on with {@code decision}, the one including it. */
  synchronized void accept(GateVote cast, Decision decision) {
    votes.add(cast);
    settle(decision);
  }

  synchronized void close(State end, String why) {
    if (state == State.WAITING) {
      state = end;
      outcome = why;
    }
  }

  /** The latest approved gate of {@code run} for this candidate, or null. */
  static GateAction approved(Run<?, ?> run, String environment, String application, String digest) {
    return run.getActions(GateAction.class).stream()
        .filter(a -> a.getState() == State.APPROVED && a.environment.equals(environment)
            && a.application.equals(application) && a.digest.equals(digest))
        .reduce((first, second) -> second).orElse(null);
  }

  private DryRunSignature dryRunSignature() {
    return dryRunSignerKey == null && dryRunSignatureProblem == null && dryRunSignatureDetail == null ? null
        : new DryRunSignature(dryRunSignerKey, dryRunSignatureProblem, dryRunSignatureDetail);
  }

  /** What odooPromote re-checks at landing: this gate's votes and evidence. */
  synchronized LandingPolicy landingPolicy() {
    List<LandingPolicy.CastVote> cast = votes.stream().map(v -> new LandingPolicy.CastVote(v.getVoter(),
        v.vote(), v.scope(), v.getAt(), v.policyGroups(), v.voteFile())).toList();
    // The digests are kept as text in build.xml; they travel to the agent as values, read here.
    return new LandingPolicy(environment, application, digestOrNull(digest, "the gate's digest"), sourceAuthor,
        overrideJustification, digestOrNull(dryRunDigest, "the gate's dry-run digest"), dryRunVerdict,
        dryRunReportSha256, dryRunSignature(), cast, changeAuthors(), restore());
  }

  private static ImageDigest digestOrNull(String text, String what) {
    return text == null ? null : ImageDigest.parse(text, what);
  }

  private RestoreEvidence restore() {
    return new RestoreEvidence(Boolean.TRUE.equals(restoreRequired), dryRunFinishedAt, restorePointJson,
        restorePointSignature);
  }

  /** The SCM change authors kept when the gate opened; none for a gate saved before they were kept. */
  List<String> changeAuthors() {
    return changeAuthors == null ? List.of() : List.copyOf(changeAuthors);
  }

  /** What the step returns: plain values a Pipeline can read. */
  synchronized Map<String, Object> result() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("state", state.name());
    map.put("environment", environment);
    map.put("application", application);
    map.put("digest", digest);
    map.put("approvedBy", trailers.stream().filter(t -> t.startsWith("Approved-By: "))
        .map(t -> t.substring("Approved-By: ".length())).toList());
    map.put("trailers", List.copyOf(trailers));
    map.put("policyCommit", policyCommit);
    map.put("outcome", outcome);
    return map;
  }

  private static boolean failed(Decision decision, String rule) {
    return decision.rules().stream().anyMatch(r -> r.rule().equals(rule) && r.outcome() == Outcome.FAILED);
  }

  private static String reasons(Decision decision, Stream<String> rules) {
    List<String> names = rules.toList();
    return decision.rules().stream().filter(r -> names.contains(r.rule()))
        .map(r -> r.rule() + ": " + r.reason()).reduce((a, b) -> a + "; " + b).orElse("");
  }

  /** The core lists each vote it did not count as "voter: why"; a vote of {@code voter} there would not count. */
  static Optional<String> ignoredReason(Decision decision, String voter) {
    // "voter: why" for an unsigned vote, "voter (source): why" for a signed one
    String name = voter.toLowerCase(java.util.Locale.ROOT);
    return decision.rules().stream().flatMap(r -> r.details().stream())
        .filter(d -> d.toLowerCase(java.util.Locale.ROOT).startsWith(name + ":")
            || d.toLowerCase(java.util.Locale.ROOT).startsWith(name + " ("))
        .filter(d -> !d.contains("replaced by a later vote"))
        .map(d -> d.substring(d.indexOf(": ", name.length()) + 2).strip()).findFirst();
  }

  /**
   * The policy's group names (from {@code group:} approvers) that {@code user} belongs to, compared with the
   * security realm's group id strategy, so "Release-Managers" in LDAP matches "release-managers" in the policy
   * when the realm says group names are case-insensitive.
   */
  private List<String> policyGroups() {
    ReleaseConfig config = ConfigLoader.load(policyYaml.getBytes(StandardCharsets.UTF_8), ReleaseConfig.FILE_NAME);
    EnvironmentSpec env = config.environment(environment);
    List<String> refs = new ArrayList<>();
    if (env.gate() != null) {
      refs.addAll(env.gate().approvers());
    }
    if (env.override() != null) {
      refs.addAll(env.override().approvers());
    }
    SecurityRealm realm = Jenkins.get().getSecurityRealm();
    // The voter is the current user: their authorities come with the request, no realm look-up needed.
    List<String> authorities = Jenkins.getAuthentication2().getAuthorities().stream()
        .map(GrantedAuthority::getAuthority).toList();
    return refs.stream().filter(r -> r.startsWith("group:")).map(r -> r.substring("group:".length()))
        .filter(g -> authorities.stream().anyMatch(a -> realm.getGroupIdStrategy().equals(a, g))).distinct()
        .toList();
  }

  // ---- RunAction2

  @Override
  public void onAttached(Run<?, ?> r) {
    this.run = r;
  }

  @Override
  public void onLoad(Run<?, ?> r) {
    this.run = r;
  }

  Run<?, ?> run() {
    return run;
  }

  /** For the page's side panel. */
  public Run<?, ?> getRun() {
    return run;
  }
}
