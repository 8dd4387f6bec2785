package io.odoogitops.gitops;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests under a trust root: a fresh {@link GitOpsFixture} whose policy a policy admin signed, real keys
 * ({@link TrustKeys}), and a clone in which the test pushes with the real git, signed or not, as a person would.
 */
@Requires({Prerequisites.Tool.GIT, Prerequisites.Tool.SSH_KEYGEN, Prerequisites.Tool.GPG})
abstract class SignedFixtureLifecycle {

  @TempDir Path tmp;
  Tools tools;
  TrustKeys keys;
  GitOpsFixture fixture;
  Path clone;

  @BeforeEach
  void setUp() throws Exception {
    tools = new Tools(tmp);
    keys = TrustKeys.generate(tmp, tools);
    fixture = GitOpsFixture.start(tmp);
    clone = tmp.resolve("clone");
    tools.git(tmp, "clone", "-q", fixture.url, clone.toString()).requireSuccess(List.of("git clone"));
    // the policy a policy admin signed: the configuration as seeded, with a comment to make it a change
    Files.writeString(clone.resolve("odoo-gitops.yaml"), GitOpsFixture.CONFIG + "# signed by the policy admin\n");
    commitAndPush(keys.admin(), "policy: signed");
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
    tools.close();
  }

  /** A repository handle with its own cache, checked against the trust root. */
  GitOpsRepository trusted(String cache) throws Exception {
    return fixture.open(cache).trustRoot(TrustRoot.read(keys.trustRoot()));
  }

  /** An engine that signs with the release key, behind a gate that asks for nothing. */
  PromotionEngine engine(GitOpsRepository repository) {
    return PromotionEngine.builder(repository)
        .signer(CommitSigner.fromKeyFile(keys.release(), CommitSigner.Format.SSH, null))
        .landingCheck(new GateCheck(GateCheck.Inputs.none(), Clock.systemUTC())).build();
  }

  /** Commits everything in the clone with the real git, signed with {@code key} unless null, and pushes. */
  String commitAndPush(Path key, String message) throws Exception {
    tools.git(clone, "add", "-A").requireSuccess(List.of("git add"));
    if (key == null) {
      tools.git(clone, "commit", "-q", "-m", message).requireSuccess(List.of("git commit"));
    } else {
      tools.git(clone, "-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "commit", "-q", "-S", "-m", message)
          .requireSuccess(List.of("git commit -S"));
    }
    tools.git(clone, "push", "-q", "origin", "HEAD:main").requireSuccess(List.of("git push"));
    return tools.git(clone, "rev-parse", "HEAD").stdout().strip();
  }
}
