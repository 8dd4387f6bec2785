package io.odoogitops.gitops.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of one environment an editor may read and change, by repository path, in a stable order.
 *
 * @param files path relative to the repository root → raw bytes
 */
public record ManifestSet(Map<String, byte[]> files) {

  public ManifestSet {
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }
}
