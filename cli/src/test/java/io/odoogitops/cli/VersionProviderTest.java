package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionProviderTest {

  @TempDir
  Path dir;

  @Test
  void aJarSaysTheTitleAndVersionOfItsManifest() throws IOException {
    URL main = mainIn(jar("Implementation-Title", "odoo-gitops", "Implementation-Version", "1.4.0"));

    String[] lines = VersionProvider.lines(main);

    assertThat(lines[0]).isEqualTo("odoo-gitops 1.4.0");
    assertThat(lines[1]).startsWith("Java " + Runtime.version()).endsWith(System.getProperty("os.arch"));
  }

  @Test
  void aRevisionInTheManifestIsShown() throws IOException {
    URL main = mainIn(jar("Implementation-Version", "1.4.0", "Implementation-Build", "0123abc"));

    assertThat(VersionProvider.lines(main)[0]).isEqualTo("odoo-gitops 1.4.0 (revision 0123abc)");
  }

  @Test
  void withoutAVersionItIsADevelopmentBuild() throws IOException {
    assertThat(VersionProvider.lines(mainIn(jar("SCM-Revision", "0123abc")))[0])
        .isEqualTo("odoo-gitops (development build) (revision 0123abc)");
    assertThat(VersionProvider.lines(dir.resolve("classes/io/odoogitops/cli/Main.class").toUri().toURL())[0])
        .isEqualTo("odoo-gitops (development build)");
    assertThat(new VersionProvider().getVersion()[0]).as("the tests run from target/classes")
        .isEqualTo("odoo-gitops (development build)");
  }

  @Test
  void anUnreadableJarIsADevelopmentBuildNotAFailure() throws IOException {
    Path notAJar = Files.writeString(dir.resolve("broken.jar"), "not a zip");
    assertThat(VersionProvider.lines(mainIn(notAJar))[0]).isEqualTo("odoo-gitops (development build)");
  }

  private Path jar(String... attributes) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    for (int i = 0; i < attributes.length; i += 2) {
      manifest.getMainAttributes().putValue(attributes[i], attributes[i + 1]);
    }
    Path jar = dir.resolve("odoo-gitops-" + attributes.length + ".jar");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry("io/odoogitops/cli/Main.class"));
      out.write(new byte[] {(byte) 0xca, (byte) 0xfe});
      out.closeEntry();
    }
    return jar;
  }

  private static URL mainIn(Path jar) throws IOException {
    return new URL("jar:" + jar.toUri() + "!/io/odoogitops/cli/Main.class");
  }
}
