package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Creates a new bare GitOps repository with an initial commit, for the demo, for tests and for teams bootstrapping
 * their first GitOps repository. Refuses to touch an existing repository.
 */
public final class RepositorySeed {

  private RepositorySeed() {}

  /**
   * One commit of a new repository: the files it adds or replaces (path → UTF-8 text), its message, and the key that
   * signs it ({@code null}: unsigned), e.g. a policy admin's for the policy file so that a trust root puts it in force.
   */
  public record Commit(Map<String, String> files, String message, io.odoogitops.trust.CommitSigner signer) {
    public Commit {
      files = Map.copyOf(files);
    }
  }

  /** Creates {@code dir} as a bare repository whose {@code branch} holds {@code files} (path → UTF-8 text). */
  public static String create(Path dir, String branch, Map<String, String> files, String message) {
    return create(dir, branch, java.util.List.of(new Commit(files, message, null)), java.time.Instant.now());
  }

  /**
   * Creates {@code dir} as a bare repository whose {@code branch} holds {@code commits}, oldest first, each on top of
   * the files of the ones before, all dated {@code at}; returns the id of the last.
   */
  public static String create(Path dir, String branch, java.util.List<Commit> commits, java.time.Instant at) {
    if (Files.exists(dir.resolve("HEAD")) || Files.exists(dir.resolve("objects"))) {
      throw ReleaseException.badInput(dir + " already holds a git repository; choose an empty directory");
    }
    try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        ObjectInserter inserter = repo.newObjectInserter()) {
      repo.create(true);
      Map<String, String> tree = new TreeMap<>();
      ObjectId id = null;
      PersonIdent who = new PersonIdent(new PersonIdent("odoo-gitops", "odoo-gitops@localhost"), at,
          java.time.ZoneOffset.UTC);
      for (Commit next : commits) {
        tree.putAll(next.files());
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        for (Map.Entry<String, String> file : tree.entrySet()) {
          DirCacheEntry entry = new DirCacheEntry(file.getKey());
          entry.setFileMode(FileMode.REGULAR_FILE);
          entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
          builder.add(entry);
        }
        builder.finish();
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(index.writeTree(inserter));
        if (id != null) {
          commit.setParentId(id);
        }
        commit.setAuthor(who);
        commit.setCommitter(who);
        commit.setMessage(next.message());
        if (next.signer() != null) {
          next.signer().sign(commit, who.getWhenAsInstant());
        }
        id = inserter.insert(commit);
      }
      if (id == null) {
        throw new IllegalArgumentException("a repository seed needs at least one commit");
      }
      inserter.flush();
      RefUpdate head = repo.updateRef(Constants.R_HEADS + branch);
      head.setNewObjectId(id);
      head.update();
      repo.updateRef(Constants.HEAD).link(Constants.R_HEADS + branch);
      return id.name();
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot create the repository at " + dir + ": " + e.getMessage(), e);
    }
  }
}
