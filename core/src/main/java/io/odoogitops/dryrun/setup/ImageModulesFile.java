package io.odoogitops.dryrun.setup;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.plan.ImageModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The image's modules as a JSON list {@code [{"name", "version", "checksum", "path"}]}, paths relative to the file. */
final class ImageModulesFile {

  private ImageModulesFile() {
  }

  record Entry(String name, String version, String checksum, String path) {
  }

  static List<ImageModule> read(Path file) {
    try {
      List<Entry> entries = new ObjectMapper().readValue(
          InputFiles.read(file, "image modules file", InputFiles.DOCUMENT_LIMIT), new TypeReference<>() { });
      if (entries == null) {
        throw ReleaseException.badInput(file + ": expected a JSON list of modules, found null");
      }
      Path base = file.toAbsolutePath().getParent();
      List<ImageModule> modules = new ArrayList<>();
      for (Entry e : entries) {
        if (e == null || e.name() == null || e.version() == null) {
          throw ReleaseException.badInput(file + ": every module needs a name and a version");
        }
        modules.add(new ImageModule(e.name(), e.version(), e.checksum(),
            e.path() == null ? null : base.resolve(e.path()).normalize()));
      }
      return modules;
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read image modules from " + file + ": " + e.getMessage());
    }
  }
}
