package io.odoogitops.cli;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.ReleaseQueries;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.policy.Action;
import io.odoogitops.policy.Candidate;
import io.odoogitops.policy.Decision;
import io.odoogitops.policy.GateRequest;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.RuleResult;
import io.odoogitops.policy.Trailer;
import io.odoogitops.policy.UpstreamEvidence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code odoo-gitops gate check}: would the policy let this digest into this environment now? */
@Command(name = "gate", description = "Promotion gates of the release policy.", subcommands = GateCommand.Check.class)
public final class GateCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: check");
  }

  /** Evaluates every rule for one candidate and prints the decision rule by rule. */
  @Command(name = "check", description = {"Decide whether a digest may be promoted to an environment, rule by rule.",
      "Exit 0 when allowed, 1 when refused, 2 on bad input."})
  static final class Check implements Callable<Integer> {

    @Mixin
    PolicyConfigOption config;

    @Mixin
    OutputOptions output;

    @Mixin
    GateOptions gate;

    @Spec
    CommandSpec spec;

    @Option(names = "--env", required = true, paramLabel = "ENV", description = "Target environment.")
    String env;

    @Option(names = "--app", required = true, paramLabel = "APP", description = "Application (see 'applications').")
    String app;

    @Option(names = "--digest", required = true, paramLabel = "sha256:HEX", converter = ImageConverters.Digest.class,
        description = "Image digest to release.")
    ImageDigest digest;

    @Option(names = "--action", paramLabel = "ACTION", defaultValue = "promote",
        description = "promote or rollback (default: ${DEFAULT-VALUE}).")
    String action;

    @Option(names = "--initiator", required = true, paramLabel = "USER",
        description = "Who asks for the release: a claim, barred from approving under four-eyes.")
    String initiator;

    @Option(names = "--promotion-id", paramLabel = "ID",
        description = "The promotion asked about; votes answering another promotion then do not count.")
    String promotionId;

    @Option(names = "--source-revision", paramLabel = "SHA", defaultValue = "${env:GIT_COMMIT}",
        description = "Module repository commit the image was built from; its author cannot approve. Env: GIT_COMMIT.")
    String sourceRevision;

    @Mixin
    AtOption at;

    @Option(names = "--promoted-in", paramLabel = "FILE|DIGESTS",
        description = "Digests already promoted to the promoteFrom environment: comma-separated sha256:... values,"
            + " or a file with one per line.")
    String promotedIn;

    @Override
    public Integer call() {
      Decision decision = promotedIn == null && config.fromRepository() ? decideOnRepository() : decideLocally();
      output.print(spec.commandLine().getOut(), DecisionJson.of(decision, at.given()), text(decision, at.given()));
      return decision.allowed() ? 0 : Main.REFUSED;
    }

    /** The decision promote would reach at the branch head: configuration and promoteFrom history from the repo. */
    private Decision decideOnRepository() {
      ImageRef image = new ImageRef("decision-only", null, digest);
      Promotion.Builder promotion = Promotion.builder(env, app, image).initiatorClaim(initiator)
          .promotionId(promotionId);
      if (Action.parse(action) == Action.ROLLBACK) {
        promotion.rollback(List.of(), null);
      }
      GateCheck check = promotionId == null ? gate.check(this::instant, sourceRevision).forAnyPromotion()
          : gate.check(this::instant, sourceRevision);
      try (GitOpsRepository repo = config.repository.open()) {
        return ReleaseQueries.of(repo).atHead(snapshot -> check.decide(snapshot, promotion.build()));
      }
    }

    private Decision decideLocally() {
      ReleaseConfig loaded = config.load();
      ReleasePolicy policy = ReleasePolicy.of(loaded, io.odoogitops.policy.ConfigGroupDirectory.of(loaded),
          config.fromRepository() ? io.odoogitops.policy.RepositoryFiles.NONE : config.localFiles());
      Candidate candidate = new Candidate(env, app, digest,
          Action.parse(action));
      GateCheck.Inputs inputs = gate.inputs(sourceRevision);
      GateRequest.Builder request = GateRequest.builder(candidate)
          .initiator(initiator)
          .sourceAuthor(inputs.sourceAuthor())
          .authorIdentities(inputs.authorIdentities())
          .approvals(inputs.approvals())
          .ballots(inputs.ballots())
          .promotionId(promotionId)
          .at(instant(policy.zone()));
      inputs.dryRun().ifPresent(request::dryRun);
      inputs.override().ifPresent(request::override);
      inputs.restorePoint().ifPresent(request::restorePoint);
      inputs.restorePointSignature().ifPresent(request::restorePointSignature);
      String upstream = loaded.environment(env).promoteFrom();
      if (promotedIn != null) {
        if (upstream == null) {
          throw ReleaseException.badInput("--promoted-in was given, but " + env + " has no promoteFrom environment");
        }
        request.upstream(new UpstreamEvidence(upstream, digests(promotedIn)));
      }
      return policy.evaluate(request.build()).withNotices(List.of(LOCAL_POLICY));
    }

    private Instant instant(ZoneId zone) {
      return at.instant(zone);
    }
    /** A policy read from a local file is whatever the caller put there. */
    static final String LOCAL_POLICY = "the policy was read from a local file, not from a signed commit of the GitOps"
        + " repository: this decision is advisory (pass --repo and --trust-root for a binding one)";

    private static Set<ImageDigest> digests(String value) {
      String text = value.startsWith("sha256:") ? value.replace(',', '\n')
          : new String(PolicyConfigOption.read(Path.of(value), "--promoted-in"), StandardCharsets.UTF_8);
      Set<ImageDigest> digests = new LinkedHashSet<>();
      for (String line : text.split("\\R")) {
        String d = line.strip();
        if (!d.isEmpty() && !d.startsWith("#")) {
          digests.add(ImageDigest.parse(d, "--promoted-in entry"));
        }
      }
      return digests;
    }

    private static String text(Decision decision, boolean hypothetical) {
      StringBuilder text = new StringBuilder();
      Candidate c = decision.candidate();
      text.append(c.action().yamlName()).append(' ').append(c.application()).append('@').append(c.digest())
          .append(" to ").append(c.environment()).append(" at ").append(decision.at())
          .append(hypothetical ? " (hypothetical: --at; promote and rollback decide on the real clock)" : "")
          .append('\n');
      int width = decision.rules().stream().mapToInt(r -> r.rule().length()).max().orElse(0);
      for (RuleResult rule : decision.rules()) {
        text.append(String.format(Locale.ROOT, "  %-4s  %-" + width + "s  %s%n", label(rule), rule.rule(),
            rule.reason()));
        rule.details().forEach(d -> text.append(" ".repeat(width + 10)).append("- ").append(d).append('\n'));
      }
      decision.notices().forEach(n -> text.append("note: ").append(n).append('\n'));
      int failed = decision.failures().size();
      text.append(decision.allowed() ? "decision: ALLOWED\n"
          : "decision: REFUSED (" + failed + (failed == 1 ? " rule" : " rules") + " failed)\n");
      if (!decision.trailers().isEmpty()) {
        text.append("trailers:\n");
        decision.trailers().forEach(t -> text.append("  ").append(t).append('\n'));
      }
      return text.toString().stripTrailing();
    }

    private static String label(RuleResult rule) {
      return switch (rule.outcome()) {
        case PASSED -> "ok";
        case FAILED -> "FAIL";
        case NOT_APPLICABLE -> "n/a";
      };
    }
  }

  /**
   * JSON shape of a decision.
   *
   * @param hypothetical whether it was asked for another time than now ({@code --at}): a what-if answer, not a decision
   */
  record DecisionJson(String environment, String application, ImageDigest digest, String action, Instant at,
      boolean hypothetical, boolean allowed, List<RuleResult> rules, List<Trailer> trailers, List<String> notices) {
    static DecisionJson of(Decision d) {
      return of(d, false);
    }

    static DecisionJson of(Decision d, boolean hypothetical) {
      Candidate c = d.candidate();
      return new DecisionJson(c.environment(), c.application(), c.digest(), c.action().yamlName(), d.at(),
          hypothetical, d.allowed(), d.rules(), d.trailers(), d.notices());
    }
  }
}
