package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jgit.transport.URIish;

/**
 * The URL of a GitOps repository, parsed by JGit's {@link URIish} (the parser JGit itself connects with) and
 * checked to carry no secret: no password, no query, no fragment, no user name on {@code http(s)://} (a token is
 * often passed as one), and nothing that parses ambiguously (an {@code @} in the path, an authority on
 * {@code file://}). Every place that prints or stores the URL (messages, the cache's {@code config}, the cache
 * directory's name) uses {@link #toString()}, which is rebuilt from the parsed parts.
 *
 * <p>Refusals never echo the input: a password with an {@code @} or {@code /} in it is split at the wrong place by
 * any parser, so even a "redacted" echo could show part of it.
 */
public final class RemoteUrl {

  private static final Set<String> SCHEMES = Set.of("https", "http", "ssh", "git", "file");
  private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/\\s@]*@");
  private static final Pattern URL_QUERY = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s?#]*)[?#][^\\s]*");

  private final URIish uri;

  private RemoteUrl(URIish uri) {
    this.uri = uri;
  }

  /** Parses and checks {@code raw}; refuses (exit 2) any form that could carry a secret. */
  public static RemoteUrl parse(String raw) {
    if (raw == null || raw.isBlank()) {
      throw ReleaseException.badInput("no GitOps repository given; pass --repo <url> or set ODOO_GITOPS_REPO");
    }
    String text = raw.strip();
    if (text.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      throw refused("contains spaces or control characters");
    }
    URIish parsed;
    try {
      parsed = new URIish(text);
    } catch (URISyntaxException e) {
      throw refused("is not a valid git URL");
    }
    String scheme = parsed.getScheme() == null ? null : parsed.getScheme().toLowerCase(Locale.ROOT);
    String path = parsed.getPath() == null ? "" : parsed.getPath();
    if (parsed.getPass() != null) {
      throw secretRefused("contains a password or token");
    }
    if (text.contains("?") || text.contains("#")) {
      throw secretRefused("has a query or fragment (such as ?access_token=…)");
    }
    if (path.contains("@")) {
      // user:p@ss@host, or a password with '/' or '@' in it: the parser split the user info at the wrong place.
      throw secretRefused("has an '@' where the path should be, which is how a password with '@' or '/' in it"
          + " parses");
    }
    if (scheme != null && !SCHEMES.contains(scheme)) {
      throw refused("uses the unsupported scheme '" + scheme + "'; use https://, ssh://, git@host:path, git:// or"
          + " file://");
    }
    if (scheme == null && parsed.getHost() == null) {
      return new RemoteUrl(parsed); // a local path
    }
    if ("file".equals(scheme)) {
      if (!text.regionMatches(true, 0, "file:///", 0, 8)) {
        throw secretRefused("has a host or user part after file://; a local repository is file:///path");
      }
      return new RemoteUrl(parsed);
    }
    if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
      throw refused("has no host");
    }
    String user = parsed.getUser();
    if (user != null) {
      if ("http".equals(scheme) || "https".equals(scheme) || "git".equals(scheme)) {
        throw secretRefused("has a user part (a token is often passed as the user name)");
      }
      if (user.contains(":") || user.isEmpty()) {
        throw secretRefused("has a malformed user part");
      }
    }
    return new RemoteUrl(parsed);
  }

  /** A safe description of {@code raw} for places that must not fail (toString of configuration objects). */
  public static String describe(String raw) {
    try {
      return parse(raw).toString();
    } catch (ReleaseException e) {
      return "(a repository URL that odoo-gitops refuses)";
    }
  }

  /**
   * Removes user info and queries from every URL inside {@code text}: the second line of defence for messages that
   * echo what a server said (a redirect target, say).
   */
  public static String redactText(String text) {
    if (text == null) {
      return null;
    }
    return URL_QUERY.matcher(URL_USER_INFO.matcher(text).replaceAll("")).replaceAll("$1");
  }

  private static ReleaseException secretRefused(String what) {
    return ReleaseException.badInput("the repository URL (--repo / ODOO_GITOPS_REPO) " + what + "; it is not"
        + " shown here. Remove credentials from the URL and pass the token via ODOO_GITOPS_GIT_TOKEN or"
        + " --git-token-file (user: --git-user), so it never lands in git config, logs or process listings");
  }

  private static ReleaseException refused(String what) {
    return ReleaseException.badInput("the repository URL (--repo / ODOO_GITOPS_REPO) " + what + "; it is not"
        + " shown here in case it holds a secret. Use https://host/path, ssh://user@host/path, user@host:path,"
        + " git://host/path or file:///path");
  }

  /** The scheme in lower case, or null for {@code user@host:path} and local paths. */
  public String scheme() {
    return uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
  }

  public String host() {
    return uri.getHost();
  }

  /** The port, or the scheme's default ({@code -1} when there is none). */
  public int port() {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    String s = scheme();
    return "https".equals(s) ? 443 : "http".equals(s) ? 80 : "ssh".equals(s) || s == null && host() != null ? 22
        : "git".equals(s) ? 9418 : -1;
  }

  public boolean isHttp() {
    return "http".equals(scheme()) || "https".equals(scheme());
  }

  /** Whether the host is this machine: {@code localhost} or a loopback address, never resolved through DNS. */
  public boolean isLoopback() {
    String h = host();
    if (h == null) {
      return false;
    }
    h = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      return false; // a name: resolving it could ask a DNS server an attacker controls
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Whether {@code other} is the same origin (scheme, host, port) as this URL. */
  public boolean sameOrigin(URIish other) {
    if (other == null || other.getHost() == null || host() == null) {
      return false;
    }
    RemoteUrl o = new RemoteUrl(other);
    return java.util.Objects.equals(scheme(), o.scheme()) && host().equalsIgnoreCase(o.host()) && port() == o.port();
  }

  /** The parsed form, for JGit. */
  URIish uri() {
    return uri;
  }

  /** The URL rebuilt from its parsed parts: it holds nothing the checks above refused. */
  @Override
  public String toString() {
    URIish safe = new URIish().setScheme(uri.getScheme()).setUser(uri.getUser()).setHost(uri.getHost())
        .setPort(uri.getPort()).setPath(uri.getPath());
    return safe.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RemoteUrl other && toString().equals(other.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
