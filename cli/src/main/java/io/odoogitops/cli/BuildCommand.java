package io.odoogitops.cli;

import io.odoogitops.image.BuildRequest;
import io.odoogitops.image.BuildResult;
import io.odoogitops.image.ImageBuild;
import io.odoogitops.image.ImageTarget;
import io.odoogitops.image.RegistryCredentials;
import io.odoogitops.odoo.BaseModules;
import io.odoogitops.odoo.ModuleDiscovery;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code odoo-gitops build}: the immutable Odoo image of a release, from its addons directories. */
@Command(
    name = "build",
    description = {
        "Builds the Odoo image of a release: one layer per module (dependencies first) under /opt/odoo/addons,",
        "a generated odoo.conf, the base pinned by digest, provenance labels. Same inputs, same digest.",
        "Existing tags are never moved: a tag already pointing at another image is refused (exit 1)."},
    footer = {
        "%nCredentials for the target registry are read from the environment variables named by",
        "--registry-username-env / --registry-password-env, or from --registry-password-file; never from argv.",
        "%nExample:%n  odoo-gitops build --addons addons --base odoo:17.0 --image registry.example.com/acme/odoo",
        "%nWithout any registry (air-gapped):%n  odoo-gitops build --addons addons --base docker-archive:odoo-17.tar "
            + "--image acme/odoo --to oci:odoo.tar"})
public final class BuildCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin OutputOptions output;

  /** Where --registry-username-env is looked up: the run's environment, given by {@link Main}. */
  private final Map<String, String> environment;

  BuildCommand() {
    this(System.getenv());
  }

  BuildCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Option(names = "--addons", paramLabel = "DIR", arity = "1..*", required = true,
      description = "Addons directories (each holds one subdirectory per module).")
  List<Path> addons = new ArrayList<>();

  @Option(names = "--base", paramLabel = "REF", required = true,
      description = "Base image: name:tag (resolved to its digest once), name@sha256:…, or a local archive "
          + "docker-archive:PATH (docker save format; oci-archive:PATH if it also holds docker save's manifest).")
  String base;

  @Option(names = "--image", paramLabel = "NAME", required = true,
      description = "Repository to build, without tag, e.g. registry.example.com/acme/odoo.")
  String image;

  @Option(names = "--tag", paramLabel = "T",
      description = "Tag to write (repeatable). Default: <odoo-series>-<short revision>. 'latest' only if given.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--to", paramLabel = "registry|oci:PATH", defaultValue = "registry",
      description = "Output: the registry of --image, or an OCI archive file (default: ${DEFAULT-VALUE}).")
  String to;

  @Option(names = "--strict-base",
      description = "Refuse a registry base image not pinned by digest (an archive base is content-addressed).")
  boolean strictBase;

  @Option(names = "--revision", paramLabel = "SHA",
      description = "Source revision (default: HEAD of the git checkout holding the first addons directory).")
  String revision;

  @Option(names = "--source", paramLabel = "URL",
      description = "Source repository URL for the labels (default: the checkout's 'origin', without user info).")
  String source;

  @Option(names = "--insecure-registry",
      description = "Allow plain HTTP to a registry that is not on loopback (loopback always may).")
  boolean insecureRegistry;

  @Option(names = "--base-module", paramLabel = "NAME", split = ",",
      description = "Modules the base image provides (repeatable or comma-separated). When given, any other "
          + "missing dependency is an error; when not, dependencies outside the addons are taken from the base.")
  List<String> baseModuleNames = new ArrayList<>();

  @Option(names = "--base-addons", paramLabel = "DIR", arity = "1..*",
      description = "Addons directories of the base image (e.g. an Odoo source checkout's addons), read for "
          + "module names only; implies the strict dependency check of --base-module.")
  List<Path> baseAddons = new ArrayList<>();

  @Option(names = "--registry-username-env", paramLabel = "VAR", defaultValue = "ODOO_GITOPS_REGISTRY_USERNAME",
      description = "Environment variable holding the registry user (default: ${DEFAULT-VALUE}).")
  String usernameVariable;

  @Mixin SecretOptions password = new SecretOptions("--registry-password", "registry password or token",
      "ODOO_GITOPS_REGISTRY_PASSWORD");

  @Option(names = "--max-module-layers", paramLabel = "N", defaultValue = "100",
      description = "Above N modules, modules share layers (by name hash) to stay under Docker's 128-layer limit; "
          + "1 puts all modules in one layer (default: ${DEFAULT-VALUE}).")
  int maxModuleLayers;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Keeps built layers between runs, so unchanged modules are not re-compressed.")
  Path cacheDir;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    BuildRequest.Builder request = BuildRequest.builder()
        .addonsDirs(addons)
        .baseImage(base)
        .image(image)
        .tags(tags)
        .target(ImageTarget.parse(to))
        .strictBase(strictBase)
        .revision(revision)
        .source(source)
        .insecureRegistry(insecureRegistry)
        .baseModules(baseModules())
        .cacheDirectory(cacheDir)
        .maxModuleLayers(maxModuleLayers)
        .progress(line -> {
          err.println(line);
          err.flush();
        });
    credentials().ifPresent(request::registryCredentials);
    BuildResult result = ImageBuild.run(request.build());
    output.print(spec.commandLine().getOut(), result, text(result));
    return 0;
  }

  private BaseModules baseModules() {
    if (baseModuleNames.isEmpty() && baseAddons.isEmpty()) {
      return BaseModules.assumeAnyMissing();
    }
    Set<String> names = new LinkedHashSet<>(baseModuleNames);
    names.addAll(ModuleDiscovery.namesIn(baseAddons));
    return BaseModules.exactly(names);
  }

  private Optional<RegistryCredentials> credentials() {
    Optional<String> password = this.password.value();
    Optional<String> username = Optional.ofNullable(environment.get(usernameVariable)).filter(u -> !u.isEmpty());
    if (password.isPresent() && username.isEmpty()) {
      throw io.odoogitops.ReleaseException.badInput("a registry password is set but no user: set the environment "
          + "variable " + usernameVariable);
    }
    return password.map(p -> new RegistryCredentials(username.get(), p));
  }

  private static String text(BuildResult result) {
    StringBuilder text = new StringBuilder("built ").append(result.pinnedReference()).append('\n');
    for (String tag : result.tags()) {
      text.append("  tag ").append(tag).append(result.createdTags().contains(tag) ? " (new)" : " (already there)")
          .append('\n');
    }
    text.append("  output ").append(result.target()).append('\n');
    text.append("  base ").append(result.baseImage()).append(" @ ").append(result.baseDigest()).append('\n');
    text.append("  modules (").append(result.modules().size()).append(", layer order): ")
        .append(result.modules().stream().map(m -> m.name() + " " + m.version())
            .collect(Collectors.joining(", ")));
    if (!result.modulesFromBase().isEmpty()) {
      text.append("\n  from the base image: ").append(String.join(", ", result.modulesFromBase()));
    }
    return text.toString();
  }
}
