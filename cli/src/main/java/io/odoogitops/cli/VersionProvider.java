package io.odoogitops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version} of every command: what the manifest of the jar holding the CLI says (Maven writes
 * Implementation-Title and Implementation-Version into it), and the Java runtime, which a bug report needs as well.
 * Run from compiled classes there is no such jar: a development build.
 */
final class VersionProvider implements IVersionProvider {

  /** Revision attributes a packager may add to the manifest; the first one present is shown. */
  private static final String[] REVISION_ATTRIBUTES = {"Implementation-Build", "SCM-Revision"};

  @Override
  public String[] getVersion() {
    return lines(Main.class.getResource(Main.class.getSimpleName() + ".class"));
  }

  /** The version lines of the CLI whose {@code Main} class was loaded from {@code classFile}. */
  static String[] lines(URL classFile) {
    Attributes manifest = manifestOf(classFile).map(Manifest::getMainAttributes).orElseGet(Attributes::new);
    String title = manifest.getValue(Attributes.Name.IMPLEMENTATION_TITLE);
    String version = manifest.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
    String revision = null;
    for (String attribute : REVISION_ATTRIBUTES) {
      revision = revision != null ? revision : manifest.getValue(attribute);
    }
    return new String[] {
        (title == null || title.isBlank() ? "odoo-gitops" : title.strip()) + " "
            + (version == null || version.isBlank() ? "(development build)" : version.strip())
            + (revision == null || revision.isBlank() ? "" : " (revision " + revision.strip() + ")"),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), " + System.getProperty("os.name")
            + " " + System.getProperty("os.arch")};
  }

  /** The manifest of the jar {@code classFile} is in; none for a class file in a directory. */
  private static Optional<Manifest> manifestOf(URL classFile) {
    String location = classFile == null ? "" : classFile.toString();
    int entry = location.indexOf("!/");
    if (!location.startsWith("jar:") || entry < 0) {
      return Optional.empty();
    }
    try {
      URLConnection connection = URI.create(location.substring(0, entry + 2) + JarFile.MANIFEST_NAME).toURL()
          .openConnection();
      // Not the class loader's cached copy of the jar: closing the stream must close what this opened.
      connection.setUseCaches(false);
      try (InputStream in = connection.getInputStream()) {
        return Optional.of(new Manifest(in));
      }
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
