package io.odoogitops.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Pushes to a registry without ever moving a tag. Before anything is uploaded, every requested tag is looked up:
 * <ul>
 *   <li>no tag exists: jib pushes the layers the registry lacks (so an incremental build uploads only the changed
 *       modules' layers) and writes the tags;</li>
 *   <li>tags already point at digest D: jib pushes the image <em>by digest D</em> and writes no tag. The registry
 *       accepts that manifest only if its content hashes to D, i.e. only if this build is that very image; then
 *       the missing tags are pointed at D (a no-op when none is missing). Otherwise the build is refused and no tag
 *       has moved;</li>
 *   <li>the tags point at different digests: refused before uploading anything.</li>
 * </ul>
 * Afterwards every tag is read back, which also catches a concurrent push of the same tag.
 */
final class RegistryPublisher {

  private final RegistryApi api;
  private final RegistryAccess access;
  private final ImageReference target;
  private final Consumer<String> progress;

  RegistryPublisher(RegistryAccess access, ImageReference target, Consumer<String> progress) {
    this.api = new RegistryApi(access);
    this.access = access;
    this.target = target;
    this.progress = progress;
  }

  ImageBuild.Publication publish(JibContainerBuilder container, List<String> tags, ContainerizerSettings settings) {
    String repository = target.getRepository();
    Map<String, String> existing = new LinkedHashMap<>();
    for (String tag : tags) {
      api.digestOf(repository, tag).ifPresent(digest -> existing.put(tag, digest));
    }
    TreeSet<String> existingDigests = new TreeSet<>(existing.values());
    if (existingDigests.size() > 1) {
      throw ReleaseException.refused("the requested tags already point at different images: "
          + describe(existing) + "; a tag is never moved, so build under new tags");
    }
    String digest;
    List<String> created = new ArrayList<>();
    if (existingDigests.isEmpty()) {
      ImageReference first = ImageReference.of(target.getRegistry(), repository, tags.get(0), null);
      Containerizer containerizer = settings.applyTo(Containerizer.to(
          ImageBuild.withCredentials(RegistryImage.named(first), access)));
      tags.stream().skip(1).forEach(containerizer::withAdditionalTag);
      progress.accept("pushing " + ImageName.repositoryOf(target) + " with tags " + String.join(", ", tags));
      JibContainer pushed = JibFailures.run(() -> settings.containerize(container, containerizer),
          "push to " + ImageName.repositoryOf(target));
      digest = pushed.getDigest().toString();
      created.addAll(tags);
    } else {
      digest = existingDigests.first();
      progress.accept("tags " + String.join(", ", existing.keySet()) + " already exist at " + digest
          + "; checking that this build is the same image");
      pushByDigest(container, digest, existing, settings);
      for (String tag : tags) {
        if (!existing.containsKey(tag)) {
          api.putManifest(repository, tag, api.manifest(repository, digest));
          created.add(tag);
        }
      }
    }
    verify(tags, digest);
    return new ImageBuild.Publication(ImageDigest.parse(digest, "the digest the registry answered for " + ImageName.repositoryOf(target)), created);
  }

  private void pushByDigest(JibContainerBuilder container, String digest,
      Map<String, String> existing, ContainerizerSettings settings) {
    ImageReference byDigest = ImageReference.of(target.getRegistry(), target.getRepository(), null, digest);
    Containerizer containerizer = settings.applyTo(Containerizer.to(
        ImageBuild.withCredentials(RegistryImage.named(byDigest), access)));
    try {
      JibContainer pushed = settings.containerize(container, containerizer);
      if (!pushed.getDigest().toString().equals(digest)) {
        throw collision(existing, pushed.getDigest().toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ReleaseException.infrastructure("interrupted while pushing to " + ImageName.repositoryOf(target), e);
    } catch (ReleaseException e) {
      throw e;
    } catch (Exception e) {
      if (isDigestMismatch(e)) {
        throw collision(existing, null);
      }
      throw JibFailures.translate(e, "push to " + ImageName.repositoryOf(target));
    }
  }

  /** The registry refuses a manifest put under a digest its content does not hash to (DIGEST_INVALID, 400). */
  private static boolean isDigestMismatch(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.contains("DIGEST_INVALID") || message.contains("digest invalid")) {
        return true;
      }
    }
    return false;
  }

  private ReleaseException collision(Map<String, String> existing, String built) {
    return ReleaseException.refused("tag collision in " + ImageName.repositoryOf(target) + ": "
        + describe(existing) + ", but this build is a different image"
        + (built == null ? "" : " (" + built + ")")
        + "; tags are immutable, so nothing was tagged. Build from a new revision or choose a new --tag");
  }

  private void verify(List<String> tags, String digest) {
    for (String tag : tags) {
      Optional<String> now = api.digestOf(target.getRepository(), tag);
      if (now.isEmpty() || !now.get().equals(digest)) {
        throw ReleaseException.infrastructure("after pushing, " + ImageName.repositoryOf(target) + ":" + tag
            + " points at " + now.orElse("nothing") + " instead of " + digest
            + "; another push may have raced this one. Inspect the registry before promoting", null);
      }
    }
  }

  private static String describe(Map<String, String> existing) {
    return existing.entrySet().stream().map(e -> e.getKey() + " -> " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
