package io.odoogitops.gitops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where the GitOps repository lives and how to reach it.
 *
 * @param url clone URL, checked to hold no secret ({@link RemoteUrl})
 * @param branch the branch environments are promoted on
 * @param credentials how to authenticate
 * @param cacheRoot where persistent cache clones are kept, one per URL and branch
 */
public record GitOpsRemote(RemoteUrl url, String branch, GitCredentials credentials, Path cacheRoot) {

  public GitOpsRemote {
    Objects.requireNonNull(url, "url");
    branch = branch == null || branch.isBlank() ? "main" : branch;
    credentials = credentials == null ? GitCredentials.none() : credentials;
    cacheRoot = cacheRoot == null ? defaultCacheRoot() : cacheRoot;
  }

  /** Parses {@code url} first: a URL that could carry a secret is refused (exit 2) before anything is written. */
  public GitOpsRemote(String url, String branch, GitCredentials credentials, Path cacheRoot) {
    this(RemoteUrl.parse(url), branch, credentials, cacheRoot);
  }

  public static Path defaultCacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("odoo-gitops").resolve("repos");
  }

  /** The cache directory of this remote: stable across runs, distinct per URL and branch, named from the safe URL. */
  public Path cacheDirectory() {
    String safe = url.toString();
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest((safe + "\n" + branch).getBytes(StandardCharsets.UTF_8));
      String name = safe.replaceAll("^.*[/:]", "").replaceAll("\\.git$", "").replaceAll("[^A-Za-z0-9._-]", "_");
      return cacheRoot.resolve((name.isEmpty() ? "repo" : name) + "-" + HexFormat.of().formatHex(hash, 0, 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /** The URL as printed everywhere: rebuilt from its parsed parts. */
  public String displayUrl() {
    return url.toString();
  }
}
