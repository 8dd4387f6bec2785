package io.odoogitops.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The tools a test class or method needs, checked before any {@code @BeforeAll} runs. A class skipped from its
 * {@code @BeforeAll} is reported by Maven as "Tests run: 0" with no reason; a class disabled here is reported with
 * every test counted as skipped, and {@link Prerequisites} prints one line per missing tool. With {@code CI=true} a
 * missing tool fails the class instead.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Requires.Condition.class)
public @interface Requires {

  Prerequisites.Tool[] value();

  /** Evaluates {@link Requires} on the class or method at hand. */
  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      Requires requires = AnnotationSupport.findAnnotation(context.getElement(), Requires.class).orElse(null);
      if (requires == null) {
        return ConditionEvaluationResult.enabled("no tools required");
      }
      List<Prerequisites.Tool> missing = Prerequisites.missing(requires.value(), System.getenv());
      if (missing.isEmpty()) {
        return ConditionEvaluationResult.enabled("every required tool is installed");
      }
      if (Prerequisites.inCi()) {
        throw new AssertionError(Prerequisites.missingInCi(missing));
      }
      missing.forEach(Prerequisites::announce);
      return ConditionEvaluationResult.disabled(String.join("; ",
          missing.stream().map(Prerequisites::skipped).toList()));
    }
  }
}
