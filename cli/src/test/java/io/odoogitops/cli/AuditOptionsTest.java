package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditOptionsTest {

  @Test
  void theInitiatorIsTheFlagThenBuildUserIdThenUserAsTheHelpSays() {
    Map<String, String> both = Map.of("BUILD_USER_ID", "alice", "USER", "jenkins");
    assertThat(AuditOptions.initiator("carol", both)).isEqualTo("carol");
    assertThat(AuditOptions.initiator(null, both)).isEqualTo("alice");
    assertThat(AuditOptions.initiator(null, Map.of("USER", "bob"))).isEqualTo("bob");
    assertThat(AuditOptions.initiator(" ", Map.of("BUILD_USER_ID", "", "USER", "bob"))).isEqualTo("bob");
  }

  @Test
  void withoutAnyJavasUserNameIsNotAGuess() {
    String before = System.getProperty("user.name");
    System.setProperty("user.name", "jvm-account");
    try {
      assertThat(AuditOptions.initiator(null, Map.of())).isNull();
      assertThat(AuditOptions.initiator(null, Map.of("USER", "dave"))).isEqualTo("dave");
    } finally {
      System.setProperty("user.name", before);
    }
  }
}
