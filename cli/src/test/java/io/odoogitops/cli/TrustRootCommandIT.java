package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.testing.GitDaemon;
import io.odoogitops.testing.Prerequisites;
import io.odoogitops.testing.Requires;
import io.odoogitops.trust.Tools;
import io.odoogitops.trust.TrustKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --trust-root} and {@code --signing-key} through the CLI against a real git daemon: advisory without a root,
 * unsigned policy changes reported and ignored with one, promotions signed and checked by {@code git verify-commit}.
 */
@Requires({Prerequisites.Tool.GIT, Prerequisites.Tool.SSH_KEYGEN, Prerequisites.Tool.GPG})
class TrustRootCommandIT {

  static final String IMAGE = "registry.example.com/acme/odoo";
  static final String DIGEST = "sha256:" + "4".repeat(64);
  static final String OLD = "sha256:" + "1".repeat(64);
  static final String CONFIG = """
      applications:
        odoo: { image: %s }
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production:
          path: envs/production
          layout: kustomize
          gate: { approvals: %d, approvers: [carol] }
      """;

  @TempDir Path dir;
  GitDaemon daemon;
  String url;
  Tools tools;
  Path clone;
  Path admin;
  Path release;
  Path trustRoot;

  @BeforeEach
  void start() throws Exception {
    tools = new Tools(dir);
    TrustKeys keys = TrustKeys.generate(dir, tools);
    admin = keys.admin();
    release = keys.release();
    trustRoot = keys.trustRoot();
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", CONFIG.formatted(IMAGE, 1));
    files.put("envs/staging/kustomization.yaml", "images:\n  - name: " + IMAGE + "\n    digest: " + OLD + "\n");
    files.put("envs/production/kustomization.yaml", "images:\n  - name: " + IMAGE + "\n    digest: " + OLD + "\n");
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", files, "initial");
    daemon = GitDaemon.start(served);
    url = daemon.url("gitops.git");
    clone = dir.resolve("clone");
    tools.git(dir, "clone", "-q", url, clone.toString()).requireSuccess(List.of("git clone"));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
    tools.close();
  }

  @Test
  void withoutATrustRootTheGateSaysItIsAdvisory() {
    CliRun check = CliRun.of(repo("gate", "check", "--env", "production", "--app", "odoo", "--digest", DIGEST,
        "--initiator", "ci"));

    assertThat(check.out()).contains("note: no trust root").contains("this gate is advisory");
  }

  @Test
  void unsignedPolicyChangesAreReportedAndIgnoredAndPromotionsAreSigned() throws Exception {
    CliRun nothingSigned = CliRun.of(repo("gate", "check", "--trust-root", trustRoot.toString(), "--env",
        "production", "--app", "odoo", "--digest", DIGEST, "--initiator", "ci"));
    pushPolicy(CONFIG.formatted(IMAGE, 1) + "# adopted under the trust root\n", admin);
    String unsigned = pushPolicy(CONFIG.formatted(IMAGE, 0), null);
    CliRun check = CliRun.of(Map.of("ODOO_GITOPS_TRUST_ROOT", trustRoot.toString()), repo("gate", "check", "--env",
        "production", "--app", "odoo", "--digest", DIGEST, "--initiator", "ci"));
    CliRun unsignedPromote = CliRun.of(repo("promote", "--trust-root", trustRoot.toString(), "--env", "staging",
        "--app", "odoo", "--image", IMAGE + "@" + DIGEST, "--initiator", "ci"));
    CliRun promote = CliRun.of(repo("promote", "--trust-root", trustRoot.toString(), "--signing-key",
        release.toString(), "--env", "staging", "--app", "odoo", "--image", IMAGE + "@" + DIGEST, "--initiator",
        "ci"));
    CliRun history = CliRun.of(repo("history", "--trust-root", trustRoot.toString(), "--env", "staging"));

    assertThat(nothingSigned.exitCode()).isEqualTo(Main.REFUSED);
    assertThat(nothingSigned.err()).contains("no version of odoo-gitops.yaml is signed by a policy-admin");
    assertThat(check.exitCode()).as(check.err()).isEqualTo(Main.REFUSED);
    assertThat(check.out()).contains("0 of 1").contains("note: ignored unsigned change of odoo-gitops.yaml: "
        + unsigned.substring(0, 12));
    assertThat(unsignedPromote.exitCode()).isEqualTo(2);
    assertThat(unsignedPromote.err()).contains("--signing-key").contains("nothing was pushed");
    assertThat(promote.exitCode()).as(promote.err()).isZero();
    assertThat(history.out()).contains(DIGEST.substring(7, 19));
    tools.git(clone, "pull", "-q").requireSuccess(List.of("git pull"));
    Tools.Run verified = tools.git(clone, "-c", "gpg.ssh.allowedSignersFile=" + trustRoot, "verify-commit", "HEAD");
    assertThat(verified.exit()).as(verified.stderr()).isZero();
    assertThat(verified.stderr()).contains("Good \"git\" signature for release");
  }

  private String pushPolicy(String config, Path key) throws Exception {
    tools.git(clone, "pull", "-q", "--rebase").requireSuccess(List.of("git pull"));
    Files.writeString(clone.resolve("odoo-gitops.yaml"), config);
    tools.git(clone, "add", "odoo-gitops.yaml").requireSuccess(List.of("git add"));
    List<String> commit = new ArrayList<>(key == null ? List.of() : List.of("-c", "gpg.format=ssh", "-c",
        "user.signingkey=" + key));
    commit.addAll(List.of("commit", "-q", "-m", "policy"));
    if (key != null) {
      commit.add("-S");
    }
    tools.git(clone, commit.toArray(String[]::new)).requireSuccess(commit);
    tools.git(clone, "push", "-q", "origin", "HEAD:main").requireSuccess(List.of("git push"));
    return tools.git(clone, "rev-parse", "HEAD").stdout().strip();
  }

  private String[] repo(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--repo", url, "--cache-dir", dir.resolve("cache").toString()));
    return all.toArray(String[]::new);
  }
}
