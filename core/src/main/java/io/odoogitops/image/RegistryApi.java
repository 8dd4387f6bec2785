package io.odoogitops.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The few Docker Registry HTTP API v2 calls that jib does not offer as public API and that tag immutability needs:
 * which digest a tag points to, and pointing a new tag at an existing manifest. Handles anonymous, Basic and Bearer
 * token authentication; uses HTTPS, falling back to plain HTTP only where {@link RegistryAccess} allows it.
 */
final class RegistryApi {

  /** Every manifest kind a tag may point to, so a multi-arch base resolves to its index digest. */
  static final String MANIFEST_TYPES = String.join(",",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json");

  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A manifest exactly as stored: re-putting these bytes under another tag keeps the digest. */
  record RawManifest(String mediaType, byte[] body, String digest) {}

  private final RegistryAccess access;
  private final HttpClient http;
  private final HttpClient blobs;
  private String scheme;
  private final Map<String, String> authorizationByScope = new LinkedHashMap<>();

  RegistryApi(RegistryAccess access) {
    this.access = access;
    this.http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    this.blobs = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** The digest {@code reference} (a tag or digest) points to, or empty when the registry does not have it. */
  Optional<String> digestOf(String repository, String reference) {
    HttpResponse<byte[]> response = send(repository, false, "HEAD", "/manifests/" + reference, null, null);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    expectSuccess(response, "look up " + repository + ":" + reference);
    Optional<String> header = response.headers().firstValue("Docker-Content-Digest");
    if (header.isPresent()) {
      return header;
    }
    // Some registries leave the header out of HEAD answers; the digest of the stored bytes is authoritative.
    return Optional.of(manifest(repository, reference).digest());
  }

  RawManifest manifest(String repository, String reference) {
    HttpResponse<byte[]> response = send(repository, false, "GET", "/manifests/" + reference, null, null);
    if (response.statusCode() == 404) {
      throw ReleaseException.badInput(access.registry() + "/" + repository + ":" + reference
          + " does not exist in the registry");
    }
    expectSuccess(response, "read the manifest of " + repository + ":" + reference);
    String mediaType = response.headers().firstValue("Content-Type").orElseGet(() -> mediaTypeOf(response.body()));
    return new RawManifest(mediaType, response.body(), sha256(response.body()));
  }

  /** Points {@code tag} at {@code manifest} (same bytes, so the same digest). */
  void putManifest(String repository, String tag, RawManifest manifest) {
    HttpResponse<byte[]> response = send(repository, true, "PUT", "/manifests/" + tag, manifest.mediaType(),
        manifest.body());
    expectSuccess(response, "tag " + repository + ":" + tag);
  }

  String registry() {
    return access.registry();
  }

  /**
   * Streams a blob. The pull authorization is the one {@link #manifest} obtained for the repository (call it
   * first); redirects (registries hand blobs to a CDN) are followed by hand so that the registry's credentials are
   * never sent to another host.
   */
  InputStream blob(String repository, String digest) {
    String scope = "repository:" + repository + ":pull";
    String authorization = authorizationByScope.get(scope);
    URI uri = URI.create((scheme == null ? "https" : scheme) + "://" + access.registry() + "/v2/" + repository
        + "/blobs/" + digest);
    String host = uri.getHost();
    try {
      for (int hop = 0; hop < 5; hop++) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET();
        if (authorization != null && host.equals(uri.getHost())) {
          request.header("Authorization", authorization);
        }
        HttpResponse<InputStream> response = blobs.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        Optional<String> location = response.headers().firstValue("Location");
        if (status / 100 == 3 && location.isPresent()) {
          response.body().close();
          uri = uri.resolve(location.get());
          if (!"https".equals(uri.getScheme()) && !access.insecureAllowed()) {
            throw ReleaseException.infrastructure("registry " + access.registry() + " redirected blob " + digest
                + " to a plain HTTP address; refusing", null);
          }
          continue;
        }
        if (status / 100 != 2) {
          response.body().close();
          throw ReleaseException.infrastructure("registry " + access.registry() + " refused to send blob " + digest
              + " of " + repository + " (HTTP " + status + ")", null);
        }
        return response.body();
      }
      throw ReleaseException.infrastructure("registry " + access.registry() + " redirected blob " + digest
          + " more than 5 times", null);
    } catch (IOException e) {
      throw unreachable(e, "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ReleaseException.infrastructure("interrupted while reading blob " + digest + " from "
          + access.registry(), e);
    }
  }

  private HttpResponse<byte[]> send(String repository, boolean push, String method, String path, String contentType,
      byte[] body) {
    String scope = "repository:" + repository + ":" + (push ? "pull,push" : "pull");
    HttpResponse<byte[]> response = attempt(repository, method, path, contentType, body, scope);
    if (response.statusCode() == 401) {
      authorizationByScope.put(scope, authorize(response, scope));
      response = attempt(repository, method, path, contentType, body, scope);
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        throw refusedCredentials(response.statusCode());
      }
    }
    if (response.statusCode() == 403) {
      throw refusedCredentials(403);
    }
    return response;
  }

