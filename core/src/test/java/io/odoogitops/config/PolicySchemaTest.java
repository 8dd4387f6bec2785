package io.odoogitops.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Keeps docs/policy.schema.json in step with the records Jackson binds: same keys, no more, no fewer. */
class PolicySchemaTest {

  private static final Path SCHEMA = Path.of("..", "docs", "policy.schema.json");

  static Stream<Arguments> definitions() {
    return Stream.of(
        Arguments.of("gate", GateSpec.class),
        Arguments.of("override", OverrideSpec.class),
        Arguments.of("calendar", CalendarSpec.class),
        Arguments.of("freeze", FreezeSpec.class),
        Arguments.of("close", FreezeSpec.CloseSpec.class),
        Arguments.of("invoicingRun", FreezeSpec.InvoicingRunSpec.class),
        Arguments.of("allowOnly", FreezeSpec.AllowOnlySpec.class),
        Arguments.of("fleet", FleetSpec.class),
        Arguments.of("wave", WaveSpec.class),
        Arguments.of("selector", SelectorSpec.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("definitions")
  void schemaDefinitionHasExactlyTheBoundKeys(String definition, Class<? extends Record> record) throws Exception {
    JsonNode schema = new ObjectMapper().readTree(Files.readString(SCHEMA));

    Set<String> schemaKeys = new HashSet<>();
    schema.path("$defs").path(definition).path("properties").fieldNames().forEachRemaining(schemaKeys::add);
    Set<String> boundKeys = new HashSet<>();
    Arrays.stream(record.getRecordComponents())
        .map(c -> c.getAccessor().getAnnotation(JsonProperty.class))
        .filter(a -> a != null)
        .forEach(a -> boundKeys.add(a.value()));

    assertThat(schemaKeys).isEqualTo(boundKeys);
  }

  @Test
  void documentedDefaultsAreTheRecordDefaults() throws Exception {
    JsonNode defs = new ObjectMapper().readTree(Files.readString(SCHEMA)).path("$defs");
    GateSpec gate = new GateSpec(null, null, null, null, null);
    OverrideSpec override = new OverrideSpec(null, null, null, null);

    assertThat(Duration.parse(defs.at("/gate/properties/approvalTtl/default").asText()))
        .isEqualTo(gate.approvalTtl());
    assertThat(defs.at("/gate/properties/fourEyes/default").asBoolean()).isEqualTo(gate.fourEyes());
    assertThat(defs.at("/override/properties/approvals/default").asInt()).isEqualTo(override.approvals());
    assertThat(defs.at("/override/properties/minJustificationLength/default").asInt())
        .isEqualTo(override.minJustificationLength());
    assertThat(defs.at("/freeze/properties/start/default").asText())
        .isEqualTo(FreezeSpec.DEFAULT_RRULE_START.toString());
  }
}
