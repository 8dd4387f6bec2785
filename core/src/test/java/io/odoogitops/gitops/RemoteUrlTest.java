package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RemoteUrlTest {

  @TempDir Path tmp;

  /** Every form found to slip past the old check; the secret is always "s3cr3t" or "tok3n". */
  @ParameterizedTest
  @ValueSource(strings = {
      "deploy:s3cr3t@git.example.com:acme/gitops.git",
      "deploy:s3cr3t@git.example.com:/srv/gitops.git",
      "https://tok3n@git.example.com/acme/gitops.git",
      "https://git.example.com/acme/gitops.git?access_token=tok3n",
      "https://git.example.com/acme/gitops.git#tok3n",
      "https://ci:p@ss/s3cr3t@git.example.com/acme/gitops.git",
      "https://ci:s3cr3t/x@git.example.com/acme/gitops.git",
      "https://ci:s3cr3t%40x@git.example.com/acme/gitops.git",
      "https://ci:s3cr3t@git.example.com/acme/gitops.git",
      "file://ci:s3cr3t@/srv/gitops.git",
      "ssh://ci:s3cr3t@git.example.com/acme/gitops.git",
      "git://tok3n@git.example.com/gitops.git",
  })
  void urlsThatCouldCarryASecretAreRefusedWithoutEchoingThem(String url) {
    assertThatThrownBy(() -> GitOpsRepository.open(new GitOpsRemote(url, "main", GitCredentials.none(), tmp)))
        .isInstanceOf(ReleaseException.class)
        .satisfies(e -> assertThat(((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageContaining("the repository URL")
        .hasMessageNotContaining("s3cr3t").hasMessageNotContaining("tok3n")
        .hasMessageNotContaining("p@ss").hasMessageNotContaining("ss/");
    // Nothing was written: no cache directory, so no config holding the URL and no directory named after it.
    assertThat(tmp).isEmptyDirectory();
  }

  @ParameterizedTest
  @CsvSource({
      "https://git.example.com/acme/gitops.git, https://git.example.com/acme/gitops.git",
      "HTTPS://git.example.com:8443/acme/gitops.git, HTTPS://git.example.com:8443/acme/gitops.git",
      "git@github.com:acme/gitops.git, git@github.com:acme/gitops.git",
      "ssh://git@git.example.com:2222/acme/gitops.git, ssh://git@git.example.com:2222/acme/gitops.git",
      "git://127.0.0.1:9418/gitops.git, git://127.0.0.1:9418/gitops.git",
      "file:///srv/git/gitops.git, file:///srv/git/gitops.git",
      "/srv/git/gitops.git, /srv/git/gitops.git",
  })
  void ordinaryUrlsAreKeptAsTheyAre(String url, String shown) {
    assertThat(RemoteUrl.parse(url).toString()).isEqualTo(shown);
  }

  @Test
  void theCacheConfigAndDirectoryNameHoldOnlyTheRebuiltUrl() throws Exception {
    GitOpsRemote remote = new GitOpsRemote("https://git.example.com/acme/gitops.git", "main", GitCredentials.none(),
        tmp);
    try (GitOpsRepository repo = GitOpsRepository.open(remote)) {
      assertThat(repo.repository().getConfig().getString("remote", "origin", "url"))
          .isEqualTo("https://git.example.com/acme/gitops.git");
    }
    assertThat(remote.cacheDirectory().getFileName().toString()).startsWith("gitops-");
    assertThat(Files.readString(remote.cacheDirectory().resolve("cache.git/config"))).contains(
        "url = https://git.example.com/acme/gitops.git");
  }

  @Test
  void loopbackAndOriginsAreDecidedWithoutDns() throws Exception {
    assertThat(RemoteUrl.parse("http://127.0.0.1:8080/x.git").isLoopback()).isTrue();
    assertThat(RemoteUrl.parse("http://[::1]:8080/x.git").isLoopback()).isTrue();
    assertThat(RemoteUrl.parse("http://localhost/x.git").isLoopback()).isTrue();
    assertThat(RemoteUrl.parse("http://127.0.0.1.example.com/x.git").isLoopback()).isFalse();
    assertThat(RemoteUrl.parse("http://192.0.2.1/x.git").isLoopback()).isFalse();
    RemoteUrl url = RemoteUrl.parse("https://git.example.com/acme/gitops.git");
    assertThat(url.sameOrigin(new org.eclipse.jgit.transport.URIish("https://git.example.com:443/other.git")))
        .isTrue();
    assertThat(url.sameOrigin(new org.eclipse.jgit.transport.URIish("https://evil.example.com/acme/gitops.git")))
        .isFalse();
    assertThat(url.sameOrigin(new org.eclipse.jgit.transport.URIish("http://git.example.com/acme/gitops.git")))
        .isFalse();
    assertThat(url.sameOrigin(new org.eclipse.jgit.transport.URIish("https://git.example.com:8443/gitops.git")))
        .isFalse();
  }

  @Test
  void serverTextIsRedacted() {
    assertThat(RemoteUrl.redactText("redirected to https://u:tok3n@evil.example.com/x?sig=tok3n for y"))
        .isEqualTo("redirected to https://evil.example.com/x for y");
  }
}