  private HttpResponse<byte[]> attempt(String repository, String method, String path, String contentType,
      byte[] body, String scope) {
    if (scheme == null) {
      scheme = "https";
      try {
        return exchange(repository, method, path, contentType, body, scope);
      } catch (SSLException | ConnectException e) {
        if (!access.insecureAllowed()) {
          throw unreachable(e, " over HTTPS (plain HTTP is only used for loopback registries or with the insecure"
              + " registry option)");
        }
        scheme = "http";
      } catch (IOException e) {
        throw unreachable(e, "");
      }
    }
    try {
      return exchange(repository, method, path, contentType, body, scope);
    } catch (IOException e) {
      throw unreachable(e, "");
    }
  }

  private HttpResponse<byte[]> exchange(String repository, String method, String path, String contentType,
      byte[] body, String scope) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create(scheme + "://" + access.registry() + "/v2/" + repository + path))
        .timeout(Duration.ofSeconds(60))
        .header("Accept", MANIFEST_TYPES)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    String authorization = authorizationByScope.get(scope);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Answers a 401 challenge: Basic with the credentials, or a Bearer token fetched from the realm it names. */
  private String authorize(HttpResponse<byte[]> challenge, String scope) {
    String header = challenge.headers().firstValue("WWW-Authenticate").orElse("");
    Optional<RegistryCredentials> credentials = access.credentials();
    String basic = credentials.map(c -> "Basic " + Base64.getEncoder().encodeToString(
        (c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8))).orElse(null);
    // Plain HTTP is chosen only where the access allows it; checked again here, next to the secret, so that no
    // change to the scheme choice can ever send credentials unencrypted to a registry nobody vouched for.
    if (credentials.isPresent() && "http".equals(scheme) && !access.insecureAllowed()) {
      throw ReleaseException.badInput("refusing to send credentials for " + access.registry()
          + " over plain HTTP; serve the registry over HTTPS, or pass --insecure-registry if the network is trusted");
    }
    if (header.regionMatches(true, 0, "Basic", 0, 5)) {
      if (basic == null) {
        throw missingCredentials();
      }
      return basic;
    }
    if (!header.regionMatches(true, 0, "Bearer", 0, 6)) {
      throw ReleaseException.infrastructure("registry " + access.registry()
          + " asked for an unsupported authentication scheme", null);
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(header);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null) {
      throw ReleaseException.infrastructure("registry " + access.registry()
          + " sent a Bearer challenge without a realm", null);
    }
    URI realmUri = URI.create(realm);
    if (basic != null && !"https".equals(realmUri.getScheme())
        && !RegistryAccess.isLoopback(realmUri.getHost() == null ? "" : realmUri.getHost())) {
      throw ReleaseException.badInput("registry " + access.registry() + " asks for credentials to be sent to "
          + realmUri.getScheme() + "://" + realmUri.getHost() + " without HTTPS; refusing");
    }
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?')
        .append("scope=").append(URLEncoder.encode(params.getOrDefault("scope", scope), StandardCharsets.UTF_8));
    if (params.containsKey("service")) {
      url.append("&service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8));
    }
    HttpRequest.Builder tokenRequest = HttpRequest.newBuilder(URI.create(url.toString()))
        .timeout(Duration.ofSeconds(30)).GET();
    if (basic != null) {
      tokenRequest.header("Authorization", basic);
    }
    try {
      HttpResponse<byte[]> response = http.send(tokenRequest.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        throw refusedCredentials(response.statusCode());
      }
      expectSuccess(response, "obtain a token");
      JsonNode json = JSON.readTree(response.body());
      String token = json.hasNonNull("token") ? json.get("token").asText() : json.path("access_token").asText();
      return "Bearer " + token;
    } catch (IOException e) {
      throw unreachable(e, " (token service " + realmUri.getHost() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ReleaseException.infrastructure("interrupted while authenticating to " + access.registry(), e);
    }
  }

  private void expectSuccess(HttpResponse<byte[]> response, String action) {
    int status = response.statusCode();
    if (status / 100 != 2) {
      String detail = new String(response.body(), StandardCharsets.UTF_8).strip();
      throw ReleaseException.infrastructure("registry " + access.registry() + " refused to " + action + " (HTTP "
          + status + (detail.isEmpty() ? "" : ": " + abbreviate(detail)) + ")", null);
    }
  }

  private ReleaseException refusedCredentials(int status) {
    return ReleaseException.infrastructure("registry " + access.registry() + " refused "
        + (access.credentials().isPresent() ? "the credentials of user '" + access.credentials().get().username()
            + "'" : "anonymous access") + " (HTTP " + status + "); check the registry user and password", null);
  }

  private ReleaseException missingCredentials() {
    return ReleaseException.infrastructure("registry " + access.registry() + " requires credentials; provide them"
        + " through the environment or a file (see 'odoo-gitops build --help')", null);
  }

  private ReleaseException unreachable(IOException e, String how) {
    String reason = e instanceof HttpTimeoutException ? "timed out" : e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return ReleaseException.infrastructure("cannot reach registry " + access.registry() + how + " (" + reason
        + "); check that it is running and reachable", e);
  }

  private static String mediaTypeOf(byte[] manifest) {
    try {
      return JSON.readTree(manifest).path("mediaType").asText("application/vnd.oci.image.manifest.v1+json");
    } catch (IOException e) {
      return "application/vnd.oci.image.manifest.v1+json";
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
