package io.odoogitops.odoo;

import java.util.Set;

/**
 * The modules the base image already ships (Odoo's own {@code base}, {@code web}, {@code sale}…), which the
 * addons directories may depend on without containing them.
 */
public sealed interface BaseModules {

  boolean provides(String module);

  /** Every dependency not found in the addons directories is taken to come from the base image. */
  static BaseModules assumeAnyMissing() {
    return new Any();
  }

  /** Exactly these modules come from the base image; any other missing dependency is an error. */
  static BaseModules exactly(Set<String> names) {
    return new Known(Set.copyOf(names));
  }

  record Any() implements BaseModules {
    @Override
    public boolean provides(String module) {
      return true;
    }
  }

  record Known(Set<String> names) implements BaseModules {
    @Override
    public boolean provides(String module) {
      return names.contains(module);
    }
  }
}
