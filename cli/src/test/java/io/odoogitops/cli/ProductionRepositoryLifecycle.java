package io.odoogitops.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests against a fresh {@link ProductionRepository} (git daemon on loopback) per test, stopped after it. */
abstract class ProductionRepositoryLifecycle {

  @TempDir Path dir;
  ProductionRepository repository;
  String url;

  @BeforeEach
  void start() throws Exception {
    repository = ProductionRepository.start(dir);
    url = repository.url;
  }

  @AfterEach
  void stop() {
    if (repository != null) {
      repository.close();
    }
  }
}
