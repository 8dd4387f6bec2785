package io.odoogitops.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What every jib {@link Containerizer} of a build shares: caches, whether plain HTTP may be tried, whether
 * credentials may then travel over it, and where jib's warnings go. The tool name and version are part of the image
 * history, so they are fixed (see {@link ImageBuild#IMAGE_LAYOUT_VERSION}).
 *
 * @param credentialsOverHttp every registry of the build that has credentials is loopback or explicitly insecure
 */
record ContainerizerSettings(Optional<Path> cacheDirectory, boolean allowInsecure, boolean credentialsOverHttp,
    Consumer<String> progress) {

  /**
   * Settings for a build whose jib calls talk to {@code registries} (the base image's, and the target's unless the
   * image goes to an archive). jib's plain HTTP fallback is one switch for all registries of a build, so it is on
   * when any of them allows plain HTTP; credentials may then use it only when every registry that has credentials
   * allows plain HTTP itself (loopback, or explicitly insecure).
   */
  static ContainerizerSettings forRegistries(Optional<Path> cacheDirectory, List<RegistryAccess> registries,
      Consumer<String> progress) {
    return new ContainerizerSettings(cacheDirectory,
        registries.stream().anyMatch(RegistryAccess::insecureAllowed),
        registries.stream().filter(access -> access.credentials().isPresent())
            .allMatch(RegistryAccess::insecureAllowed),
        progress);
  }

  Containerizer applyTo(Containerizer containerizer) {
    containerizer.setToolName("odoo-gitops")
        .setToolVersion(ImageBuild.IMAGE_LAYOUT_VERSION)
        .setAllowInsecureRegistries(allowInsecure)
        .addEventHandler(LogEvent.class, this::log);
    cacheDirectory.ifPresent(dir -> containerizer
        .setBaseImageLayersCache(dir.resolve("base"))
        .setApplicationLayersCache(dir.resolve("layers")));
    return containerizer;
  }

  /** Runs jib on {@code containerizer} (set up by {@link #applyTo}). */
  JibContainer containerize(JibContainerBuilder container, Containerizer containerizer) throws Exception {
    if (!allowInsecure) {
      return container.containerize(containerizer); // HTTPS only: nothing is ever sent over plain HTTP
    }
    return PlainHttpCredentials.scoped(credentialsOverHttp, () -> container.containerize(containerizer));
  }

  private void log(LogEvent event) {
    // jib cannot know that an archive base is pinned by its config digest (recorded in the image's labels).
    if (event.getMessage().contains("does not use a specific image digest")) {
      return;
    }
    if (event.getLevel() == LogEvent.Level.WARN || event.getLevel() == LogEvent.Level.ERROR) {
      progress.accept("jib: " + event.getMessage());
    }
  }
}
