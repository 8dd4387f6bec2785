package io.odoogitops.jenkins.step;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommaListTest {

  @Test
  void splitsTrimsAndDropsBlanks() {
    assertThat(CommaList.split(" addons, vendor/oca ,,")).containsExactly("addons", "vendor/oca");
    assertThat(CommaList.split("single")).containsExactly("single");
    assertThat(CommaList.split(null)).isEmpty();
    assertThat(CommaList.split(" , ")).isEmpty();
  }
}
