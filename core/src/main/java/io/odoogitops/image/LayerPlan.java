package io.odoogitops.image;

import io.odoogitops.odoo.OdooModule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which modules go into which layer. Normally one layer per module, in dependency order. Docker's overlay storage
 * stacks at most 128 layers, though, so above {@code maxLayers} modules share layers: each module goes to the bucket
 * its name hashes to. Hashing, unlike cutting the ordered list into slices, keeps a change local: adding, removing or
 * changing one module changes one layer only.
 */
record LayerPlan(List<Layer> layers) {

  /** Leaves room for the base image's layers and the odoo.conf layer under Docker's limit of 128. */
  static final int DEFAULT_MAX_MODULE_LAYERS = 100;

  /** One layer: its name and its modules in dependency order. */
  record Layer(String name, List<OdooModule> modules) {
    Layer {
      modules = List.copyOf(modules);
    }
  }

  LayerPlan {
    layers = List.copyOf(layers);
  }

  static LayerPlan of(List<OdooModule> inDependencyOrder, int maxLayers) {
    if (maxLayers < 1) {
      throw new IllegalArgumentException("maxLayers must be positive: " + maxLayers);
    }
    if (inDependencyOrder.size() <= maxLayers) {
      return new LayerPlan(inDependencyOrder.stream().map(m -> new Layer(m.name(), List.of(m))).toList());
    }
    Map<Integer, List<OdooModule>> buckets = new TreeMap<>();
    for (OdooModule module : inDependencyOrder) {
      buckets.computeIfAbsent(bucketOf(module.name(), maxLayers), b -> new ArrayList<>()).add(module);
    }
    List<Layer> layers = new ArrayList<>();
    buckets.forEach((bucket, modules) -> layers.add(new Layer(String.format("modules-%03d", bucket), modules)));
    return new LayerPlan(layers);
  }

  private static int bucketOf(String name, int buckets) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      int value = ((hash[0] & 0xff) << 24) | ((hash[1] & 0xff) << 16) | ((hash[2] & 0xff) << 8) | (hash[3] & 0xff);
      return Math.floorMod(value, buckets);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
