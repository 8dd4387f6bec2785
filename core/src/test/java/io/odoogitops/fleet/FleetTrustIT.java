package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
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

  /** Mallory, who may push but holds no release key: an unsigned commit of {@code file} with {@code trailers}. */
  private void pushUnsigned(String file, String content, String subject, String trailers) throws Exception {
    tools.git(clone, "pull", "-q", "--rebase").requireSuccess(List.of("git pull"));
    Path path = clone.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content);
    tools.git(clone, "add", "-A").requireSuccess(List.of("git add"));
    tools.git(clone, "commit", "-q", "-m", subject, "-m", trailers).requireSuccess(List.of("git commit"));
    tools.git(clone, "push", "-q", "origin", "HEAD:main").requireSuccess(List.of("git push"));
  }

  private FleetRollout signed(GitOpsRepository repo, TenantVerifier verifier) throws Exception {
    return FleetRollout.builder(PromotionEngine.builder(repo)
        .signer(CommitSigner.fromKeyFile(keys.release(), CommitSigner.Format.SSH, null)).build(), repo)
        .initiator("jenkins").verifier(verifier).build();
  }

  private GitOpsRepository open(String cache, boolean trusted) throws Exception {
    GitOpsRepository repo = GitOpsRepository.open(new GitOpsRemote(daemon.url("gitops.git"), "main",
        GitCredentials.none(), tmp.resolve(cache)));
    return trusted ? repo.trustRoot(TrustRoot.read(keys.trustRoot())) : repo;
  }

  @Test
  void signedRecordsCountAndAnUnsignedHaltIsIgnored() throws Exception {
    ImageDigest digest = FleetFixture.image(1).digest();
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

  /**
   * An unsigned direct push that makes the canary's manifests name the digest is no promotion: under the trust root
   * the canary is "changed outside odoo-gitops", its wave is not done and the next wave stays closed; without a trust
   * root the same push reads as a verified canary (the hole this closes).
   */
  @Test
  void anUnsignedChangeNamingTheDigestDoesNotOpenTheNextWave() throws Exception {
    ImageDigest digest = FleetFixture.image(1).digest();
    pushUnsigned("envs/acme/kustomization.yaml", "images:\n  - name: " + FleetFixture.REPO + "\n    digest: "
        + digest + "\n", "promoted odoo in acme", "Fleet: saas\nWave: canary\nImage-Digest: " + digest);
    try (GitOpsRepository trusted = open("trusted", true); GitOpsRepository plain = open("plain", false)) {
      assertThat(FleetRolloutIT.row(FleetRollout.builder(PromotionEngine.builder(plain).build(), plain).build()
          .status("saas", digest), "acme").state()).as("without a trust root").isEqualTo(FleetState.State.VERIFIED);

      FleetRollout rollout = signed(trusted, TenantVerifier.NONE);
      FleetState.TenantState acme = FleetRolloutIT.row(rollout.status("saas", digest), "acme");
      assertThat(acme.state()).isEqualTo(FleetState.State.CHANGED_OUTSIDE);
      assertThat(acme.state().label()).isEqualTo("changed outside");
      assertThat(acme.failure()).contains("changed outside odoo-gitops").contains("git revert");
      assertThat(acme.verifiedAt()).isNull();

      FleetAdvance run = rollout.advance("saas", FleetFixture.image(1));
      assertThat(run.outcome()).isEqualTo(FleetAdvance.Outcome.HALTED);
      assertThat(run.promoted()).isEmpty();
      assertThat(run.halt().tenant()).isEqualTo("acme");
      assertThat(run.halt().reason()).contains("changed outside odoo-gitops");
      for (String later : List.of("globex", "initech", "umbrella", "hooli")) {
        assertThat(FleetRolloutIT.row(run.state(), later).running()).as(later).isNotEqualTo(digest);
      }
    }
  }

  /** An unsigned {@code resumed} record, as anyone who may push could write, does not clear a signed halt. */
  @Test
  void anUnsignedResumeDoesNotClearAHalt() throws Exception {
    ImageDigest digest = FleetFixture.image(1).digest();
    try (GitOpsRepository trusted = open("trusted", true)) {
      FleetRollout rollout = signed(trusted, TenantVerifier.NONE);
      rollout.advance("saas", FleetFixture.image(1));
      rollout.rollback("saas", digest, "invoices print blank");
      String haltCommit = rollout.status("saas", digest).halt().commit();

      pushUnsigned(FleetRecords.directory("saas", digest) + "/halt.json", "{\"record\": \"resumed\"}\n",
          "fleet saas: resumed: all good", "Fleet: saas\nFleet-Record: resumed\nFleet-Digest: " + digest);

      FleetState state = rollout.status("saas", digest);
      assertThat(state.halt()).as("the signed halt is still in force").isNotNull();
      assertThat(state.halt().commit()).isEqualTo(haltCommit);
      assertThat(state.ignoredRecords()).singleElement().asString().contains("not signed by a release-manager key");
      FleetAdvance run = rollout.advance("saas", FleetFixture.image(1));
      assertThat(run.outcome()).isEqualTo(FleetAdvance.Outcome.HALTED);
      assertThat(run.promoted()).isEmpty();
    }
  }

  /**
   * An unsigned {@code verified} record for a canary whose cluster could not be asked does not count: the canary
   * stays promoted, not verified, and the next run verifies it again instead of opening the next wave.
   */
  @Test
  void anUnsignedVerificationDoesNotOpenTheNextWave() throws Exception {
    tools.git(clone, "pull", "-q", "--rebase").requireSuccess(List.of("git pull"));
    Files.writeString(clone.resolve("odoo-gitops.yaml"), FleetFixture.CONFIG.replace(
        "acme: { path: envs/acme, layout: kustomize, labels: { tier: canary } }",
        "acme: { path: envs/acme, layout: kustomize, labels: { tier: canary }, cluster: { namespace: shop,"
            + " workload: deployment/acme, argo: { application: acme, namespace: argocd } } }")
        + "# signed by the policy admin\n");
    commitAndPush(keys.admin(), "policy: acme is verified in its cluster");
    ImageDigest digest = FleetFixture.image(1).digest();
    List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    TenantVerifier unreachable = (tenant, cluster, application, commit, d) -> {
      asked.add(tenant);
      throw ReleaseException.infrastructure("the API server of " + tenant + " is unreachable", null);
    };
    try (GitOpsRepository trusted = open("trusted", true); GitOpsRepository plain = open("plain", false)) {
      FleetRollout rollout = signed(trusted, unreachable);
      assertThatThrownBy(() -> rollout.advance("saas", FleetFixture.image(1)))
          .isInstanceOf(ReleaseException.class).hasMessageContaining("unreachable");
      FleetState.TenantState acme = FleetRolloutIT.row(rollout.status("saas", digest), "acme");
      assertThat(acme.state()).isEqualTo(FleetState.State.PROMOTED);

      pushUnsigned(FleetRecords.directory("saas", digest) + "/tenants/acme.json", "{\"record\": \"verified\"}\n",
          "fleet saas: verified acme", "Fleet: saas\nWave: canary\nFleet-Record: verified\nFleet-Tenant: acme\n"
              + "Fleet-Digest: " + digest + "\nFleet-Promotion: " + acme.promotion().commit());

      assertThat(FleetRolloutIT.row(FleetRollout.builder(PromotionEngine.builder(plain).build(), plain).build()
          .status("saas", digest), "acme").verified()).as("without a trust root the record is taken").isTrue();
      FleetState state = rollout.status("saas", digest);
      assertThat(FleetRolloutIT.row(state, "acme").state()).isEqualTo(FleetState.State.PROMOTED);
      assertThat(FleetRolloutIT.row(state, "acme").verified()).isNull();
      assertThat(state.ignoredRecords()).singleElement().asString().contains("not signed by a release-manager key");

      asked.clear();
      assertThatThrownBy(() -> rollout.advance("saas", FleetFixture.image(1)))
          .isInstanceOf(ReleaseException.class).hasMessageContaining("unreachable");
      assertThat(asked).as("the canary is verified again, not skipped").containsExactly("acme");
      for (String later : List.of("globex", "initech")) {
        assertThat(FleetRolloutIT.row(rollout.status("saas", digest), later).running()).isNotEqualTo(digest);
      }
    }
  }
}
