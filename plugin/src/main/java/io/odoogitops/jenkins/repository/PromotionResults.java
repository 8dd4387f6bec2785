package io.odoogitops.jenkins.repository;

import io.odoogitops.ImageDigest;
import io.odoogitops.gitops.PromotionResult;
import java.util.LinkedHashMap;
import java.util.Map;

/** The value odooPromote and odooRollback return to the Pipeline: plain, serializable, named as in the CLI's JSON. */
public final class PromotionResults {

  private PromotionResults() {}

  public static Map<String, Object> toMap(PromotionResult result) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("outcome", result.outcome().name());
    map.put("promotionId", result.promotionId());
    map.put("environment", result.environment());
    map.put("application", result.application());
    map.put("image", result.image());
    map.put("digest", ImageDigest.text(result.digest()));
    map.put("previousDigest", ImageDigest.text(result.previousDigest()));
    map.put("commitId", result.commitId());
    map.put("attempts", result.attempts());
    map.put("message", result.message());
    return map;
  }
}
