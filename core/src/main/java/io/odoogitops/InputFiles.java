package io.odoogitops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a file a person named (a flag, a policy, a kubeconfig, a secret file) without trusting what it is. Every such
 * read in the product goes through here, so that {@code /dev/zero}, a FIFO without a writer or a 300 MB file ends in
 * one clear bad-input error (exit 2) instead of an {@code OutOfMemoryError} or a hang.
 *
 * <p>It sits at the root next to {@link ReleaseException} because, like it, it is the boundary every capability
 * shares: config, policy, dryrun, cluster, odoo and the front ends all read user files, and putting it in one of them
 * would make the others depend on that capability.
 */
public final class InputFiles {

  /** Configuration, approvals, kubeconfig, manifests: hand-written YAML/JSON/Python, far below this. */
  public static final long DOCUMENT_LIMIT = 4L * 1024 * 1024;
  /** Passwords and tokens. */
  public static final long SECRET_LIMIT = 64L * 1024;
  /** Dry-run reports and SQL scripts, which can carry many statements or findings. */
  public static final long LARGE_LIMIT = 64L * 1024 * 1024;

  private InputFiles() {
  }

  /**
   * The bytes of a regular file of at most {@code limit} bytes.
   *
   * @param what how to name the file in an error, e.g. "approvals file"
   */
  public static byte[] read(Path file, String what, long limit) {
    requireRegularFile(file, what, limit);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // The size was checked, but the file may grow or be replaced between the check and the read.
      bytes = in.readNBytes((int) limit + 1);
    } catch (IOException e) {
      throw unreadable(file, what, e);
    }
    if (bytes.length > limit) {
      throw tooLarge(file, what, limit);
    }
    return bytes;
  }

  /**
   * The same checks without reading, for files a library reads itself (an SSH key, a CA certificate): it exists, is a
   * regular file (after links) and is at most {@code limit} bytes.
   */
  public static void requireRegularFile(Path file, String what, long limit) {
    BasicFileAttributes attributes;
    try {
      // Follows links on purpose (a kubeconfig is often one); what counts is what the link points at.
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw ReleaseException.badInput("the " + what + " " + file + " does not exist; check the path");
    } catch (IOException e) {
      throw unreadable(file, what, e);
    }
    if (!attributes.isRegularFile()) {
      // Opening a FIFO blocks until a writer comes; a device can be endless. Neither is ever read.
      throw ReleaseException.badInput("the " + what + " " + file + " is " + kind(attributes)
          + ", not a regular file; pass a regular file");
    }
    if (attributes.size() > limit) {
      throw tooLarge(file, what, limit);
    }
  }

  /** Like {@link #read}, decoded as UTF-8; a file that is not UTF-8 is bad input. */
  public static String readUtf8(Path file, String what, long limit) {
    byte[] bytes = read(file, what, limit);
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw ReleaseException.badInput("the " + what + " " + file + " is not UTF-8 text; save it as UTF-8");
    }
  }

  private static String kind(BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "a directory";
    }
    // Java's attributes cannot tell a FIFO from a device or a socket; "other" covers all three.
    return "a FIFO, device or socket";
  }

  private static ReleaseException tooLarge(Path file, String what, long limit) {
    return ReleaseException.badInput("the " + what + " " + file + " is larger than " + human(limit)
        + ", which no valid one is; check the path");
  }

  private static ReleaseException unreadable(Path file, String what, IOException e) {
    String reason = e instanceof AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
    return ReleaseException.badInput("cannot read the " + what + " " + file + " (" + reason
        + "); check the path and its permissions");
  }

  private static String human(long bytes) {
    return bytes >= 1024 * 1024 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
  }
}
