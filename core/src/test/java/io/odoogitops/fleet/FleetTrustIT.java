package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.testing.GitDaemon;
import io.odoogitops.testing.Prerequisites;
import io.odoogitops.testing.Requires;
import io.odoogitops.trust.CommitSigner;
import io.odoogitops.trust.Tools;
import io.odoogitops.trust.TrustKeys;
import io.odoogitops.trust.TrustRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet records under a trust root: the rollout's own record commits are signed with the release key and count, while
 * a halt record pushed unsigned (as anyone with push access could) is ignored, as an unsigned promotion is.
 */
@Requires({Prerequisites.Tool.GIT, Prerequisites.Tool.SSH_KEYGEN, Prerequisites.Tool.GPG})
class FleetTrustIT {

  @TempDir Path tmp;
  Tools tools;
  TrustKeys keys;
  GitDaemon daemon;
  Path clone;

  @BeforeEach
  void setUp() throws Exception {
    tools = new Tools(tmp);
    keys = TrustKeys.generate(tmp, tools);
    daemon = FleetFixture.serve(tmp);
    clone = tmp.resolve("clone");
    tools.git(tmp, "clone", "-q", daemon.url("gitops.git"), clone.toString()).requireSuccess(List.of("git clone"));
    // Under the trust root the configuration counts only as a policy admin signed it.
    Files.writeString(clone.resolve("odoo-gitops.yaml"), FleetFixture.CONFIG + "# signed by the policy admin\n");
    commitAndPush(keys.admin(), "policy: the saas fleet");
  }

  @AfterEach
  void tearDown() throws Exception {
    daemon.close();
    tools.close();
  }

  private void commitAndPush(Path key, String message) throws Exception {
    tools.git(clone, "add", "-A").requireSuccess(List.of("git add"));
    if (key == null) {
      tools.git(clone, "commit", "-q", "-m", message).requireSuccess(List.of("git commit"));
    } else {
      tools.git(clone, "-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "commit", "-q", "-S", "-m", message)
          .requireSuccess(List.of("git commit -S"));
    }
    tools.git(clone, "push", "-q", "origin", "HEAD:main").requireSuccess(List.of("git push"));
  }

  private GitOpsRepository open(String cache, boolean trusted) throws Exception {
    GitOpsRepository repo = GitOpsRepository.open(new GitOpsRemote(daemon.url("gitops.git"), "main",
        GitCredentials.none(), tmp.resolve(cache)));
    return trusted ? repo.trustRoot(TrustRoot.read(keys.trustRoot())) : repo;
  }

  @Test
  void signedRecordsCountAndAnUnsignedHaltIsIgnored() throws Exception {
    String digest = FleetFixture.image(1).digest();
    try (GitOpsRepository trusted = open("trusted", true); GitOpsRepository plain = open("plain", false)) {
      FleetRollout unsigned = FleetRollout.builder(PromotionEngine.builder(trusted).build(), trusted).build();
      assertThatThrownBy(() -> unsigned.rollback("saas", digest, "no key"))
          .isInstanceOf(ReleaseException.class).hasMessageContaining("--signing-key");

      FleetRollout rollout = FleetRollout.builder(PromotionEngine.builder(trusted)
          .signer(CommitSigner.fromKeyFile(keys.release(), CommitSigner.Format.SSH, null)).build(), trusted)
          .initiator("jenkins").build();
      FleetAdvance first = rollout.advance("saas", FleetFixture.image(1));
      assertThat(first.promoted()).extracting(FleetAdvance.TenantStep::tenant).containsExactly("acme");
      assertThat(FleetRolloutIT.row(first.state(), "acme").state()).isEqualTo(FleetState.State.SOAKING);

      // Mallory, who may push but holds no release key, plants a halt to stop the rollout.
      tools.git(clone, "pull", "-q", "--rebase").requireSuccess(List.of("git pull"));
      Path record = clone.resolve(FleetRecords.directory("saas", digest) + "/halt.json");
      Files.createDirectories(record.getParent());
      Files.writeString(record, "{\"record\": \"halted\"}\n");
      tools.git(clone, "add", "-A").requireSuccess(List.of("git add"));
      tools.git(clone, "commit", "-q", "-m", "fleet saas: stop everything", "-m", "Fleet: saas\nFleet-Record: halted\n"
          + "Fleet-Digest: " + digest).requireSuccess(List.of("git commit"));
      tools.git(clone, "push", "-q", "origin", "HEAD:main").requireSuccess(List.of("git push"));

      FleetState trustedState = rollout.status("saas", digest);
      assertThat(trustedState.halt()).as("unsigned under the trust root").isNull();
      assertThat(trustedState.ignoredRecords()).singleElement().asString()
          .contains("not signed by a release-manager key");
      assertThat(FleetRollout.builder(PromotionEngine.builder(plain).build(), plain).build()
          .status("saas", digest).halt().reason()).as("without a trust root the record is taken as it is")
          .isEqualTo("stop everything");

      // The rollout's own halt, signed, counts.
      rollout.rollback("saas", digest, "invoices print blank");
      assertThat(rollout.status("saas", digest).halt().reason()).contains("invoices print blank");
      assertThat(rollout.advance("saas", FleetFixture.image(1)).outcome()).isEqualTo(FleetAdvance.Outcome.HALTED);
    }
  }
}
