package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where the GitOps repository lives and how to reach it.
 *
 * @param url clone URL: {@code https://}, {@code ssh://}, {@code git@host:path}, {@code git://} or {@code file://}
 * @param branch the branch environments are promoted on
 * @param credentials how to authenticate
 * @param cacheRoot where persistent cache clones are kept, one per URL and branch
 */
public record GitOpsRemote(String url, String branch, GitCredentials credentials, Path cacheRoot) {

  public GitOpsRemote {
    Objects.requireNonNull(url, "url");
    branch = branch == null || branch.isBlank() ? "main" : branch;
    credentials = credentials == null ? GitCredentials.none() : credentials;
    cacheRoot = cacheRoot == null ? defaultCacheRoot() : cacheRoot;
    refuseEmbeddedSecrets(url);
  }

  public static Path defaultCacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("odoo-gitops").resolve("repos");
  }

  /** The cache directory of this remote: stable across runs, distinct per URL and branch. */
  public Path cacheDirectory() {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest((url + "\n" + branch).getBytes(StandardCharsets.UTF_8));
      String name = url.replaceAll("^.*[/:]", "").replaceAll("\\.git$", "").replaceAll("[^A-Za-z0-9._-]", "_");
      return cacheRoot.resolve((name.isEmpty() ? "repo" : name) + "-" + HexFormat.of().formatHex(hash, 0, 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /** The URL without any password or token, safe for logs. */
  public String displayUrl() {
    return redact(url);
  }

  /** Drops a password or token from user info ({@code https://user:secret@host} → {@code https://user@host}). */
  static String redact(String url) {
    return url.replaceAll("(?<=://)([^/@:]*):[^/@]*@", "$1@");
  }

  private static void refuseEmbeddedSecrets(String url) {
    if (!url.contains("://")) {
      return;
    }
    try {
      String userInfo = new URI(url).getRawUserInfo();
      if (userInfo != null && userInfo.contains(":")) {
        throw ReleaseException.badInput("the repository URL " + redact(url) + " contains a password or token;"
            + " remove it from the URL and pass it via ODOO_GITOPS_GIT_TOKEN or --git-token-file, so it never"
            + " lands in git config, logs or process listings");
      }
    } catch (URISyntaxException e) {
      throw ReleaseException.badInput("the repository URL " + redact(url) + " is not a valid URL: "
          + e.getReason());
    }
  }
}
