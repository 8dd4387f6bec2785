package io.odoogitops.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApprovalsFileTest {

  private static List<Approval> read(String text) {
    return ApprovalsFile.read(text.getBytes(StandardCharsets.UTF_8), "approvals.yaml");
  }

  @Test
  void readsYaml() {
    List<Approval> votes = read("""
        - voter: carol
          environment: production
          application: odoo
          digest: %s
          at: 2026-11-20T10:00:00Z
          vote: approve
        - { voter: dave, environment: production, application: odoo, digest: %s,
            at: "2026-11-20T11:00:00+01:00", vote: REJECT, scope: freeze-override }
        """.formatted(TestConfigs.DIGEST, TestConfigs.OTHER_DIGEST));

    assertThat(votes).containsExactly(
        new Approval("carol", "production", "odoo", TestConfigs.DIGEST, Instant.parse("2026-11-20T10:00:00Z"),
            Vote.APPROVE, ApprovalScope.PROMOTION),
        new Approval("dave", "production", "odoo", TestConfigs.OTHER_DIGEST, Instant.parse("2026-11-20T10:00:00Z"),
            Vote.REJECT, ApprovalScope.FREEZE_OVERRIDE));
  }

  @Test
  void readsJson() {
    List<Approval> votes = read("""
        [{"voter": "carol", "environment": "production", "application": "odoo",
          "digest": "%s", "at": "2026-11-20T10:00:00Z", "vote": "APPROVE"}]
        """.formatted(TestConfigs.DIGEST));

    assertThat(votes).singleElement().extracting(Approval::voter).isEqualTo("carol");
  }

  @Test
  void anEmptyFileHasNoVotes() {
    assertThat(read("[]")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "- { voter: carol }                                              | vote #1: 'environment' is required",
      "- { voter: carol, environment: p, application: o, digest: d, at: yesterday, vote: APPROVE }"
          + " | vote #1: 'at' is 'yesterday'; write an ISO date-time with offset",
      "- { voter: carol, environment: p, application: o, digest: d, at: 2026-11-20T10:00:00Z, vote: maybe }"
          + " | vote #1: 'maybe' is not a vote",
      "- { voter: carol, environment: p, application: o, digest: d, at: 2026-11-20T10:00:00Z, vote: APPROVE,"
          + " scope: all } | 'all' is not an approval scope",
      "- { voter: carol, approver: dave }                              | approvals.yaml:1: unknown key 'approver'",
      "voter: carol                                                    | approvals.yaml:1: not a list of votes",
      "- [carol]                                                       | not a list of votes (vote #1)",
      "- voter: \"carol                                                | approvals.yaml:1: invalid JSON/YAML",
  })
  void malformedFilesAreBadInput(String text, String expected) {
    assertThatThrownBy(() -> read(text))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageContaining(expected);
  }
}
