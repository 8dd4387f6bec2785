package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.file.Path;
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
      assertThatThrownBy(() -> PromotionEngine.builder(repo).build().history("staging", null, 5))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining("authentication was refused")
          .hasMessageNotContaining(token)
          .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
    }
    assertThat(new GitCredentials.HttpsToken("ci", token).toString()).doesNotContain(token);
  }

  private GitOpsRepository open(GitCredentials credentials) {
    return GitOpsRepository.open(new GitOpsRemote(url, "main", credentials, tmp.resolve("cache-" + System.nanoTime())));
  }
}
