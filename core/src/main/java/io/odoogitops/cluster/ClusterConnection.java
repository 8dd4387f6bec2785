package io.odoogitops.cluster;

import io.odoogitops.InputFiles;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import io.odoogitops.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to reach the Kubernetes API server. Four ways, chosen by what is set:
 * <ul>
 *   <li>{@link #kubeconfig(Path, String)}: a kubeconfig file and optionally one of its contexts;</li>
 *   <li>{@link #inCluster()}: the pod's service account (its token re-read on every request: kubelet rotates it);
 *   </li>
 *   <li>{@link #token(String, String, Path)}: an API server URL, a bearer token and the CA that signed the server;</li>
 *   <li>{@link #standard()}: fabric8's usual discovery (KUBECONFIG, ~/.kube/config, then in-cluster).</li>
 * </ul>
 * The token is a secret: {@link #toString()} never shows it and no error message built here contains it.
 */
public final class ClusterConnection {

  static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  /** How long one request may take; generous for slow clusters, short enough to fail a dead one quickly. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /**
   * fabric8 retries failed requests with exponential back-off, ten times by default: minutes before an unreachable
   * API server is reported. Our polling loop already retries, so one retry is enough here.
   */
  private static final int REQUEST_RETRIES = 1;

  private enum Mode { STANDARD, KUBECONFIG, IN_CLUSTER, TOKEN }

  private final Mode mode;
  private final Path file;
  private final String context;
  private final String server;
  private final String token;
  private final Map<String, String> environment;

  private ClusterConnection(Mode mode, Path file, String context, String server, String token,
      Map<String, String> environment) {
    this.mode = mode;
    this.file = file;
    this.context = context;
    this.server = server;
    this.token = token;
    this.environment = environment;
  }

  private ClusterConnection(Mode mode, Path file, String context, String server, String token) {
    this(mode, file, context, server, token, Map.of());
  }

  public static ClusterConnection standard() {
    return new ClusterConnection(Mode.STANDARD, null, null, null, null);
  }

  /** @param context the kubeconfig context to use; {@code null} for its current context */
  public static ClusterConnection kubeconfig(Path kubeconfig, String context) {
    if (kubeconfig == null) {
      throw ReleaseException.badInput("no kubeconfig file given");
    }
    return new ClusterConnection(Mode.KUBECONFIG, kubeconfig, context, null, null);
  }

  public static ClusterConnection inCluster() {
    return inCluster(SERVICE_ACCOUNT, System.getenv());
  }

  /** The service account mounted at {@code serviceAccount}, the API server named by {@code environment}. */
  static ClusterConnection inCluster(Path serviceAccount, Map<String, String> environment) {
    return new ClusterConnection(Mode.IN_CLUSTER, serviceAccount, null, null, null, Map.copyOf(environment));
  }

  /**
   * @param server the API server URL, e.g. {@code https://k8s.example.com:6443}
   * @param token a bearer token (read from a file or an environment variable by the caller, never from argv)
   * @param caCertificate PEM file of the CA that signed the API server certificate; {@code null} trusts the JVM's CAs
   */
  public static ClusterConnection token(String server, String token, Path caCertificate) {
    if (server == null || !(server.startsWith("https://") || server.startsWith("http://"))) {
      throw ReleaseException.badInput("API server URL '" + server + "' must start with https://");
    }
    if (token == null || token.isBlank()) {
      throw ReleaseException.badInput("no token given for the API server " + server
          + "; pass it through a file or an environment variable");
    }
    return new ClusterConnection(Mode.TOKEN, caCertificate, null, server, token.strip());
  }

  /** Opens a client; the caller closes it. Configuration problems become BAD_INPUT, never a stack trace. */
  public KubernetesClient open() {
    Config config = switch (mode) {
      case STANDARD -> discovered();
      case KUBECONFIG -> fromKubeconfig();
      case IN_CLUSTER -> fromServiceAccount();
      case TOKEN -> fromToken();
    };
    config.setRequestTimeout((int) REQUEST_TIMEOUT.toMillis());
    config.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
    config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * fabric8's discovery falls back to https://kubernetes.default.svc when it finds nothing, which fails later as an
   * unknown host; saying that no connection is configured is more helpful.
   */
  private static Config discovered() {
    boolean configured = System.getenv("KUBECONFIG") != null
        || System.getProperty("kubernetes.master") != null || System.getenv("KUBERNETES_MASTER") != null
        || System.getenv("KUBERNETES_SERVICE_HOST") != null
        || Files.isRegularFile(Path.of(System.getProperty("user.home"), ".kube", "config"));
    if (!configured) {
      throw ReleaseException.badInput("no cluster connection configured: no KUBECONFIG, no ~/.kube/config and not "
          + "running in a pod; pass --kubeconfig, --in-cluster or --server with a token");
    }
    return Config.autoConfigure(null);
  }

  private Config fromKubeconfig() {
    String kubeconfig = InputFiles.readUtf8(file, "kubeconfig", InputFiles.DOCUMENT_LIMIT);
    try {
      // (context, contents, path) exists in fabric8 6.10 too, which is what Jenkins' kubernetes-client-api ships.
      Config config = Config.fromKubeconfig(context, kubeconfig, file.toString());
      if (context != null && (config.getCurrentContext() == null
          || !context.equals(config.getCurrentContext().getName()))) {
        throw ReleaseException.badInput("kubeconfig " + file + " has no context '" + context + "'");
      }
      return config;
    } catch (KubernetesClientException | IllegalArgumentException e) {
      // fabric8 reports a bad context or YAML here; its message names the problem but never the credentials.
      throw ReleaseException.badInput("cannot use kubeconfig " + file
          + (context == null ? "" : " (context " + context + ")") + ": " + e.getMessage());
    }
  }

  private Config fromServiceAccount() {
    String host = environment.get("KUBERNETES_SERVICE_HOST");
    String port = environment.get("KUBERNETES_SERVICE_PORT");
    Path tokenFile = file.resolve("token");
    if (host == null || !Files.isReadable(tokenFile)) {
      throw ReleaseException.badInput("not running inside a Kubernetes pod with a service account (no "
          + "KUBERNETES_SERVICE_HOST or no " + tokenFile + "); use a kubeconfig or a token instead");
    }
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    ConfigBuilder builder = new ConfigBuilder(Config.empty())
        .withMasterUrl("https://" + hostPart + ":" + (port == null ? "443" : port))
        .withCaCertFile(file.resolve("ca.crt").toString())
        .withOauthTokenProvider(new ServiceAccountToken(tokenFile));
    Path namespace = file.resolve("namespace");
    if (Files.isReadable(namespace)) {
      builder.withNamespace(read(namespace).strip());
    }
    return builder.build();
  }

  private Config fromToken() {
    ConfigBuilder builder = new ConfigBuilder(Config.empty())
        .withMasterUrl(server)
        .withOauthToken(token);
    if (file != null) {
      if (!Files.isReadable(file)) {
        throw ReleaseException.badInput("CA certificate " + file + " does not exist or is not readable");
      }
      builder.withCaCertFile(file.toString());
    }
    return builder.build();
  }

  private static String read(Path path) {
    return InputFiles.readUtf8(path, "file", InputFiles.SECRET_LIMIT);
  }

  /** Re-reads the projected token on each request: kubelet rotates it, a copy taken at start would expire. */
  private record ServiceAccountToken(Path tokenFile) implements OAuthTokenProvider {
    @Override
    public String getToken() {
      return read(tokenFile).strip();
    }
  }

  /** Describes the connection for messages; the token is never part of it. */
  @Override
  public String toString() {
    return switch (mode) {
      case STANDARD -> "default kubeconfig";
      case KUBECONFIG -> "kubeconfig " + file + (context == null ? "" : " (context " + context + ")");
      case IN_CLUSTER -> "in-cluster service account";
      case TOKEN -> "token for " + server;
    };
  }
}
