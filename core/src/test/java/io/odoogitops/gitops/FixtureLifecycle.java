package io.odoogitops.gitops;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests against a fresh {@link GitOpsFixture} (git daemon on loopback) per test, stopped after it. */
abstract class FixtureLifecycle {

  @TempDir Path tmp;
  GitOpsFixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = GitOpsFixture.start(tmp, files());
  }

  /** The repository's files at its first commit. */
  java.util.Map<String, String> files() {
    return GitOpsFixture.defaultFiles();
  }

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }
}
