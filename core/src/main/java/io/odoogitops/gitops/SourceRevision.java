package io.odoogitops.gitops;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The author of the source revision an image was built from, read from the module repository itself rather than
 * from a flag: the four-eyes rule bars every identity the commit names. Read-only; nothing is fetched.
 */
public final class SourceRevision {

  private SourceRevision() {}

  /**
   * The author's identities at {@code revision} in the git repository at or above {@code directory}: name, e-mail and
   * the e-mail's local part (so {@code carol@example.com} also bars the user id {@code carol}). Empty if there is no
   * repository there or it does not hold the revision.
   */
  public static Optional<Set<String>> authorIdentities(Path directory, String revision) {
    if (directory == null || revision == null || !revision.matches("[0-9a-fA-F]{7,64}")) {
      return Optional.empty();
    }
    FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(directory.toFile());
    if (builder.getGitDir() == null) {
      return Optional.empty();
    }
    try (Repository repository = builder.setMustExist(true).build(); RevWalk walk = new RevWalk(repository)) {
      ObjectId id = repository.resolve(revision + "^{commit}");
      if (id == null) {
        return Optional.empty();
      }
      RevCommit commit = walk.parseCommit(id);
      PersonIdent author = commit.getAuthorIdent();
      Set<String> identities = new LinkedHashSet<>();
      identities.add(author.getName());
      String email = author.getEmailAddress();
      if (email != null && !email.isBlank()) {
        identities.add(email);
        int at = email.indexOf('@');
        if (at > 0) {
          identities.add(email.substring(0, at).toLowerCase(Locale.ROOT));
        }
      }
      identities.removeIf(String::isBlank);
      return Optional.of(identities);
    } catch (IOException | RuntimeException e) {
      // An unreadable repository is no fact: the caller falls back to the claimed author, and says so.
      return Optional.empty();
    }
  }
}
