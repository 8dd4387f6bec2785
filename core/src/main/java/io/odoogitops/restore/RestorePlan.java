package io.odoogitops.restore;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.odoogitops.ImageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How to bring an environment's database back to a restore point during a rollback, and what that costs: every
 * write since {@link #dataLostFrom()} is lost. Rendered as text for the person on call and as JSON for tools.
 *
 * @param dataLostFrom the restore point's time: data written in production after it is not in the restored database
 * @param lossWindowSeconds from {@code dataLostFrom} to {@code plannedAt}, and growing while the old database
 *     takes writes
 * @param target what the environment is switched to: the new CloudNativePG cluster's name or the new database's
 * @param cluster the new CloudNativePG {@code Cluster} manifest (cloudnativepg only)
 * @param clusterYaml the same manifest as YAML, ready for {@code kubectl apply -f}
 */
public record RestorePlan(
    @JsonProperty("point") String point,
    @JsonProperty("kind") RestorePointKind kind,
    @JsonProperty("environment") String environment,
    @JsonProperty("application") String application,
    @JsonProperty("digest") ImageDigest digest,
    @JsonProperty("dataLostFrom") Instant dataLostFrom,
    @JsonProperty("plannedAt") Instant plannedAt,
    @JsonProperty("lossWindowSeconds") long lossWindowSeconds,
    @JsonProperty("target") String target,
    @JsonProperty("steps") List<Step> steps,
    @JsonProperty("cluster") Map<String, Object> cluster,
    @JsonProperty("clusterYaml") String clusterYaml,
    @JsonProperty("warnings") List<String> warnings) {

  public RestorePlan {
    steps = List.copyOf(steps);
    warnings = List.copyOf(warnings);
  }

  /** One thing to do; {@code command} when there is one to run, else null. */
  public record Step(@JsonProperty("title") String title, @JsonProperty("command") String command) {}

  public String humanText() {
    StringBuilder text = new StringBuilder();
    text.append("RESTORE PLAN for ").append(application).append(" in ").append(environment).append(" back to the ")
        .append(kind.word()).append(" restore point ").append(point).append('\n')
        .append("  taken before ").append(ImageDigest.shortForm(digest)).append(" reached ").append(environment)
        .append('\n')
        .append("  DATA LOSS: everything written to the database from ").append(dataLostFrom).append(" to now (")
        .append(human(Duration.ofSeconds(lossWindowSeconds))).append(" at ").append(plannedAt)
        .append(", growing until writes stop) is not in the restored database\n");
    for (String warning : warnings) {
      text.append("  warning: ").append(warning).append('\n');
    }
    text.append('\n');
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      text.append(i + 1).append(". ").append(step.title()).append('\n');
      if (step.command() != null) {
        step.command().lines().forEach(line -> text.append("     ").append(line).append('\n'));
      }
    }
    if (clusterYaml != null) {
      text.append("\n--- the new Cluster (").append(target).append(".yaml) ---\n").append(clusterYaml);
    }
    return text.toString().stripTrailing();
  }

  public static String human(Duration d) {
    long days = d.toDays();
    long hours = d.toHoursPart();
    long minutes = d.toMinutesPart();
    if (days > 0) {
      return days + "d " + hours + "h " + minutes + "m";
    }
    if (hours > 0) {
      return hours + "h " + minutes + "m";
    }
    return minutes + "m " + d.toSecondsPart() + "s";
  }
}
