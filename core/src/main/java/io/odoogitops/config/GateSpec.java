package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * Gate rules of an environment, as written; the {@code policy} package evaluates them.
 *
 * @param approvals how many distinct approvals are needed (default 0)
 * @param approvers who may approve: {@code user:alice}, {@code group:release-managers} (a bare name is a user)
 * @param fourEyes whether the initiator and the source revision's author are barred from approving (default true)
 * @param dryRun the worst dry-run verdict still accepted (PASS or WARN); {@code null}: no dry-run required
 * @param approvalTtl how long an approval stays valid (ISO-8601 duration, default P7D)
 * @param dryRunSigners principals of {@code allowedSigners} whose signature a dry-run report must carry
 *     ({@code dry-run.json.sig}); empty: reports are accepted unsigned (advisory)
 * @param restorePointSigners principals of {@code allowedSigners} whose signature a restore point's evidence must
 *     carry ({@code restore-point.json.sig}); empty: points are accepted unsigned
 */
public record GateSpec(
    @JsonProperty("approvals") Integer approvals,
    @JsonProperty("approvers") List<String> approvers,
    @JsonProperty("fourEyes") Boolean fourEyes,
    @JsonProperty("dryRun") String dryRun,
    @JsonProperty("approvalTtl") Duration approvalTtl,
    @JsonProperty("dryRunSigners") List<String> dryRunSigners,
    @JsonProperty("restorePointSigners") List<String> restorePointSigners) {

  public GateSpec(Integer approvals, List<String> approvers, Boolean fourEyes, String dryRun, Duration approvalTtl) {
    this(approvals, approvers, fourEyes, dryRun, approvalTtl, null, null);
  }

  public GateSpec(Integer approvals, List<String> approvers, Boolean fourEyes, String dryRun, Duration approvalTtl,
      List<String> dryRunSigners) {
    this(approvals, approvers, fourEyes, dryRun, approvalTtl, dryRunSigners, null);
  }

  public GateSpec {
    dryRunSigners = dryRunSigners == null ? List.of() : List.copyOf(dryRunSigners);
    restorePointSigners = restorePointSigners == null ? List.of() : List.copyOf(restorePointSigners);
    approvals = approvals == null ? 0 : approvals;
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
    fourEyes = fourEyes == null ? Boolean.TRUE : fourEyes;
    approvalTtl = approvalTtl == null ? Duration.ofDays(7) : approvalTtl;
  }
}
