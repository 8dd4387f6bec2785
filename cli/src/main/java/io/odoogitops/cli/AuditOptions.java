package io.odoogitops.cli;

import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.LandingCheck;
import io.odoogitops.gitops.PromotionEngine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Who did it and why: what the commit records besides the change itself. */
public final class AuditOptions {

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

  /** {@code NAME <EMAIL>} as a commit identity; a missing part takes the default's. */
  static org.eclipse.jgit.lib.PersonIdent identity(String committer) {
    String name = committer.replaceAll("\\s*<.*$", "").strip();
    String email = committer.contains("<") ? committer.replaceAll("^.*<|>.*$", "") : "odoo-gitops@localhost";
    return new org.eclipse.jgit.lib.PersonIdent(name.isEmpty() ? "odoo-gitops" : name, email);
  }

  String initiator() {
    if (initiator != null) {
      return initiator;
    }
    String user = System.getenv("BUILD_USER_ID");
    return user != null ? user : System.getProperty("user.name");
  }

  PromotionEngine engine(GitOpsRepository repository, CommandSpec spec, LandingCheck check) {
    org.eclipse.jgit.lib.PersonIdent identity = identity(committer);
    return PromotionEngine.builder(repository)
        .committer(identity.getName(), identity.getEmailAddress())
        .progress(message -> spec.commandLine().getErr().println(message))
        .landingCheck(check)
        .build();
  }
}
