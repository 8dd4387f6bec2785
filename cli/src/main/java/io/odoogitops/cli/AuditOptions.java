package io.odoogitops.cli;

import io.odoogitops.gitops.GitOpsRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import io.odoogitops.gitops.LandingCheck;
import io.odoogitops.gitops.PromotionEngine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Who did it and why: what the commit records besides the change itself; and the clock it is decided and recorded at,
 * which is the real one. No flag or environment variable moves it: only code running in the same process (the demo)
 * can hand the commands another clock, through {@link Main#commandLine(Clock)}.
 */
public final class AuditOptions {

  private final Clock clock;

  public AuditOptions() {
    this(Clock.systemUTC());
  }

  AuditOptions(Clock clock) {
    this.clock = clock;
  }

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why; written into the commit body.")
  String reason;

  @Option(names = "--initiator", paramLabel = "USER", description = "Who asked for it (default: $BUILD_USER_ID or $USER).")
  String initiator;

  @Option(names = "--build-url", paramLabel = "URL", defaultValue = "${env:BUILD_URL}",
      description = "CI build that asked for it. Env: BUILD_URL.")
  String buildUrl;

  @Option(names = "--committer", paramLabel = "NAME <EMAIL>",
      defaultValue = "${env:ODOO_GITOPS_COMMITTER:-odoo-gitops <odoo-gitops@localhost>}",
      description = "Identity of the commits (default: ${DEFAULT-VALUE}). Env: ODOO_GITOPS_COMMITTER.")
  String committer;

  @Option(names = "--retry-deadline", paramLabel = "SECONDS",
      defaultValue = "${env:ODOO_GITOPS_RETRY_DEADLINE:-300}",
      description = "How long to keep replaying the commit while other promotions win the race (default: 300)."
          + " Env: ODOO_GITOPS_RETRY_DEADLINE.")
  long retryDeadlineSeconds;

  @Mixin SigningOptions signing;

  /** {@code NAME <EMAIL>} as a commit identity; a missing part takes the default's. */
  static org.eclipse.jgit.lib.PersonIdent identity(String committer) {
    String name = committer.replaceAll("\\s*<.*$", "").strip();
    String email = committer.contains("<") ? committer.replaceAll("^.*<|>.*$", "") : "odoo-gitops@localhost";
    return new org.eclipse.jgit.lib.PersonIdent(name.isEmpty() ? "odoo-gitops" : name, email);
  }

  /** The clock promote and rollback decide on: the gate's time, the idempotency window and the commit's date. */
  Clock clock() {
    return clock;
  }

  String initiator() {
    return initiator(initiator, System.getenv());
  }

  /**
   * What {@code --initiator}'s help promises: the flag, else {@code $BUILD_USER_ID} (Jenkins' build-user-vars), else
   * {@code $USER}; null when none is set, so the gate asks for {@code --initiator} instead of recording a guess.
   * Not Java's {@code user.name}: that is the account the JVM runs as (the CI agent's), never who asked.
   */
  static String initiator(String flag, Map<String, String> environment) {
    for (String candidate : new String[] {flag, environment.get("BUILD_USER_ID"), environment.get("USER")}) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate.strip();
      }
    }
    return null;
  }

  PromotionEngine engine(GitOpsRepository repository, CommandSpec spec, LandingCheck check) {
    org.eclipse.jgit.lib.PersonIdent identity = identity(committer);
    return PromotionEngine.builder(repository)
        .committer(identity.getName(), identity.getEmailAddress())
        .progress(message -> spec.commandLine().getErr().println(message))
        .landingCheck(check)
        .retryDeadline(Duration.ofSeconds(retryDeadlineSeconds))
        .clock(clock)
        .signer(signing.commitSigner().orElse(null))
        .build();
  }
}
