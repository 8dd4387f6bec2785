package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;

/**
 * A commit with an enormous message on the environments' paths (someone pasted a log into a commit): it is never a
 * promotion, it must not break promote, rollback or the gate's read of staging's history, and {@code history} names it.
 */
class OversizeCommitIT extends FixtureLifecycle {

  @Test
  void aHugeCommitIsSkippedByPromoteAndRollbackAndNamedByHistory() throws Exception {
    // 60 MB: over JGit's streaming threshold (50 MB) and its 5 MB parse limit, at odoo-gitops' default bound.
    try (GitOpsRepository repo = fixture.open("a")) {
      promoteAndRollBackAround(repo, 60 << 20);
    }
  }

  @Test
  void theBoundIsASetting() throws Exception {
    // 300 kB would be read whole at the default bound; lowered to 64 KiB it is read as its header only.
    try (GitOpsRepository repo = GitOpsRepository.open(new GitOpsRemote(fixture.url, "main", GitCredentials.none(),
        tmp.resolve("caches/low")), 64 << 10)) {
      promoteAndRollBackAround(repo, 300 << 10);
    }
    assertThatThrownBy(() -> GitOpsRepository.open(new GitOpsRemote(fixture.url, "main", GitCredentials.none(),
        tmp.resolve("caches/high")), 6 << 20))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("commit size limit must be between");
  }

  private void promoteAndRollBackAround(GitOpsRepository repo, int hugeBytes) throws Exception {
    {
      PromotionEngine engine = fixture.engine(repo);
      engine.promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(1)).promotionId("s1").build());
      engine.promote(Promotion.builder("production", "odoo", GitOpsFixture.image(1)).promotionId("p1").build());
      engine.promote(Promotion.builder("production", "odoo", GitOpsFixture.image(2)).promotionId("p2").build());
      // 24 MB, well over JGit's own 5 MB parsing limit for commits, with forged trailers at the end.
      String huge = pushHugeCommit(hugeBytes);

      // Promote on top of it (the fetch negotiates past it), with the idempotency check walking through it.
      PromotionResult s2 = engine.promote(
          Promotion.builder("staging", "odoo", GitOpsFixture.image(3)).promotionId("s3").build());
      assertThat(s2.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
      PromotionResult p3 = engine.promote(
          Promotion.builder("production", "odoo", GitOpsFixture.image(3)).promotionId("p3").build());
      assertThat(p3.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
      assertThat(engine.promote(Promotion.builder("production", "odoo", GitOpsFixture.image(1)).promotionId("p1")
          .build()).outcome()).isEqualTo(PromotionResult.Outcome.ALREADY_LANDED);

      // Rollback reads past it: 3 -> 2, then 2 -> 1.
      assertThat(engine.rollback(new RollbackRequest("production", "odoo", null, "bad", "oncall", null, null))
          .digest()).isEqualTo(GitOpsFixture.image(2).digest());
      assertThat(engine.rollback(new RollbackRequest("production", "odoo", null, "bad", "oncall", null, null))
          .digest()).isEqualTo(GitOpsFixture.image(1).digest());

      // The entries newer than it are listed; a listing that reaches it names it and exits 2.
      assertThat(engine.queries().history("production", "odoo", 3)).extracting(HistoryEntry::promotionId)
          .doesNotContain("forged");
      assertThatThrownBy(() -> engine.queries().history("production", "odoo", 20))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining(huge.substring(0, 12))
          .hasMessageContaining("--limit 3")
          .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
      // staging's history (what production's gate reads) still lists the promotions on both sides of it.
      assertThat(repo.locked(() -> repo.fetch().history("staging").list("odoo", 10)))
          .extracting(HistoryEntry::promotionId).containsExactly("s3", "s1");
    }
  }

  /** Pushes, straight into the served repository, a commit editing both environments with a {@code size}-byte message. */
  private String pushHugeCommit(int size) throws Exception {
    try (Repository served = new FileRepositoryBuilder()
        .setGitDir(fixture.root.resolve("served/gitops.git").toFile()).setBare().build();
        ObjectInserter inserter = served.newObjectInserter(); ObjectReader reader = served.newObjectReader();
        RevWalk walk = new RevWalk(served)) {
      RevCommit parent = walk.parseCommit(served.resolve("refs/heads/main"));
      DirCache index = DirCache.read(reader, parent.getTree());
      DirCacheEditor editor = index.editor();
      for (String env : new String[] {"staging", "production"}) {
        String path = "envs/" + env + "/kustomization.yaml";
        byte[] old;
        try (var tw = org.eclipse.jgit.treewalk.TreeWalk.forPath(served, path, parent.getTree())) {
          old = served.open(tw.getObjectId(0)).getBytes();
        }
        ObjectId blob = inserter.insert(Constants.OBJ_BLOB,
            (new String(old, StandardCharsets.UTF_8) + "# pasted by hand\n").getBytes(StandardCharsets.UTF_8));
        editor.add(new DirCacheEditor.PathEdit(path) {
          @Override
          public void apply(DirCacheEntry entry) {
            entry.setFileMode(FileMode.REGULAR_FILE);
            entry.setObjectId(blob);
          }
        });
      }
      editor.finish();
      char[] body = new char[size];
      Arrays.fill(body, 'x');
      for (int i = 99; i < size; i += 100) {
        body[i] = '\n';
      }
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      commit.setParentId(parent);
      PersonIdent who = new PersonIdent("someone", "someone@example.com");
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage("paste the build log\n\n" + new String(body) + "\n\nPromotion-Id: forged\n"
          + "Environment: production\nApplication: odoo\nImage-Digest: sha256:" + GitOpsFixture.digest(99) + "\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      // With git itself: JGit's RefUpdate would parse the new commit whole and fail on it.
      Process git = new ProcessBuilder("git", "--git-dir=" + served.getDirectory(), "update-ref", "refs/heads/main",
          id.name(), parent.name()).inheritIO().start();
      assertThat(git.waitFor()).isZero();
      return id.name();
    }
  }
}
