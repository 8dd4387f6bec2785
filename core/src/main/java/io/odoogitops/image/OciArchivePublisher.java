package io.odoogitops.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the image as an OCI image layout in a tar file (jib writes OCI layout when the format is OCI), for builds
 * without a target registry; {@code skopeo copy oci-archive:FILE docker://…} publishes it later with the same
 * digest.
 */
final class OciArchivePublisher {

  private OciArchivePublisher() {}

  static ImageBuild.Publication publish(JibContainerBuilder container, ImageTarget.OciArchive archive,
      ImageReference target, List<String> tags, ContainerizerSettings settings) {
    Path file = archive.file().toAbsolutePath();
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot create the directory of " + file + " (" + e.getMessage() + ")");
    }
    ImageReference named = ImageReference.of(target.getRegistry(), target.getRepository(), tags.get(0), null);
    Containerizer containerizer = settings.applyTo(Containerizer.to(TarImage.at(file).named(named)));
    JibContainer result = JibFailures.run(() -> settings.containerize(container, containerizer), "write " + file);
    return new ImageBuild.Publication(ImageDigest.parse(result.getDigest().toString(), "the digest jib wrote to " + file), tags);
  }
}
