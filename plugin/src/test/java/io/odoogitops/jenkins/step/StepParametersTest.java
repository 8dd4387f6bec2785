package io.odoogitops.jenkins.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.jenkins.dryrun.OdooDryRunStep;
import io.odoogitops.jenkins.freeze.OdooFreezeStatusStep;
import io.odoogitops.jenkins.gate.OdooGateStep;
import io.odoogitops.jenkins.image.OdooBuildImageStep;
import io.odoogitops.jenkins.promote.OdooPromoteStep;
import io.odoogitops.jenkins.rollback.OdooRollbackStep;
import io.odoogitops.jenkins.verify.OdooVerifyStep;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The parameters users' Jenkinsfiles name, per step: each is still bound under its name ({@code @DataBoundConstructor}
 * in order, or a {@code @DataBoundSetter}) and reads back through its getter, which is what the Snippet Generator,
 * {@code DescribableModel} and Blue Ocean's editor need to write a configured step back out. Runs without Jenkins
 * (reflection only); StepRoundTripTest does the same through Jenkins' own {@code DescribableModel} and Snippetizer.
 * A step may gain parameters; it may not lose or rename these.
 */
class StepParametersTest {

  record Contract(Class<? extends Step> step, List<String> required, List<String> optional) {
    @Override
    public String toString() {
      return step.getSimpleName();
    }
  }

  static Stream<Contract> steps() {
    return Stream.of(
        new Contract(OdooBuildImageStep.class, List.of("image", "base"),
            List.of("addons", "tags", "output", "strictBase", "insecureRegistry")),
        new Contract(OdooDryRunStep.class, List.of("image"), List.of("migrations", "strategy", "containerImage",
            "neutralizeSql", "largeTableRows", "sourceDatabaseUrl", "stagingAdminDatabase", "reportDir", "maxDuration",
            "maxAccessExclusive", "forbid", "upgradeContainer", "imageArchive", "odooTimeout", "odooBin", "odooArgs",
            "requireOdooUpgrade", "maxRowsRewritten", "maxWriteBlocking", "lockSampleInterval", "requireRollbackSafe",
            "failOnVerdict")),
        new Contract(OdooGateStep.class, List.of("environment", "application", "image"),
            List.of("dryRunReport", "sourceAuthor", "overrideJustification", "timeoutMinutes")),
        new Contract(OdooPromoteStep.class, List.of("environment", "application", "image"),
            List.of("promotionId", "reason", "sourceRevision")),
        new Contract(OdooRollbackStep.class, List.of("environment", "application"),
            List.of("to", "reason", "promotionId", "imageOnly", "justification", "restoredDatabase")),
        new Contract(OdooFreezeStatusStep.class, List.of("environment"), List.of()),
        new Contract(OdooVerifyStep.class, List.of("environment", "application", "commit"),
            List.of("digest", "autoRollback", "timeoutMinutes")));
  }

  @TestFactory
  Stream<DynamicTest> requiredParametersAreTheDataBoundConstructorsAndReadBack() {
    return steps().map(contract -> DynamicTest.dynamicTest(contract.toString(), () -> required(contract)));
  }

  @TestFactory
  Stream<DynamicTest> optionalParametersAreDataBoundSettersAndReadBack() {
    return steps().map(contract -> DynamicTest.dynamicTest(contract.toString(), () -> optional(contract)));
  }

  private static void required(Contract contract) throws Exception {
    Constructor<?> constructor = dataBoundConstructor(contract.step());
    assertThat(constructor.getParameterTypes()).as("constructor of %s", contract)
        .containsOnly(String.class).hasSize(contract.required().size());
    Object[] values = contract.required().stream().map(name -> "  value-of-" + name + " ").toArray();
    Object step = constructor.newInstance(values);
    for (String name : contract.required()) {
      assertThat(getter(contract.step(), name).invoke(step)).as("%s.%s", contract, name)
          .isEqualTo("value-of-" + name);
    }
    Object blank = constructor.newInstance(contract.required().stream().map(name -> " ").toArray());
    for (String name : contract.required()) {
      assertThat(getter(contract.step(), name).invoke(blank)).as("blank %s.%s is none", contract, name).isNull();
    }
  }

  private static void optional(Contract contract) throws Exception {
    Object step = dataBoundConstructor(contract.step())
        .newInstance(contract.required().stream().map(name -> "x").toArray());
    for (String name : contract.optional()) {
      Method setter = Arrays.stream(contract.step().getMethods())
          .filter(m -> m.getName().equals("set" + capitalized(name)) && m.getParameterCount() == 1)
          .findFirst().orElseThrow(() -> new AssertionError(contract + " has no setter for '" + name + "'"));
      assertThat(setter.isAnnotationPresent(DataBoundSetter.class)).as("%s.%s is @DataBoundSetter", contract, name)
          .isTrue();
      Object value = sample(setter.getParameterTypes()[0]);
      setter.invoke(step, value);
      assertThat(getter(contract.step(), name).invoke(step)).as("%s.%s reads back", contract, name)
          .isEqualTo(value);
    }
  }

  private static Constructor<?> dataBoundConstructor(Class<?> step) {
    assertThat(Modifier.isAbstract(step.getModifiers())).isFalse();
    return Arrays.stream(step.getConstructors()).filter(c -> c.isAnnotationPresent(DataBoundConstructor.class))
        .findFirst().orElseThrow(() -> new AssertionError(step + " has no @DataBoundConstructor"));
  }

  private static Method getter(Class<?> step, String name) throws NoSuchMethodException {
    try {
      return step.getMethod("get" + capitalized(name));
    } catch (NoSuchMethodException e) {
      Method is = step.getMethod("is" + capitalized(name));
      assertThat(is.getReturnType()).isEqualTo(boolean.class);
      return is;
    }
  }

  private static String capitalized(String name) {
    return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
  }

  /** A value no setter turns into its default. */
  private static Object sample(Class<?> type) {
    if (type == String.class) {
      return "sample";
    }
    if (type == boolean.class) {
      return true;
    }
    if (type == Boolean.class) {
      return Boolean.FALSE;
    }
    if (type == int.class) {
      return 7;
    }
    throw new AssertionError("no sample value for " + type);
  }
}
