package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * One wave of a fleet as written: its tenants (a list or a label selector), how many are promoted at once, how long
 * the wave soaks after verification before the next may start, and which gate rules apply.
 *
 * @param name shown in plans, status and the {@code Wave:} trailer; default {@code wave-N} (1-based)
 * @param canary marks the first wave; exactly the first wave is the canary
 * @param environments the wave's tenants by name, in promotion order
 * @param selector the wave's tenants by label, in the order the fleet lists them
 * @param maxParallel how many tenants of the wave may be promoted at the same time (default 1)
 * @param soak wait after the wave is verified before the next wave starts: ISO-8601 or {@code 2h} (default none)
 * @param gate the gate rules that apply in this wave, of {@link #RULES} (default all); freeze windows always apply
 */
public record WaveSpec(
    @JsonProperty("name") String name,
    @JsonProperty("canary") Boolean canary,
    @JsonProperty("environments") List<String> environments,
    @JsonProperty("selector") SelectorSpec selector,
    @JsonProperty("maxParallel") Integer maxParallel,
    @JsonProperty("soak") String soak,
    @JsonProperty("gate") List<String> gate) {

  /** Gate rules a wave may require; {@code approvals} includes the rejections that go with them. */
  public static final List<String> RULES = List.of("promote-from", "dry-run", "approvals");

  public WaveSpec {
    canary = canary != null && canary;
    environments = environments == null ? null : List.copyOf(environments);
    maxParallel = maxParallel == null ? 1 : maxParallel;
    gate = gate == null ? RULES : List.copyOf(gate);
  }

  /** The soak as a duration; expects a validated wave. */
  public Duration soakDuration() {
    return soak == null ? Duration.ZERO : HumanDuration.parse(soak);
  }

  /** The name to show for the wave at {@code index} (0-based). */
  public String displayName(int index) {
    return name != null ? name : "wave-" + (index + 1);
  }

  /** The tenants of this wave among {@code candidates} (in their order when selected by label). */
  public List<String> select(List<EnvironmentSpec> candidates) {
    if (environments != null) {
      return environments;
    }
    if (selector == null) {
      return List.of();
    }
    return candidates.stream().filter(e -> selector.matches(e.labels())).map(EnvironmentSpec::name).toList();
  }
}
