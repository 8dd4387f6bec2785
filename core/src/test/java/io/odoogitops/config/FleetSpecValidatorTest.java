package io.odoogitops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FleetSpecValidatorTest {

  /** Four tenants a-d on lines 5-8 labelled by tier and region (d promotes from staging); fleets start on line 9. */
  private static final String HEAD = """
      applications:
        odoo: { image: registry.example.com/acme/odoo }
      environments:
        staging: { path: envs/staging, layout: kustomize }
        a: { path: envs/a, layout: kustomize, labels: { tier: canary, region: eu } }
        b: { path: envs/b, layout: kustomize, labels: { tier: gold, region: eu } }
        c: { path: envs/c, layout: kustomize, labels: { tier: gold, region: us } }
        d: { path: envs/d, layout: kustomize, promoteFrom: staging, labels: { tier: silver, region: us } }
      """;

  private static ReleaseConfig load(String fleets) {
    return ConfigLoader.load((HEAD + fleets).getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml");
  }

  @Test
  void aFleetWithCanaryListAndSelectorsLoads() {
    ReleaseConfig config = load("""
        fleets:
          saas:
            tenants: [a, b, c, d]
            tenantTime: 15m
            waves:
              - { name: canary, canary: true, environments: [a], soak: 2h }
              - name: gold
                selector: { matchLabels: { tier: gold } }
                maxParallel: 2
                soak: PT4H
                gate: [approvals]
              - name: rest
                selector:
                  matchExpressions:
                    - { key: tier, operator: NotIn, values: [canary, gold] }
                    - { key: region, operator: In, values: [us] }
        """);

    FleetSpec fleet = config.fleet("saas");
    assertThat(fleet.application(config)).isEqualTo("odoo");
    assertThat(fleet.tenantDuration()).isEqualTo(Duration.ofMinutes(15));
    assertThat(fleet.waves().get(0).soakDuration()).isEqualTo(Duration.ofHours(2));
    assertThat(fleet.waves().get(1).select(fleet.candidates(config))).containsExactly("b", "c");
    assertThat(fleet.waves().get(1).gate()).containsExactly("approvals");
    assertThat(fleet.waves().get(2).select(fleet.candidates(config))).containsExactly("d");
    assertThat(fleet.waves().get(2).gate()).isEqualTo(WaveSpec.RULES);
    assertThat(config.environment("b").labels()).containsEntry("tier", "gold").containsEntry("region", "eu");
  }

  @Test
  void anUnknownFleetNamesTheDefinedOnes() {
    ReleaseConfig config = load("""
        fleets:
          saas:
            waves: [ { canary: true, environments: [a, b, c, d] } ]
        """);

    assertThatThrownBy(() -> config.fleet("other")).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("unknown fleet 'other'").hasMessageContaining("defines saas");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("a tenant in two waves", """
            fleets:
              saas:
                waves:
                  - { canary: true, environments: [a, b] }
                  - selector: { matchLabels: { region: eu } }
                  - environments: [c, d]
            """, List.of("odoo-gitops.yaml:13: fleets.saas.waves.1.selector: 'a' is already in wave 'wave-1'",
                "'b' is already in wave 'wave-1'")),
        Arguments.of("autoRollback without a tenant in a cluster", """
            fleets:
              saas:
                autoRollback: true
                waves:
                  - { canary: true, environments: [a] }
                  - environments: [b, c, d]
            """, List.of("odoo-gitops.yaml:11: fleets.saas.autoRollback: 'autoRollback: true' rolls back a tenant"
                + " whose cluster verification fails, but no tenant of this fleet has a 'cluster:' block")),
        Arguments.of("autoRollback not a boolean", """
            fleets:
              saas:
                autoRollback: sometimes
                waves:
                  - { canary: true, environments: [a] }
                  - environments: [b, c, d]
            """, List.of("odoo-gitops.yaml:11:", "autoRollback", "true or false")),
        Arguments.of("a tenant twice in one wave", """
            fleets:
              saas:
                waves:
                  - canary: true
                    environments:
                      - a
                      - a
                  - environments: [b, c, d]
            """, List.of("odoo-gitops.yaml:15: fleets.saas.waves.0.environments.1: 'a' is already in wave"
                + " 'wave-1' (listed twice)")),
        Arguments.of("an unknown environment", """
            fleets:
              saas:
                waves:
                  - { canary: true, environments: [a] }
                  - environments:
                      - b
                      - nope
                      - c
                      - d
            """, List.of("odoo-gitops.yaml:15: fleets.saas.waves.1.environments.1: 'nope' is not an environment")),
        Arguments.of("an empty wave", """
            fleets:
              saas:
                waves:
                  - { canary: true, environments: [a, b, c, d] }
                  - environments: []
            """, List.of("odoo-gitops.yaml:13: fleets.saas.waves.1.environments: is empty")),
        Arguments.of("a selector matching nothing", """
            fleets:
              saas:
                waves:
                  - { canary: true, environments: [a, b, c, d] }
                  - selector: { matchLabels: { tier: platinum } }
            """, List.of("odoo-gitops.yaml:13: fleets.saas.waves.1.selector: selects no environment")),
        Arguments.of("no canary first", """
            fleets:
              saas:
                waves:
                  - environments: [a, b, c, d]
            """, List.of("odoo-gitops.yaml:12: fleets.saas.waves.0: the first wave must be the canary")),
        Arguments.of("a second canary", """
            fleets:
              saas:
                waves:
                  - { canary: true, environments: [a] }
                  - { canary: true, environments: [b, c, d] }
            """, List.of("odoo-gitops.yaml:13: fleets.saas.waves.1.canary: only the first wave is the canary")),
        Arguments.of("duplicate wave names", """
            fleets:
              saas:
                waves:
                  - { name: one, canary: true, environments: [a] }
                  - { name: one, environments: [b, c, d] }
            """, List.of("odoo-gitops.yaml:13: fleets.saas.waves.1.name: duplicate wave name 'one'")),
        Arguments.of("a promoteFrom cycle with wave order", """
            fleets:
              saas:
                waves:
                  - { canary: true, environments: [d] }
                  - { environments: [staging, a, b, c] }
            """, List.of("odoo-gitops.yaml:12: fleets.saas.waves.0.environments.0: 'd' promotes from 'staging',"
                + " which is in the later wave 'wave-2'")),
        Arguments.of("a tenant in no wave", """
            fleets:
              saas:
                tenants:
                  - a
                  - b
                waves:
                  - { canary: true, environments: [a] }
            """, List.of("odoo-gitops.yaml:13: fleets.saas.tenants.1: 'b' is in no wave")),
        Arguments.of("bad wave settings", """
            fleets:
              saas:
                tenantTime: soon
                waves:
                  - canary: true
                    environments: [a, b, c, d]
                    maxParallel: 0
                    soak: -PT1H
                    gate: [freeze, votes]
            """, List.of("odoo-gitops.yaml:11: fleets.saas.tenantTime: 'soon' is not a duration",
                "odoo-gitops.yaml:15: fleets.saas.waves.0.maxParallel: must be 1 or more",
                "odoo-gitops.yaml:16: fleets.saas.waves.0.soak: must be 0 or more",
                "fleets.saas.waves.0.gate.0: freeze windows always apply",
                "fleets.saas.waves.0.gate.1: unknown gate rule 'votes'")),
        Arguments.of("bad selector expressions", """
            fleets:
              saas:
                waves:
                  - { canary: true, environments: [a] }
                  - selector:
                      matchExpressions:
                        - { key: tier, operator: Between, values: [a] }
                        - { key: tier, operator: In }
                  - { environments: [b, c, d] }
            """, List.of("odoo-gitops.yaml:15: fleets.saas.waves.1.selector.matchExpressions.0.operator: 'operator'"
                + " must be one of In, NotIn, Exists, DoesNotExist",
                "odoo-gitops.yaml:16: fleets.saas.waves.1.selector.matchExpressions.1: In needs 'values'")),
        Arguments.of("both a list and a selector", """
            fleets:
              saas:
                waves:
                  - canary: true
                    environments: [a, b, c, d]
                    selector: { matchLabels: { tier: gold } }
            """, List.of("odoo-gitops.yaml:12: fleets.saas.waves.0: sets both 'environments' and 'selector'")),
        Arguments.of("an unknown application", """
            fleets:
              saas:
                application: erp
                waves: [ { canary: true, environments: [a, b, c, d] } ]
            """, List.of("odoo-gitops.yaml:11: fleets.saas.application: 'erp' is not an application")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidFleetsAreReportedWithFileAndLine(String name, String yaml, List<String> expected) {
    assertThatThrownBy(() -> load(yaml)).isInstanceOf(ReleaseException.class)
        .satisfies(e -> assertThat(((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .satisfies(e -> expected.forEach(m -> assertThat(e.getMessage()).contains(m)));
  }

  @Test
  void badLabelsAreReportedAtTheirLine() {
    assertThatThrownBy(() -> ConfigLoader.load("""
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        environments:
          a:
            path: envs/a
            layout: kustomize
            labels:
              "bad key!": gold
              tier: "not ok"
        """.getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml"))
        .hasMessageContaining("odoo-gitops.yaml:8: environments.a.labels.bad key!: 'bad key!' is not a label key")
        .hasMessageContaining("odoo-gitops.yaml:9: environments.a.labels.tier: 'not ok' is not a label value");
  }

  @Test
  void humanDurationsAcceptIsoAndShortForms() {
    assertThat(HumanDuration.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(HumanDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(HumanDuration.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(HumanDuration.parse("pt45m")).isEqualTo(Duration.ofMinutes(45));
    assertThatThrownBy(() -> HumanDuration.parse("2 hours")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> HumanDuration.parse("PXT")).hasMessageContaining("not an ISO-8601 duration");
  }
}
