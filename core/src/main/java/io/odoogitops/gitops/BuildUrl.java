package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The CI build URL recorded in the {@code Build-Url} trailer. CI systems hand it over from the environment
 * ({@code BUILD_URL}), and a Jenkins configured with a user-info root URL, or a link with an access token, would
 * otherwise copy a credential into a commit anyone with read access keeps forever. Only scheme, host, port and path
 * are kept.
 */
final class BuildUrl {

  private BuildUrl() {}

  /** {@code raw} without user info, query or fragment; null when blank; refused (exit 2) when it is no http(s) URL. */
  static String withoutCredentials(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(raw.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
        throw refused();
      }
      return new URI(scheme, null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toASCIIString();
    } catch (URISyntaxException e) {
      throw refused();
    }
  }

  private static ReleaseException refused() {
    return ReleaseException.badInput("the build URL (--build-url / BUILD_URL) is not an http(s) URL with a host;"
        + " it is not shown here in case it holds a secret. Pass the build's page, e.g. https://ci.example.com/job/x/42/");
  }
}
