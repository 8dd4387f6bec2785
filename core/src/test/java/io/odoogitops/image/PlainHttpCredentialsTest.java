package io.odoogitops.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When jib may send credentials over plain HTTP, and that the JVM-wide switch never outlives one build. */
class PlainHttpCredentialsTest {

  static final Optional<RegistryCredentials> CREDENTIALS = Optional.of(new RegistryCredentials("ci", "secret"));

  @AfterEach
  void clear() {
    System.clearProperty(PlainHttpCredentials.PROPERTY);
  }

  @Test
  void credentialsMayUsePlainHttpOnlyWhenEveryRegistryHoldingThemIsLoopbackOrExplicitlyInsecure() {
    RegistryAccess loopback = RegistryAccess.to("127.0.0.1:5000", CREDENTIALS, false);
    RegistryAccess remote = RegistryAccess.to("registry.example.com", CREDENTIALS, false);
    RegistryAccess remoteFlagged = RegistryAccess.to("registry.example.com", CREDENTIALS, true);
    RegistryAccess remoteAnonymous = RegistryAccess.to("docker.io", Optional.empty(), false);

    assertThat(settings(loopback)).extracting("allowInsecure", "credentialsOverHttp").containsExactly(true, true);
    assertThat(settings(remoteFlagged)).extracting("allowInsecure", "credentialsOverHttp")
        .containsExactly(true, true);
    assertThat(settings(remote).allowInsecure()).as("HTTPS only").isFalse();
    assertThat(settings(remote, loopback)).as("a loopback target must not open plain HTTP to a remote base's secret")
        .extracting("allowInsecure", "credentialsOverHttp").containsExactly(true, false);
    assertThat(settings(remoteAnonymous, loopback)).as("an anonymous base has no credentials to leak")
        .extracting("allowInsecure", "credentialsOverHttp").containsExactly(true, true);
  }

  @Test
  void thePropertyHoldsExactlyThePermissionDuringTheCallAndIsRestoredAfterwards() throws Exception {
    PlainHttpCredentials.scoped(true, () -> {
      assertThat(System.getProperty(PlainHttpCredentials.PROPERTY)).isEqualTo("true");
      return null;
    });
    assertThat(System.getProperty(PlainHttpCredentials.PROPERTY)).isNull();

    System.setProperty(PlainHttpCredentials.PROPERTY, "true");
    assertThatThrownBy(() -> PlainHttpCredentials.scoped(false, () -> {
      assertThat(System.getProperty(PlainHttpCredentials.PROPERTY))
          .as("a JVM-wide -DsendCredentialsOverHttp=true does not override the rule").isEqualTo("false");
      throw new IllegalStateException("push failed");
    })).hasMessage("push failed");
    assertThat(System.getProperty(PlainHttpCredentials.PROPERTY)).isEqualTo("true");
  }

  @Test
  void buildsThatMayUsePlainHttpRunOneAtATime() throws Exception {
    CountDownLatch firstInside = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> call(true, () -> {
      firstInside.countDown();
      releaseFirst.await(10, TimeUnit.SECONDS);
    }));
    assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();
    CountDownLatch secondInside = new CountDownLatch(1);
    CompletableFuture<Void> second = CompletableFuture.runAsync(() -> call(false, secondInside::countDown));

    assertThat(secondInside.await(200, TimeUnit.MILLISECONDS)).as("waits for the first build").isFalse();
    releaseFirst.countDown();
    assertThat(secondInside.await(10, TimeUnit.SECONDS)).isTrue();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
  }

  private static ContainerizerSettings settings(RegistryAccess... registries) {
    return ContainerizerSettings.forRegistries(Optional.empty(), List.of(registries), line -> { });
  }

  private interface Body {
    void run() throws Exception;
  }

  private static void call(boolean permitted, Body body) {
    try {
      PlainHttpCredentials.scoped(permitted, () -> {
        body.run();
        return null;
      });
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
