package io.odoogitops.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.LogEvent;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What every jib {@link Containerizer} of a build shares: caches, whether plain HTTP may be tried, and where jib's
 * warnings go. The tool name and version are part of the image history, so they are fixed (see
 * {@link ImageBuild#IMAGE_LAYOUT_VERSION}).
 */
record ContainerizerSettings(Optional<Path> cacheDirectory, boolean allowInsecure, Consumer<String> progress) {

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

  private void log(LogEvent event) {
    if (event.getLevel() == LogEvent.Level.WARN || event.getLevel() == LogEvent.Level.ERROR) {
      progress.accept("jib: " + event.getMessage());
    }
  }
}
