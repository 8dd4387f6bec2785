package io.odoogitops.jenkins.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogMaskerTest {

  @Test
  void masksEverySecretAndTheLongestFirst() {
    LogMasker masker = new LogMasker(List.of("tok", "tok3n-with-more"));
    assertThat(masker.mask("https://bot:tok3n-with-more@git.example.com failed; retry with tok"))
        .isEqualTo("https://bot:****@git.example.com failed; retry with ****");
  }

  @Test
  void leavesTextWithoutSecretsAloneAndIgnoresTooShortValues() {
    LogMasker masker = new LogMasker(List.of("ab"));
    assertThat(masker.mask("a tab and a cab")).isEqualTo("a tab and a cab");
    assertThat(masker.mask(null)).isNull();
  }
}
