package io.odoogitops.dryrun;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.CloneStrategy;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.dryrun.migrate.MigrationSettings;
import io.odoogitops.dryrun.neutralize.ModuleSources;
import io.odoogitops.dryrun.neutralize.Neutralizer;
import io.odoogitops.dryrun.plan.ImageModule;
import io.odoogitops.dryrun.upgrade.OdooUpgradePhase;
import io.odoogitops.dryrun.verdict.DryRunPolicy;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.Objects;

/**
 * Everything one dry-run needs. Built with {@link #builder()}: most fields have defaults and callers name the ones
 * they set.
 *
 * @param cloneTtl clones of this prefix older than this are considered left by crashed runs and swept
 * @param baseModules modules the base image provides; installed ones are planned as coming with the base image
 * @param odooSeries the image's Odoo series (e.g. {@code 17.0}); with {@code imageModules}, enables the upgrade plan
 * @param migrations Flyway's settings; {@code null} or no location: no Flyway run
 * @param upgradePhase runs {@code odoo -u} on the clone after the SQL migrations, measured; {@code null} skips that
 *     phase (and the verdict says so when the plan upgrades modules)
 * @param moduleSources where the release's module code is read for Odoo's own {@code data/neutralize.sql} files;
 *     {@code null} runs the built-in neutralization steps (see {@link Neutralizer#release})
 */
public record DryRunRequest(PgEndpoint source, CloneStrategy strategy, String clonePrefix, Duration cloneTtl,
    String runId, String imageRef, ImageDigest imageDigest, MigrationSettings migrations, List<Path> neutralizationScripts,
    DryRunPolicy policy, String odooSeries, List<ImageModule> imageModules, Set<String> baseModules,
    OdooUpgradePhase upgradePhase, Clock clock, ModuleSources moduleSources) {

  public DryRunRequest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(strategy, "strategy");
    // most Odoo releases have no SQL migrations: the Odoo upgrade alone is a dry-run too
    migrations = migrations == null ? MigrationSettings.none() : migrations;
    neutralizationScripts = List.copyOf(neutralizationScripts);
    imageModules = List.copyOf(imageModules);
    baseModules = Set.copyOf(baseModules == null ? Set.of() : baseModules);
    if (imageDigest == null) {
      // checked before cloning: a run whose verdict cannot be bound to an image is wasted
      throw ReleaseException.badInput("image digest '" + imageDigest + "' is not sha256:<64 hex>; a dry-run"
          + " verdict is bound to the exact image it ran for, never to a tag");
    }
    strategy.requireCloneable(source);
    if (!imageModules.isEmpty() && odooSeries == null) {
      throw ReleaseException.badInput("image modules were given without the Odoo series (e.g. 17.0) to plan with");
    }
    if (upgradePhase != null && upgradePhase.needsReachableClone()) {
      // Refused before cloning: finding out after a clone of production was made wastes the most expensive step.
      if (!strategy.reachableFromOtherHosts()) {
        throw ReleaseException.badInput("the odoo -u phase needs a clone its pod can reach, and the "
            + strategy.name() + " strategy's clones live on this machine only; use the template or dump strategy"
            + " on a staging server the cluster can reach, or run odoo -u on this machine with --odoo-bin");
      }
      if (imageRef == null || imageRef.isBlank()) {
        throw ReleaseException.badInput("the odoo -u phase needs the image reference (registry/repository[:tag]) to"
            + " run the image by its digest");
      }
    }
  }

  /**
   * The image by its digest, whatever tag the reference carried: the upgrade must run exactly the image the verdict
   * is bound to, and a tag can move meanwhile.
   */
  public String pinnedImage() {
    if (imageRef == null) {
      return null;
    }
    // The one grammar splits off tag and digest; a reference it refuses is refused where it is given.
    String repository = ImageRef.split(imageRef).map(ImageRef.Written::repository).orElseThrow(() ->
        ReleaseException.badInput("image '" + imageRef + "' is not an image reference; write"
            + " [registry[:port]/]repository[:tag][@sha256:<64 lowercase hex digits>]"));
    return repository + "@" + imageDigest;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with the defaults: prefix {@value CloneName#DEFAULT_PREFIX}, TTL 6 h, a random run id. */
  public static final class Builder {
    private PgEndpoint source;
    private CloneStrategy strategy;
    private String clonePrefix = CloneName.DEFAULT_PREFIX;
    private Duration cloneTtl = Duration.ofHours(6);
    private String runId = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    private String imageRef;
    private ImageDigest imageDigest;
    private MigrationSettings migrations;
    private final List<Path> neutralizationScripts = new ArrayList<>();
    private DryRunPolicy policy = DryRunPolicy.defaults();
    private String odooSeries;
    private final List<ImageModule> imageModules = new ArrayList<>();
    private final Set<String> baseModules = new java.util.TreeSet<>();
    private OdooUpgradePhase upgradePhase;
    private Clock clock = Clock.systemUTC();
    private ModuleSources moduleSources;

    public Builder source(PgEndpoint value) {
      this.source = value;
      return this;
    }

    public Builder strategy(CloneStrategy value) {
      this.strategy = value;
      return this;
    }

    public Builder clonePrefix(String value) {
      this.clonePrefix = value;
      return this;
    }

    public Builder cloneTtl(Duration value) {
      this.cloneTtl = value;
      return this;
    }

    public Builder runId(String value) {
      this.runId = value;
      return this;
    }

    public Builder image(String ref, ImageDigest digest) {
      this.imageRef = ref;
      this.imageDigest = digest;
      return this;
    }

    public Builder migrations(MigrationSettings value) {
      this.migrations = value;
      return this;
    }

    public Builder neutralizationScript(Path value) {
      this.neutralizationScripts.add(value);
      return this;
    }

    public Builder policy(DryRunPolicy value) {
      this.policy = value;
      return this;
    }

    public Builder odooModules(String series, List<ImageModule> modules) {
      this.odooSeries = series;
      this.imageModules.addAll(modules);
      return this;
    }

    /** Modules the base image provides (e.g. Odoo's own): installed ones are not reported missing from the image. */
    public Builder baseModules(java.util.Collection<String> names) {
      this.baseModules.addAll(names);
      return this;
    }

    /**
     * Runs {@code odoo -u} on the clone after the SQL migrations, measured, and feeds its outcome into the verdict:
     * {@link io.odoogitops.dryrun.upgrade.LocalOdooUpgrade} for a local {@code odoo-bin}, the cluster's Job, or a
     * container.
     */
    public Builder upgradePhase(OdooUpgradePhase value) {
      this.upgradePhase = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /** Where the release's module code is read for neutralization: addons directories and image archives. */
    public Builder moduleSources(ModuleSources value) {
      this.moduleSources = value;
      return this;
    }

    public DryRunRequest build() {
      return new DryRunRequest(source, strategy, clonePrefix, cloneTtl, runId, imageRef, imageDigest, migrations,
          neutralizationScripts, policy, odooSeries, imageModules, baseModules, upgradePhase, clock,
          moduleSources);
    }
  }
}
