package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.policy.VoteKeys;
import io.odoogitops.signing.SshKeygen;
import io.odoogitops.testing.GitDaemon;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code approve --push} against a real git daemon, votes read back by {@code gate check} and {@code promote}; forged
 * and ineligible votes refused or not counted, and nothing of them lands.
 */
class VoteCommandIT {

  static final String IMAGE = "registry.example.com/acme/odoo";
  static final String DIGEST = "sha256:" + "4".repeat(64);
  static final String OLD = "sha256:" + "1".repeat(64);

  @TempDir Path dir;
  GitDaemon daemon;
  String url;
  VoteKeys keys;

  @BeforeEach
  void start() throws Exception {
    keys = VoteKeys.generate(dir, "carol", "dave", "erin", "mallory");
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", """
        applications:
          odoo: { image: %s }
        groups:
          release-managers: [carol, dave, erin]
        allowedSigners: security/allowed_signers
        environments:
          staging: { path: envs/staging, layout: kustomize }
          production:
            path: envs/production
            layout: kustomize
            promoteFrom: staging
            gate: { approvals: 2, approvers: [group:release-managers] }
        """.formatted(IMAGE));
    files.put("security/allowed_signers", keys.allowedSigners("carol", "dave", "erin", "mallory"));
    files.put("envs/staging/kustomization.yaml", "images:\n  - name: " + IMAGE + "\n    digest: " + DIGEST + "\n");
    files.put("envs/production/kustomization.yaml", "images:\n  - name: " + IMAGE + "\n    digest: " + OLD + "\n");
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", files, "initial");
    daemon = GitDaemon.start(served);
    url = daemon.url("gitops.git");
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  private String[] repo(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--repo", url, "--cache-dir", dir.resolve("cache").toString()));
    return all.toArray(String[]::new);
  }

  private String[] vote(String command, String key, String... extra) {
    List<String> all = new ArrayList<>(List.of(command, "--env", "production", "--app", "odoo", "--digest", DIGEST,
        "--key", keys.key(key).toString()));
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }

  private CliRun gateCheck(String... extra) {
    List<String> all = new ArrayList<>(List.of("gate", "check", "--env", "production", "--app", "odoo",
        "--digest", DIGEST));
    if (!List.of(extra).contains("--initiator")) {
      all.addAll(List.of("--initiator", "carol"));
    }
    all.addAll(List.of(extra));
    return CliRun.of(repo(all.toArray(String[]::new)));
  }

  @Test
  void votesPushedByApproveAreCountedByGateCheckAndPromote() throws Exception {
    CliRun dave = CliRun.of(repo(vote("approve", "dave", "--push")));
    assertThat(dave.exitCode()).as(dave.err()).isZero();
    assertThat(dave.out()).contains("dave approves odoo@" + DIGEST + " for production, signed with SHA256:",
        "recorded as votes/production/odoo/" + DIGEST.substring(7) + "/dave-");

    CliRun oneVote = gateCheck();
    assertThat(oneVote.exitCode()).isEqualTo(1);
    assertThat(oneVote.out()).contains("1 of 2 required approval(s)");

    CliRun erin = CliRun.of(repo(vote("approve", "erin", "--voter", "erin", "--push", "-o", "json")));
    assertThat(erin.exitCode()).as(erin.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(erin.out());
    assertThat(json.get("outcome").asText()).isEqualTo("recorded");
    assertThat(json.get("path").asText()).startsWith("votes/production/odoo/");

    CliRun allowed = gateCheck();
    assertThat(allowed.exitCode()).as(allowed.out()).isZero();
    assertThat(allowed.out()).contains("Approved-By: dave", "Approved-By: erin", "Approval-Key: dave SHA256:")
        .doesNotContain("votes are unverified").contains("note: no trust root");

    CliRun promote = CliRun.of(repo("promote", "--env", "production", "--app", "odoo", "--image",
        IMAGE + "@" + DIGEST, "--initiator", "ci-bot"));
    assertThat(promote.exitCode()).as(promote.err()).isZero();
    RevCommit head = head();
    assertThat(head.getFooterLines("Approved-By")).containsExactlyInAnyOrder("dave", "erin");
    assertThat(head.getFooterLines("Initiated-By-Claim")).containsExactly("ci-bot");
    for (CliRun run : List.of(dave, erin, allowed, promote)) {
      assertThat(run.out() + run.err()).doesNotContain("PRIVATE KEY").doesNotContain(privateKeyBody("dave"));
    }
  }

  @Test
  void forgedAndIneligibleVotesAreRefusedAndNothingLands() throws Exception {
    ObjectId before = remoteHead();

    CliRun mallory = CliRun.of(repo(vote("approve", "mallory", "--push")));
    CliRun impostor = CliRun.of(repo(vote("approve", "mallory", "--voter", "dave", "--push")));

    assertThat(mallory.exitCode()).isEqualTo(1);
    assertThat(mallory.err()).contains("would not count", "mallory is not among the approvers",
        "nothing was pushed");
    assertThat(impostor.exitCode()).isEqualTo(1);
    assertThat(impostor.err()).contains("key of another voter", "belongs to mallory, not to dave");
    assertThat(remoteHead()).isEqualTo(before);

    // Votes as files: carol initiated (four-eyes), a copy of dave's vote edited to another digest, an unsigned one.
    Path carol = dir.resolve("carol.vote");
    assertThat(CliRun.of(vote("approve", "carol", "--voter", "carol", "--out", carol.toString())).exitCode())
        .isZero();
    Path daveFile = dir.resolve("dave.vote");
    assertThat(CliRun.of(vote("approve", "dave", "--voter", "dave", "--out", daveFile.toString())).exitCode())
        .isZero();
    Path forged = Files.writeString(dir.resolve("forged.vote"), Files.readString(daveFile)
        .replace("voter: dave", "voter: erin"));
    Path unsigned = Files.writeString(dir.resolve("unsigned.vote"), Files.readString(daveFile)
        .replaceAll("(?s)-----BEGIN SSH SIGNATURE-----.*", ""));
    Path claims = Files.writeString(dir.resolve("claims.yaml"), "- { voter: erin, environment: production,"
        + " application: odoo, digest: " + DIGEST + ", at: 2026-11-18T10:00:00Z, vote: APPROVE }\n");

    CliRun check = gateCheck("--approvals", carol.toString(), "--approvals", forged.toString(), "--approvals",
        unsigned.toString(), "--approvals", claims.toString());

    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.out()).contains("0 of 2 required approval(s)", "carol: initiated or authored this change",
        "forged.vote): bad signature", "unsigned.vote: unsigned", "erin: unsigned vote; allowedSigners is configured");
    assertThat(remoteHead()).isEqualTo(before);
  }

  @Test
  void aVoteFileVerifiesWithSshKeygenAsDocumented() throws Exception {
    Path file = dir.resolve("erin.vote");
    assertThat(CliRun.of(vote("reject", "erin", "--voter", "erin", "--scope", "freeze-override",
        "--promotion-id", "release-42", "--out", file.toString())).exitCode()).isZero();
    String text = Files.readString(file);
    int split = text.indexOf("-----BEGIN SSH SIGNATURE-----");
    Path allowed = Files.writeString(dir.resolve("allowed_signers"), keys.allowedSigners("erin"));

    SshKeygen.Run verified = SshKeygen.verify(allowed, "erin", "odoo-gitops", text.substring(split),
        text.substring(0, split).getBytes(StandardCharsets.UTF_8), dir);

    assertThat(verified.exit()).as(verified.stderr()).isZero();
    assertThat(text).startsWith("odoo-gitops vote v1\nenvironment: production\napplication: odoo\ndigest: "
        + DIGEST + "\nvote: reject\nscope: freeze-override\npromotion: release-42\nvoter: erin\ntime: ");
  }

  @Test
  void theSourceAuthorComesFromTheModuleRepositoryNotFromAFlag() throws Exception {
    Path module = Files.createDirectories(dir.resolve("module"));
    String revision;
    try (Git git = Git.init().setDirectory(module.toFile()).setInitialBranch("main").call()) {
      Files.writeString(module.resolve("README"), "acme\n");
      git.add().addFilepattern(".").call();
      revision = git.commit().setMessage("acme").setSign(false)
          .setAuthor(new org.eclipse.jgit.lib.PersonIdent("Dave", "dave@example.com")).call().name();
    }
    // carol signs through ssh-keygen itself, the way hardware keys do
    CliRun carol = CliRun.of(repo(vote("approve", "carol", "--voter", "carol", "--sign-with", "ssh-keygen",
        "--push")));
    assertThat(carol.exitCode()).as(carol.err()).isZero();
    assertThat(CliRun.of(repo(vote("approve", "dave", "--push"))).exitCode()).isZero();

    CliRun claimedOnly = gateCheck("--initiator", "ci-bot", "--source-author", "nobody");
    CliRun fromRepository = gateCheck("--initiator", "ci-bot", "--source-author", "nobody", "--source-revision",
        revision, "--source-repo", module.toString());

    assertThat(claimedOnly.exitCode()).as(claimedOnly.out()).isZero();
    assertThat(fromRepository.exitCode()).isEqualTo(1);
    assertThat(fromRepository.out()).contains("1 of 2", "dave: initiated or authored this change");
  }

  @Test
  void aLocalConfigurationReadsItsSignersFileBesideItAndVotesFromADirectory() throws Exception {
    Path local = Files.createDirectories(dir.resolve("local"));
    Files.writeString(local.resolve("odoo-gitops.yaml"), """
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        groups:
          release-managers: [carol, dave, erin]
        allowedSigners: security/allowed_signers
        environments:
          production:
            path: envs/production
            layout: kustomize
            gate: { approvals: 2, approvers: [group:release-managers] }
        """);
    Files.createDirectories(local.resolve("security"));
    Files.writeString(local.resolve("security/allowed_signers"), keys.allowedSigners("dave", "erin"));
    Path votes = Files.createDirectories(dir.resolve("votes-dir/nested"));
    for (String voter : List.of("dave", "erin")) {
      assertThat(CliRun.of(vote("approve", voter, "--voter", voter, "--out",
          votes.resolve(voter + ".vote").toString())).exitCode()).isZero();
    }

    CliRun check = CliRun.of("gate", "check", "--config", local.resolve("odoo-gitops.yaml").toString(), "--env",
        "production", "--app", "odoo", "--digest", DIGEST, "--initiator", "carol", "--approvals",
        dir.resolve("votes-dir").toString(), "-o", "json");

    assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
    JsonNode decision = new ObjectMapper().readTree(check.out());
    assertThat(decision.get("allowed").asBoolean()).isTrue();
    // the votes are verified; only the local policy file makes the decision advisory
    assertThat(decision.get("notices")).singleElement().asString().contains("the policy was read from a local file");
  }

  private String privateKeyBody(String name) throws Exception {
    List<String> lines = Files.readAllLines(keys.key(name));
    return lines.get(2);
  }

  private ObjectId remoteHead() throws Exception {
    try (Git git = Git.open(dir.resolve("served/gitops.git").toFile())) {
      return git.getRepository().resolve("refs/heads/main");
    }
  }

  private RevCommit head() throws Exception {
    try (Git git = Git.open(dir.resolve("served/gitops.git").toFile())) {
      return git.log().setMaxCount(1).call().iterator().next();
    }
  }
}
