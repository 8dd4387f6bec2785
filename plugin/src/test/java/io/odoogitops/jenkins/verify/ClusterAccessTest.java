package io.odoogitops.jenkins.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClusterAccess.Clients}, which odooFleetPromote verifies its tenants through (as odooVerify does with the
 * configured credential): clients from several threads reach the configured API server with the configured token,
 * the CA is written once to a private file and removed on close, and the token never shows. Against a real HTTP
 * server on loopback standing in for the API server; no Jenkins runtime needed.
 */
class ClusterAccessTest {

  @TempDir
  Path dir;

  HttpServer api;
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startApiServer() throws IOException {
    api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    api.createContext("/api/v1/namespaces/", exchange -> {
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      String name = exchange.getRequestURI().getPath().substring("/api/v1/namespaces/".length());
      byte[] body = ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    api.start();
  }

  @AfterEach
  void stopApiServer() {
    api.stop(0);
  }

  private String server() {
    return "http://127.0.0.1:" + api.getAddress().getPort();
  }

  @Test
  void clientsOfSeveralThreadsUseTheConfiguredServerAndTokenAndTheCaIsRemovedOnClose() throws Exception {
    ClusterAccess access = new ClusterAccess(server(), "s3cret-token", selfSignedCa());
    List<String> got = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (ClusterAccess.Clients clients = access.clients()) {
      List<Future<String>> answers = new ArrayList<>();
      for (String tenant : List.of("acme", "globex", "initech")) {
        answers.add(pool.submit(() -> {
          try (KubernetesClient client = clients.get()) {
            return client.namespaces().withName(tenant).get().getMetadata().getName() + " "
                + client.getConfiguration().getCaCertFile();
          }
        }));
      }
      for (Future<String> answer : answers) {
        got.add(answer.get());
      }
      Path ca = Path.of(got.get(0).split(" ")[1]);
      assertThat(Files.readString(ca)).isEqualTo(access.caCertificate());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca))).isEqualTo("rw-------");
    } finally {
      pool.shutdownNow();
    }
    // one CA file for every client of the run, gone with its directory once the run closes them
    Path ca = Path.of(got.get(0).split(" ")[1]);
    assertThat(got).extracting(g -> g.split(" ")[0]).containsExactly("acme", "globex", "initech");
    assertThat(got).extracting(g -> g.split(" ")[1]).containsOnly(ca.toString());
    assertThat(ca).doesNotExist();
    assertThat(ca.getParent()).doesNotExist();
    assertThat(authorizations).hasSize(3).containsOnly("Bearer s3cret-token");
    assertThat(ca).doesNotExist();
    assertThat(ca.getParent()).doesNotExist();
    assertThat(access.toString()).contains(server(), "token ****").doesNotContain("s3cret");
  }

  @Test
  void withoutAServerTheAgentsOwnConfigurationIsUsedAndNothingIsWritten() throws IOException {
    ClusterAccess agent = new ClusterAccess(null, null, null);
    assertThat(agent.toString()).isEqualTo("ClusterAccess[agent kubeconfig]");
    List<String> before = scratchDirectories();
    try (ClusterAccess.Clients clients = agent.clients()) {
      // this machine has no kubeconfig: the core's standard connection says so instead of guessing a server
      if (System.getenv("KUBECONFIG") == null && !Files.exists(Path.of(System.getProperty("user.home"), ".kube",
          "config")) && System.getenv("KUBERNETES_SERVICE_HOST") == null) {
        assertThatThrownBy(clients::get).isInstanceOf(ReleaseException.class)
            .hasMessageContaining("no cluster connection configured");
      } else {
        clients.get().close();
      }
      assertThat(scratchDirectories()).as("no scratch directory without a CA").isSubsetOf(before);
    }
  }

  /** The scratch directories of {@link ClusterAccess.Clients} in the temporary directory now. */
  private static List<String> scratchDirectories() throws IOException {
    try (var entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("odoo-gitops-cluster-")).toList();
    }
  }

  /** A real certificate from the JDK's keytool, PEM encoded, so the client's TLS set-up accepts it. */
  private String selfSignedCa() throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path store = dir.resolve("ca.p12");
    run(List.of(keytool.toString(), "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=test-ca",
        "-validity", "2", "-keystore", store.toString(), "-storepass", "changeit", "-storetype", "PKCS12"));
    return run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "ca", "-keystore", store.toString(),
        "-storepass", "changeit"));
  }

  private static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
    return out;
  }
}
