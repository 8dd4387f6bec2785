package io.odoogitops.gitops.manifest;

import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ApplicationSpec;
import io.odoogitops.config.YamlText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The part every layout shares: find exactly one place naming the application, edit it surgically, then re-read the
 * edited file to prove it now says what was intended before anything is committed.
 */
abstract class YamlImageEditor implements ManifestEditor {

  /** One place in one file where the application's image is named. */
  interface Site {
    DeployedImage read();

    void write(ImageRef image);
  }

  /** Every site in {@code source} naming the application. */
  abstract List<Site> locate(YamlSource source, ApplicationSpec app);

  /** What was looked for, for "not found" messages. */
  abstract String describeTarget(ApplicationSpec app);

  @Override
  public DeployedImage current(ManifestSet manifests, ApplicationSpec app) {
    return only(manifests, app).site().read();
  }

  @Override
  public Map<String, byte[]> apply(ManifestSet manifests, ApplicationSpec app, ImageRef image) {
    Located located = only(manifests, app);
    located.site().write(image);
    if (!located.source().changed()) {
      return Map.of();
    }
    String edited = located.source().result();
    verify(located.source().file(), edited, app, image);
    return Map.of(located.source().file(), edited.getBytes(StandardCharsets.UTF_8));
  }

  private void verify(String file, String edited, ApplicationSpec app, ImageRef image) {
    List<Site> sites = locate(YamlSource.parse(file, edited), app);
    DeployedImage now = sites.size() == 1 ? sites.get(0).read() : null;
    if (now == null || !image.digest().equals(now.digest())
        || !Objects.equals(now.repository(), image.repository())) {
      // Reaching this means an editor bug, not bad input; refuse to commit a file we cannot read back.
      throw new ReleaseException(ReleaseException.Kind.INFRASTRUCTURE, file + ": the edited manifest does not"
          + " read back as " + image.pinned() + "; nothing was committed. Please report this with the file.");
    }
  }

  private Located only(ManifestSet manifests, ApplicationSpec app) {
    List<Located> found = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : manifests.files().entrySet()) {
      YamlSource source = YamlSource.parse(file.getKey(), YamlText.decodeUtf8(file.getValue(), file.getKey()));
      for (Site site : locate(source, app)) {
        found.add(new Located(source, site));
      }
    }
    if (found.isEmpty()) {
      throw ReleaseException.badInput(describeTarget(app) + " not found in "
          + String.join(", ", manifests.files().keySet())
          + "; add it to the manifests or fix the application in odoo-gitops.yaml");
    }
    if (found.size() > 1) {
      throw ReleaseException.badInput(describeTarget(app) + " found " + found.size() + " times ("
          + found.stream().map(l -> l.site().read().location()).collect(Collectors.joining(", "))
          + "); a promotion must change exactly one place: give the entries distinct names or set 'file' for the"
          + " environment");
    }
    return found.get(0);
  }

  private record Located(YamlSource source, Site site) {}
}
