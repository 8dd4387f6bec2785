package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An environment's own dry-run settings, for {@code fleet dry-run}: where tenants have their own databases, each
 * tenant's dry-run clones its own.
 *
 * @param source the database the environment's dry-runs clone, read only: a URL without credentials or parameters, a
 *     user, the password from a variable or a file of the machine that runs the dry-run (the same block as
 *     {@code restore.dump.database})
 */
public record DryRunSpec(@JsonProperty("source") RestoreSpec.Database source) {

  void validate(String at, ConfigProblems problems) {
    if (source == null) {
      problems.at(at, "'source' is required: { url: jdbc:postgresql://host:5432/odoo, user: …, passwordEnv: VAR }"
          + " (or passwordFile: /path), the database this environment's dry-runs clone");
      return;
    }
    source.validate(at + "/source", problems);
  }
}
