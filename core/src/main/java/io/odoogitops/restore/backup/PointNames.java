package io.odoogitops.restore.backup;

import io.odoogitops.ImageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Names of the things a restore point creates. They say what they are for (environment, application, the first 12
 * hex digits of the digest, the UTC time), so a person listing backups or a dump directory recognises them, and they
 * sort by time within one environment and application.
 */
final class PointNames {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  /** CloudNativePG derives pod and job names from a Backup's; this leaves them room under the 63-character label. */
  private static final int MAX_OBJECT_NAME = 63;

  private PointNames() {}

  static String digest12(ImageDigest digest) {
    return digest.value().substring("sha256:".length(), "sha256:".length() + 12);
  }

  /** {@code <env>-<app>-<digest12>-<UTC time>}: the dump directory. */
  static String dumpDirectory(String environment, String application, ImageDigest digest, Instant at) {
    return environment + "-" + application + "-" + digest12(digest) + "-" + STAMP.format(at);
  }

  /** A Kubernetes object name (lower case, '-' only), for the Backup and the VolumeSnapshot. */
  static String objectName(String environment, String application, ImageDigest digest, Instant at) {
    String stamp = STAMP.format(at).toLowerCase(Locale.ROOT);
    String tail = "-" + digest12(digest) + "-" + stamp;
    String head = (environment + "-" + application).replaceAll("[._]", "-");
    head = head.substring(0, Math.min(head.length(), MAX_OBJECT_NAME - tail.length())).replaceAll("-+$", "");
    return head + tail;
  }
}
