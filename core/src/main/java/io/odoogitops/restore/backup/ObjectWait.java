package io.odoogitops.restore.backup;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.ClusterAccess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Creates an object and polls it until its controller says it is done, failed, or the time is up. Shared by the
 * CloudNativePG Backup and the VolumeSnapshot, whose controllers report in their status in different words.
 */
final class ObjectWait {

  /** What one look at the object's status says. */
  sealed interface State permits Pending, Done, Failed {}

  /** Still working; {@code phase} is shown in progress and in a timeout. */
  record Pending(String phase) implements State {}

  record Done(GenericKubernetesResource object) implements State {}

  record Failed(String reason) implements State {}

  private final ClusterAccess access;
  private final Clock clock;
  private final Duration pollInterval;
  private final Consumer<String> progress;

  ObjectWait(ClusterAccess access, Clock clock, Duration pollInterval, Consumer<String> progress) {
    this.access = access;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.progress = progress;
  }

  ClusterAccess access() {
    return access;
  }

  GenericKubernetesResource create(ResourceDefinitionContext type, String namespace, GenericKubernetesResource object,
      String what) {
    return access.call("create " + what, () -> access.client().genericKubernetesResources(type)
        .inNamespace(namespace).resource(object).create());
  }

  Optional<GenericKubernetesResource> get(ResourceDefinitionContext type, String namespace, String name,
      String what) {
    return Optional.ofNullable(access.repeatable("read " + what, () -> access.client()
        .genericKubernetesResources(type).inNamespace(namespace).withName(name).get()));
  }

  /** Polls until {@code look} says done (returned) or failed (thrown), or {@code timeout} passes (thrown). */
  GenericKubernetesResource await(ResourceDefinitionContext type, String namespace, String name, String what,
      Duration timeout, Function<GenericKubernetesResource, State> look) {
    Instant deadline = clock.instant().plus(timeout);
    String lastPhase = "not reported yet";
    while (true) {
      GenericKubernetesResource object = get(type, namespace, name, what).orElseThrow(() ->
          ReleaseException.infrastructure(what + " disappeared while it was awaited (deleted by someone or"
              + " something else); no restore point was recorded: take a new one", null));
      State state = look.apply(object);
      if (state instanceof Done) {
        return object;
      }
      if (state instanceof Failed failed) {
        throw ReleaseException.infrastructure(what + " failed: " + failed.reason()
            + "; no restore point was recorded", null);
      }
      String phase = ((Pending) state).phase();
      if (!phase.equals(lastPhase)) {
        progress.accept(what + ": " + phase);
        lastPhase = phase;
      }
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw ReleaseException.infrastructure(what + " did not complete within " + timeout + " (last phase: "
            + lastPhase + "); no restore point was recorded. The object is left in place, it may still complete:"
            + " look at it with kubectl, or raise the timeout and take a new point", null);
      }
      try {
        Thread.sleep(Math.max(1, Math.min(left.toMillis(), pollInterval.toMillis())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ReleaseException(ReleaseException.Kind.INFRASTRUCTURE, "interrupted while waiting for " + what);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> status(GenericKubernetesResource object) {
    Object status = object.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  static String text(Map<String, Object> map, String key) {
    Object value = map.get(key);
    return value == null ? null : String.valueOf(value);
  }

  static Instant instant(Map<String, Object> map, String key) {
    String value = text(map, key);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
