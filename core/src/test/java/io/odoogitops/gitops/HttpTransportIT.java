package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.junit.http.AppServer;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.resolver.RepositoryResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promotions over HTTP with a user and token (basic auth), against JGit's smart HTTP server on loopback. */
class HttpTransportIT {

  @TempDir Path tmp;
  AppServer server;
  Repository served;
  String url;

  @BeforeEach
  void start() throws Exception {
    Path bare = tmp.resolve("gitops.git");
    RepositorySeed.create(bare, "main", GitOpsFixture.defaultFiles(), "initial");
    served = new FileRepositoryBuilder().setGitDir(bare.toFile()).setBare().build();
    server = new AppServer(0);
    ServletContextHandler context = server.addContext("/git");
    GitServlet git = new GitServlet();
    RepositoryResolver<jakarta.servlet.http.HttpServletRequest> resolver = (request, name) -> {
      served.incrementOpen();
      return served;
    };
    git.setRepositoryResolver(resolver);
    git.setReceivePackFactory((request, db) -> new ReceivePack(db));
    context.addServlet(new ServletHolder(git), "/*");
    server.authBasic(context);
    server.setUp();
    url = "http://127.0.0.1:" + server.getPort() + "/git/gitops.git";
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.tearDown();
    }
    if (served != null) {
      served.close();
    }
  }

  @Test
  void userAndTokenPromote() {
    try (GitOpsRepository repo = open(new GitCredentials.HttpsToken(AppServer.username, AppServer.password))) {
      PromotionResult result = PromotionEngine.builder(repo).build()
          .promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(3)).build());
      assertThat(result.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    }
  }

  @Test
  void aWrongTokenIsRefusedAndNeverShown() {
    String token = "wrong-token-0123456789";
    try (GitOpsRepository repo = open(new GitCredentials.HttpsToken(AppServer.username, token))) {
      assertThatThrownBy(() -> ReleaseQueries.of(repo).history("staging", null, 5))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining("authentication was refused")
          .hasMessageNotContaining(token)
          .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
    }
    assertThat(new GitCredentials.HttpsToken("ci", token).toString()).doesNotContain(token);
  }

  @Test
  void aTokenIsNeverSentOverPlainHttpToAnotherMachine() {
    String token = "plain-http-token-0123456789";
    assertThatThrownBy(() -> GitOpsRepository.open(new GitOpsRemote("http://192.0.2.10/git/gitops.git", "main",
        new GitCredentials.HttpsToken("ci", token), tmp.resolve("cache-plain"))))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("only sent over https://")
        .hasMessageNotContaining(token)
        .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
  }

  @Test
  void aRedirectToAnotherOriginNeverCarriesTheToken() throws Exception {
    String token = AppServer.password;
    List<String> seenByOther = new CopyOnWriteArrayList<>();
    HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    other.createContext("/", exchange -> {
      seenByOther.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"other\"");
      exchange.sendResponseHeaders(401, -1);
      exchange.close();
    });
    List<String> seenByFirst = new CopyOnWriteArrayList<>();
    HttpServer first = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    first.createContext("/", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      seenByFirst.add(String.valueOf(auth));
      if (auth == null) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"first\"");
        exchange.sendResponseHeaders(401, -1);
      } else {
        exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + other.getAddress().getPort()
            + exchange.getRequestURI());
        exchange.sendResponseHeaders(302, -1);
      }
      exchange.close();
    });
    other.start();
    first.start();
    final String basic = "Basic " + Base64.getEncoder().encodeToString((AppServer.username + ":" + token)
        .getBytes(StandardCharsets.UTF_8));
    try (GitOpsRepository repo = GitOpsRepository.open(new GitOpsRemote("http://127.0.0.1:"
        + first.getAddress().getPort() + "/git/gitops.git", "main",
        new GitCredentials.HttpsToken(AppServer.username, token), tmp.resolve("cache-redirect")))) {
      assertThatThrownBy(() -> ReleaseQueries.of(repo).history("staging", null, 5))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining("does not follow redirects while a token is set")
          .hasMessageNotContaining(token)
          .hasMessageNotContaining(basic.substring(6));
    } finally {
      first.stop(0);
      other.stop(0);
    }
    // The original (loopback) host got the token; the other origin never did, neither sent ahead nor on its 401.
    assertThat(seenByFirst).contains(basic);
    assertThat(seenByOther).noneMatch(h -> h.contains(basic.substring(6)));
  }

  private GitOpsRepository open(GitCredentials credentials) {
    return GitOpsRepository.open(new GitOpsRemote(url, "main", credentials, tmp.resolve("cache-" + System.nanoTime())));
  }
}
