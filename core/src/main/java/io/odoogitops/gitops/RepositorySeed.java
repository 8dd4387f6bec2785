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

  /** Creates {@code dir} as a bare repository whose {@code branch} holds {@code files} (path → UTF-8 text). */
  public static String create(Path dir, String branch, Map<String, String> files, String message) {
    if (Files.exists(dir.resolve("HEAD")) || Files.exists(dir.resolve("objects"))) {
      throw ReleaseException.badInput(dir + " already holds a git repository; choose an empty directory");
    }
    try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        ObjectInserter inserter = repo.newObjectInserter()) {
      repo.create(true);
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
        DirCacheEntry entry = new DirCacheEntry(file.getKey());
        entry.setFileMode(FileMode.REGULAR_FILE);
        entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
        builder.add(entry);
      }
      builder.finish();
      PersonIdent who = new PersonIdent("odoo-gitops", "odoo-gitops@localhost");
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
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
