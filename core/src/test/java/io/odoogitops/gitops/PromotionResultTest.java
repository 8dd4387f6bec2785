package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.ImageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The factories and copies keep the JSON the CLI's {@code --output json} and the Jenkins maps are built from. */
class PromotionResultTest {

  private static final ImageDigest DIGEST = new ImageDigest("sha256:" + "a".repeat(64));
  private static final ImageDigest BEFORE = new ImageDigest("sha256:" + "b".repeat(64));

  @Test
  void jsonFieldNamesAreTheInterface() {
    JsonNode json = new ObjectMapper().valueToTree(PromotionResult.landed("p-1", "production", "odoo",
        "registry.example/odoo@" + DIGEST, DIGEST, BEFORE, "promoted").withCommit("c0ffee", 2));
    List<String> names = new ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("outcome", "promotionId", "environment", "application", "image", "digest",
        "previousDigest", "commitId", "attempts", "message");
    assertThat(json.get("outcome").asText()).isEqualTo("LANDED");
    assertThat(json.get("commitId").asText()).isEqualTo("c0ffee");
    assertThat(json.get("attempts").asInt()).isEqualTo(2);
  }

  @Test
  void factoriesSetTheOutcomeAndCopiesKeepTheRest() {
    PromotionResult noChange = PromotionResult.noChange("p-2", "staging", "odoo", null, DIGEST, DIGEST, "nothing");
    assertThat(noChange.outcome()).isEqualTo(PromotionResult.Outcome.NO_CHANGE);
    assertThat(noChange.commitId()).isNull();
    PromotionResult again = PromotionResult.alreadyLanded("p-3", "staging", "odoo", null, DIGEST, BEFORE, "c1",
        "already").withAttempts(3);
    assertThat(again).isEqualTo(new PromotionResult(PromotionResult.Outcome.ALREADY_LANDED, "p-3", "staging",
        "odoo", null, DIGEST, BEFORE, "c1", 3, "already", null));
  }
}
