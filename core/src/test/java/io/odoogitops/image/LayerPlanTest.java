package io.odoogitops.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.odoo.Manifest;
import io.odoogitops.odoo.OdooModule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LayerPlanTest {

  @Test
  void givesEachModuleItsOwnLayerInDependencyOrderUpToTheLimit() {
    List<OdooModule> modules = modules(3);

    LayerPlan plan = LayerPlan.of(modules, 3);

    assertThat(plan.layers()).extracting(LayerPlan.Layer::name).containsExactly("m000", "m001", "m002");
  }

  @Test
  void aboveTheLimitModulesShareLayersAndOneNewModuleChangesOneLayer() {
    List<OdooModule> modules = modules(250);

    LayerPlan plan = LayerPlan.of(modules, 100);

    assertThat(plan.layers()).hasSizeLessThanOrEqualTo(100);
    assertThat(plan.layers().stream().mapToInt(l -> l.modules().size()).sum()).isEqualTo(250);
    assertThat(plan).isEqualTo(LayerPlan.of(modules, 100));
    plan.layers().forEach(layer -> assertThat(layer.modules())
        .as("dependency order kept inside a layer").isSortedAccordingTo((a, b) ->
            Integer.compare(modules.indexOf(a), modules.indexOf(b))));

    List<OdooModule> plusOne = new ArrayList<>(modules);
    plusOne.add(module("zz_new"));
    List<LayerPlan.Layer> changed = new ArrayList<>(LayerPlan.of(plusOne, 100).layers());
    changed.removeAll(plan.layers());
    assertThat(changed).hasSize(1);
    assertThat(changed.get(0).modules()).extracting(OdooModule::name).contains("zz_new");
  }

  private static List<OdooModule> modules(int count) {
    return IntStream.range(0, count).mapToObj(i -> module(String.format("m%03d", i))).toList();
  }

  private static OdooModule module(String name) {
    return new OdooModule(name, Path.of("/addons", name), Manifest.parse(name, "{}"), "0".repeat(40));
  }
}
