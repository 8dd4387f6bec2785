package io.odoogitops.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Semantic checks of the {@code fleets:} section and of environment {@code labels}: every tenant is a known
 * environment in exactly one wave, the canary comes first, selectors select something, and wave order agrees with
 * {@code promoteFrom}. A mistake here would otherwise surface as a tenant silently never released.
 */
public final class FleetSpecValidator {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");
  /** Kubernetes' label syntax, so the same labels can be copied to and from cluster objects. */
  private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?/)?"
      + "[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?");

  private final ReleaseConfig config;
  private final ConfigProblems problems;

  private FleetSpecValidator(ReleaseConfig config, ConfigProblems problems) {
    this.config = config;
    this.problems = problems;
  }

  /** Records every fleet and label problem of {@code config} in {@code problems}. */
  public static void validate(ReleaseConfig config, ConfigProblems problems) {
    FleetSpecValidator validator = new FleetSpecValidator(config, problems);
    config.environments().forEach(validator::labels);
    config.fleets().forEach(validator::fleet);
  }

  private void labels(String env, EnvironmentSpec spec) {
    spec.labels().forEach((key, value) -> {
      String at = "/environments/" + YamlLocations.escape(env) + "/labels/" + YamlLocations.escape(key);
      if (!LABEL_KEY.matcher(key).matches()) {
        problems.at(at, "'" + key + "' is not a label key; use letters, digits, '.', '_' and '-' (max 63), with an"
            + " optional DNS prefix such as example.com/tier");
      }
      if (value == null || !LABEL_VALUE.matcher(value).matches()) {
        problems.at(at, "'" + value + "' is not a label value; use letters, digits, '.', '_' and '-' (max 63)");
      }
    });
  }

  private void fleet(String name, FleetSpec fleet) {
    String at = "/fleets/" + YamlLocations.escape(name);
    if (!NAME.matcher(name).matches()) {
      problems.at(at, "fleet names use lowercase letters, digits, '.', '_' and '-' (max 63)");
    }
    if (fleet.application() != null && !config.applications().containsKey(fleet.application())) {
      problems.at(at + "/application", "'" + fleet.application() + "' is not an application of this file");
    } else if (fleet.application() == null && config.applications().size() > 1) {
      problems.at(at, "'application' is required when the file defines several: one of "
          + String.join(", ", config.applications().keySet()));
    }
    duration(at + "/tenantTime", fleet.tenantTime(), false);
    if (fleet.rollsBack() && fleet.candidates(config).stream().noneMatch(e -> e.cluster() != null)) {
      problems.at(at + "/autoRollback", "'autoRollback: true' rolls back a tenant whose cluster verification fails,"
          + " but no tenant of this fleet has a 'cluster:' block, so nothing is verified; add cluster blocks (see"
          + " docs/cluster.md) or remove autoRollback");
    }
    Set<String> fleetTenants = tenants(at, fleet);
    if (fleet.waves().isEmpty()) {
      problems.at(at, "'waves' is required: a canary wave first, then the waves of the remaining tenants");
      return;
    }
    Set<String> waveNames = new HashSet<>();
    Map<String, Integer> waveOf = new LinkedHashMap<>();
    List<EnvironmentSpec> candidates = fleet.candidates(config);
    for (int i = 0; i < fleet.waves().size(); i++) {
      WaveSpec wave = fleet.waves().get(i);
      String w = at + "/waves/" + i;
      String waveName = wave.displayName(i);
      if (wave.name() != null && !NAME.matcher(wave.name()).matches()) {
        problems.at(w + "/name", "wave names use lowercase letters, digits, '.', '_' and '-' (max 63)");
      }
      if (!waveNames.add(waveName)) {
        problems.at(w + (wave.name() != null ? "/name" : ""), "duplicate wave name '" + waveName + "'");
      }
      if (i == 0 && !wave.canary()) {
        problems.at(w, "the first wave must be the canary: add 'canary: true' to it (one or a few tenants that"
            + " receive the digest before everyone else)");
      } else if (i > 0 && wave.canary()) {
        problems.at(w + "/canary", "only the first wave is the canary; remove 'canary: true' or move this wave"
            + " first");
      }
      if (wave.maxParallel() < 1) {
        problems.at(w + "/maxParallel", "must be 1 or more");
      }
      duration(w + "/soak", wave.soak(), true);
      for (int r = 0; r < wave.gate().size(); r++) {
        String rule = wave.gate().get(r);
        if ("freeze".equals(rule)) {
          problems.at(w + "/gate/" + r, "freeze windows always apply and cannot be listed or left out; remove"
              + " 'freeze'");
        } else if (!WaveSpec.RULES.contains(rule)) {
          problems.at(w + "/gate/" + r, "unknown gate rule '" + rule + "'; use " + String.join(", ",
              WaveSpec.RULES));
        }
      }
      members(w, i, waveName, wave, fleet, fleetTenants, candidates, waveOf);
    }
    if (fleet.tenants() != null) {
      for (int t = 0; t < fleet.tenants().size(); t++) {
        String tenant = fleet.tenants().get(t);
        if (config.environments().containsKey(tenant) && !waveOf.containsKey(tenant)) {
          problems.at(at + "/tenants/" + t, "'" + tenant + "' is in no wave, so it would never be released; list"
              + " it in a wave or label it so that a wave selects it");
        }
      }
    }
    order(at, fleet, waveOf);
  }

  /** Checks the tenants list; returns the fleet's known tenants, or null when the fleet lists none. */
  private Set<String> tenants(String at, FleetSpec fleet) {
    if (fleet.tenants() == null) {
      return null;
    }
    if (fleet.tenants().isEmpty()) {
      problems.at(at + "/tenants", "lists no environment; name the fleet's tenants or leave 'tenants' out to"
          + " select among all environments");
    }
    Set<String> seen = new HashSet<>();
    for (int t = 0; t < fleet.tenants().size(); t++) {
      String tenant = fleet.tenants().get(t);
      if (!config.environments().containsKey(tenant)) {
        problems.at(at + "/tenants/" + t, unknown(tenant));
      } else if (!seen.add(tenant)) {
        problems.at(at + "/tenants/" + t, "'" + tenant + "' is listed twice");
      }
    }
    return seen;
  }

  private void members(String w, int index, String waveName, WaveSpec wave, FleetSpec fleet,
      Set<String> fleetTenants, List<EnvironmentSpec> candidates, Map<String, Integer> waveOf) {
    if (wave.environments() != null && wave.selector() != null) {
      problems.at(w, "sets both 'environments' and 'selector'; a wave names its tenants one way");
      return;
    }
    if (wave.environments() == null && wave.selector() == null) {
      problems.at(w, "names no tenants: list them under 'environments' or select them by label with 'selector'");
      return;
    }
    if (wave.environments() != null) {
      if (wave.environments().isEmpty()) {
        problems.at(w + "/environments", "is empty; a wave needs at least one tenant (remove the wave otherwise)");
      }
      for (int e = 0; e < wave.environments().size(); e++) {
        String tenant = wave.environments().get(e);
        String where = w + "/environments/" + e;
        if (!config.environments().containsKey(tenant)) {
          problems.at(where, unknown(tenant));
        } else if (fleetTenants != null && !fleetTenants.contains(tenant)) {
          problems.at(where, "'" + tenant + "' is not among the fleet's tenants; add it to 'tenants'");
        } else {
          claim(where, index, waveName, tenant, fleet, waveOf);
        }
      }
      return;
    }
    if (!selector(w + "/selector", wave.selector())) {
      return;
    }
    List<String> selected = wave.select(candidates);
    if (selected.isEmpty()) {
      problems.at(w + "/selector", "selects no environment" + (fleet.tenants() == null ? "" : " of the fleet")
          + "; check the labels (environments' 'labels:') or remove the wave");
    }
    selected.forEach(tenant -> claim(w + "/selector", index, waveName, tenant, fleet, waveOf));
  }

  private void claim(String where, int index, String waveName, String tenant, FleetSpec fleet,
      Map<String, Integer> waveOf) {
    Integer first = waveOf.putIfAbsent(tenant, index);
    if (first == null) {
      return;
    }
    String other = fleet.waves().get(first).displayName(first);
    problems.at(where, "'" + tenant + "' is already in wave '" + other + "'" + (first == index ? " (listed twice)"
        : "") + "; a tenant belongs to exactly one wave"
        + (first == index ? "" : " (exclude it here, e.g. with a NotIn expression on a label)"));
  }

  private boolean selector(String at, SelectorSpec selector) {
    boolean valid = true;
    if (selector.matchLabels().isEmpty() && selector.matchExpressions().isEmpty()) {
      problems.at(at, "selects by nothing; give matchLabels and/or matchExpressions");
      return false;
    }
    for (Map.Entry<String, String> label : selector.matchLabels().entrySet()) {
      if (label.getValue() == null) {
        problems.at(at + "/matchLabels/" + YamlLocations.escape(label.getKey()), "needs a value");
        valid = false;
      }
    }
    for (int i = 0; i < selector.matchExpressions().size(); i++) {
      SelectorSpec.Expression e = selector.matchExpressions().get(i);
      String where = at + "/matchExpressions/" + i;
      if (e.key() == null || e.key().isBlank()) {
        problems.at(where, "'key' is required: the label the expression tests");
        valid = false;
      }
      if (e.operator() == null || !SelectorSpec.OPERATORS.contains(e.operator())) {
        problems.at(where + (e.operator() == null ? "" : "/operator"), "'operator' must be one of In, NotIn,"
            + " Exists, DoesNotExist");
        valid = false;
      } else if ((e.operator().equals("In") || e.operator().equals("NotIn")) && e.values().isEmpty()) {
        problems.at(where, e.operator() + " needs 'values'");
        valid = false;
      } else if ((e.operator().equals("Exists") || e.operator().equals("DoesNotExist")) && !e.values().isEmpty()) {
        problems.at(where + "/values", e.operator() + " takes no 'values'");
        valid = false;
      }
    }
    return valid;
  }

  /**
   * A tenant whose {@code promoteFrom} is another tenant of the fleet must come in a later wave than it; the same or
   * an earlier wave would make the fleet wait on itself.
   */
  private void order(String at, FleetSpec fleet, Map<String, Integer> waveOf) {
    Map<String, String> where = new HashMap<>();
    for (int i = 0; i < fleet.waves().size(); i++) {
      WaveSpec wave = fleet.waves().get(i);
      if (wave.environments() != null) {
        for (int e = 0; e < wave.environments().size(); e++) {
          where.putIfAbsent(wave.environments().get(e), at + "/waves/" + i + "/environments/" + e);
        }
      } else {
        String pointer = at + "/waves/" + i + "/selector";
        int wave0 = i;
        waveOf.forEach((tenant, index) -> {
          if (index == wave0) {
            where.putIfAbsent(tenant, pointer);
          }
        });
      }
    }
    waveOf.forEach((tenant, index) -> {
      String upstream = config.environments().get(tenant).promoteFrom();
      Integer upstreamWave = upstream == null ? null : waveOf.get(upstream);
      if (upstreamWave != null && upstreamWave >= index) {
        problems.at(where.get(tenant), "'" + tenant + "' promotes from '" + upstream + "', which is in "
            + (upstreamWave.equals(index) ? "the same wave" : "the later wave '" + fleet.waves().get(upstreamWave)
                .displayName(upstreamWave) + "'") + ": the rollout would wait on itself; put '" + upstream
            + "' in an earlier wave");
      }
    });
  }

  private void duration(String at, String text, boolean zeroAllowed) {
    if (text == null) {
      return;
    }
    try {
      Duration d = HumanDuration.parse(text);
      if (d.isNegative() || (!zeroAllowed && d.isZero())) {
        problems.at(at, "must be " + (zeroAllowed ? "0 or more" : "positive"));
      }
    } catch (IllegalArgumentException e) {
      problems.at(at, e.getMessage());
    }
  }

  private String unknown(String tenant) {
    return "'" + tenant + "' is not an environment of this file; define it under 'environments'";
  }
}
