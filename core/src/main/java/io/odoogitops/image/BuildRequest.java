package io.odoogitops.image;

import io.odoogitops.ReleaseException;
import io.odoogitops.odoo.BaseModules;
import io.odoogitops.odoo.ChecksumRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** Everything one image build needs; built with {@link #builder()}. */
public record BuildRequest(
    List<Path> addonsDirs,
    String baseImage,
    String image,
    List<String> tags,
    ImageTarget target,
    boolean strictBase,
    Optional<String> revision,
    Optional<String> source,
    boolean insecureRegistry,
    Optional<RegistryCredentials> registryCredentials,
    Optional<RegistryCredentials> baseCredentials,
    BaseModules baseModules,
    ChecksumRules checksumRules,
    OdooConfig odooConfig,
    Optional<Path> cacheDirectory,
    int maxModuleLayers,
    Consumer<String> progress) {

  public BuildRequest {
    addonsDirs = List.copyOf(addonsDirs);
    tags = List.copyOf(tags);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects the options; {@link #build()} checks the required ones. */
  public static final class Builder {
    private final List<Path> addonsDirs = new ArrayList<>();
    private String baseImage;
    private String image;
    private final List<String> tags = new ArrayList<>();
    private ImageTarget target = new ImageTarget.Registry();
    private boolean strictBase;
    private String revision;
    private String source;
    private boolean insecureRegistry;
    private RegistryCredentials registryCredentials;
    private RegistryCredentials baseCredentials;
    private BaseModules baseModules = BaseModules.assumeAnyMissing();
    private ChecksumRules checksumRules = ChecksumRules.moduleAutoUpdateDefaults();
    private OdooConfig odooConfig = OdooConfig.officialImageDefaults();
    private Path cacheDirectory;
    private int maxModuleLayers = LayerPlan.DEFAULT_MAX_MODULE_LAYERS;
    private Consumer<String> progress = line -> { };

    public Builder addonsDirs(List<Path> dirs) {
      addonsDirs.addAll(dirs);
      return this;
    }

    public Builder addonsDir(Path dir) {
      addonsDirs.add(dir);
      return this;
    }

    /**
     * {@code name:tag} (resolved to a digest once), {@code name@sha256:…}, or {@code docker-archive:PATH} for a
     * local {@code docker save} archive (see {@link BaseArchive}).
     */
    public Builder baseImage(String reference) {
      this.baseImage = reference;
      return this;
    }

    /** The repository to build, without tag: {@code registry.example.com/acme/odoo}. */
    public Builder image(String repository) {
      this.image = repository;
      return this;
    }

    /** Tags to write; none means {@code <odoo-series>-<short revision>}. {@code latest} only when listed here. */
    public Builder tags(List<String> values) {
      tags.addAll(values);
      return this;
    }

    public Builder tag(String value) {
      tags.add(value);
      return this;
    }

    public Builder target(ImageTarget value) {
      this.target = Objects.requireNonNull(value);
      return this;
    }

    /** Refuse a base image that is not pinned by digest. */
    public Builder strictBase(boolean value) {
      this.strictBase = value;
      return this;
    }

    /** The source revision (commit id); read from the first addons directory's git repository when not given. */
    public Builder revision(String value) {
      this.revision = value;
      return this;
    }

    /** The source repository URL; read from the git remote {@code origin} when not given. */
    public Builder source(String value) {
      this.source = value;
      return this;
    }

    /** Allow plain HTTP to a non-loopback registry. */
    public Builder insecureRegistry(boolean value) {
      this.insecureRegistry = value;
      return this;
    }

    public Builder registryCredentials(RegistryCredentials value) {
      this.registryCredentials = value;
      return this;
    }

    /** Credentials for the base image's registry when it is not the target registry. */
    public Builder baseCredentials(RegistryCredentials value) {
      this.baseCredentials = value;
      return this;
    }

    public Builder baseModules(BaseModules value) {
      this.baseModules = Objects.requireNonNull(value);
      return this;
    }

    public Builder checksumRules(ChecksumRules value) {
      this.checksumRules = Objects.requireNonNull(value);
      return this;
    }

    public Builder odooConfig(OdooConfig value) {
      this.odooConfig = Objects.requireNonNull(value);
      return this;
    }

    /** Where jib keeps base and application layers between builds (unchanged layers are not rebuilt). */
    public Builder cacheDirectory(Path value) {
      this.cacheDirectory = value;
      return this;
    }

    /**
     * At most this many module layers (default 100); above it modules share layers by name hash, keeping the image
     * under Docker's 128-layer limit while a change still touches one layer.
     */
    public Builder maxModuleLayers(int value) {
      if (value < 1) {
        throw ReleaseException.badInput("the maximum number of module layers must be at least 1, not " + value);
      }
      this.maxModuleLayers = value;
      return this;
    }

    /** Receives one human-readable line per step. */
    public Builder progress(Consumer<String> value) {
      this.progress = Objects.requireNonNull(value);
      return this;
    }

    public BuildRequest build() {
      if (addonsDirs.isEmpty()) {
        throw ReleaseException.badInput("no addons directory given; pass at least one (--addons DIR)");
      }
      if (baseImage == null || baseImage.isBlank()) {
        throw ReleaseException.badInput("no base image given; pass e.g. --base odoo:17.0");
      }
      if (image == null || image.isBlank()) {
        throw ReleaseException.badInput("no image name given; pass e.g. --image registry.example.com/acme/odoo");
      }
      return new BuildRequest(addonsDirs, baseImage, image, tags, target, strictBase, Optional.ofNullable(revision),
          Optional.ofNullable(source), insecureRegistry, Optional.ofNullable(registryCredentials),
          Optional.ofNullable(baseCredentials), baseModules, checksumRules, odooConfig,
          Optional.ofNullable(cacheDirectory), maxModuleLayers, progress);
    }
  }
}
