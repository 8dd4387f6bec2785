package io.odoogitops.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import io.odoogitops.ReleaseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The runtime settings of an image written by {@link BaseArchive#write}: who runs what, where, with which
 * environment. Environment and labels are kept sorted, so the same settings always serialise to the same image
 * configuration (and digest) whatever order they were given in.
 *
 * @param user {@code name}, {@code uid} or {@code uid:gid}; empty runs as root
 * @param entrypoint empty means none
 * @param command the default arguments ({@code CMD}); empty means none
 * @param workingDirectory an absolute path
 */
public record ImageConfig(
    Optional<String> user,
    List<String> entrypoint,
    List<String> command,
    SortedMap<String, String> environment,
    Optional<String> workingDirectory,
    SortedMap<String, String> labels) {

  public ImageConfig {
    entrypoint = List.copyOf(entrypoint);
    command = List.copyOf(command);
    environment = Collections.unmodifiableSortedMap(new TreeMap<>(environment));
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    workingDirectory.ifPresent(ImageConfig::requireAbsolute);
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void requireAbsolute(String directory) {
    if (!directory.startsWith("/")) {
      throw ReleaseException.badInput("working directory '" + directory + "' is not an absolute path; "
          + "write it from the image root, e.g. /var/lib/odoo");
    }
  }

  AbsoluteUnixPath workingDirectoryPath() {
    return AbsoluteUnixPath.get(workingDirectory.orElseThrow());
  }

  /** Collects the settings; everything is optional. */
  public static final class Builder {
    private String user;
    private final List<String> entrypoint = new ArrayList<>();
    private final List<String> command = new ArrayList<>();
    private final SortedMap<String, String> environment = new TreeMap<>();
    private String workingDirectory;
    private final SortedMap<String, String> labels = new TreeMap<>();

    public Builder user(String value) {
      this.user = value;
      return this;
    }

    public Builder entrypoint(List<String> value) {
      entrypoint.clear();
      entrypoint.addAll(value);
      return this;
    }

    public Builder command(List<String> value) {
      command.clear();
      command.addAll(value);
      return this;
    }

    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    public Builder environment(Map<String, String> values) {
      environment.putAll(values);
      return this;
    }

    public Builder workingDirectory(String value) {
      this.workingDirectory = value;
      return this;
    }

    public Builder label(String name, String value) {
      labels.put(name, value);
      return this;
    }

    public Builder labels(Map<String, String> values) {
      labels.putAll(values);
      return this;
    }

    public ImageConfig build() {
      return new ImageConfig(Optional.ofNullable(user), entrypoint, command, environment,
          Optional.ofNullable(workingDirectory), labels);
    }
  }
}
