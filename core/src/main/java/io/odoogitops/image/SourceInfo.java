package io.odoogitops.image;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Provenance read from the git checkout the addons come from: the commit id and the {@code origin} URL. User info
 * is stripped from the URL, because a CI checkout URL often embeds a token and labels are public.
 */
record SourceInfo(Optional<String> revision, Optional<String> url) {

  static SourceInfo of(Path dir) {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toAbsolutePath().toFile());
    if (builder.getGitDir() == null) {
      return new SourceInfo(Optional.empty(), Optional.empty());
    }
    try (Repository repository = builder.build()) {
      ObjectId head = repository.resolve("HEAD");
      String origin = repository.getConfig().getString("remote", "origin", "url");
      return new SourceInfo(Optional.ofNullable(head).map(ObjectId::name),
          Optional.ofNullable(origin).map(SourceInfo::withoutUserInfo));
    } catch (IOException e) {
      return new SourceInfo(Optional.empty(), Optional.empty());
    }
  }

  static String withoutUserInfo(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getUserInfo() == null || uri.getScheme() == null) {
        return url;
      }
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
          uri.getFragment()).toString();
    } catch (URISyntaxException e) {
      return url; // scp-like git@host:path: the user is not a secret
    }
  }
}
