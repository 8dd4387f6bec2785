package io.odoogitops.restore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The restore point's evidence file: the {@link RestorePoint} as JSON, written whole or not at all, and read back
 * strictly (unknown keys, a wrong schema version, a malformed digest or id are all bad input), since the gate and
 * the rollback act on what it says.
 */
public final class RestorePointEvidence {

  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private RestorePointEvidence() {}

  /** Where a promotion commits the evidence of its point in the GitOps repository. */
  public static final String REPOSITORY_DIRECTORY = ".odoo-gitops/restore-points";

  /**
   * {@code .odoo-gitops/restore-points/<env>/<app>/<id>.json}: outside every environment's directory, since Argo CD
   * would apply a JSON file it finds among plain manifests. The point's names and id admit no '/' and no '..'.
   */
  public static String repositoryPath(RestorePoint point) {
    return repositoryPath(point.environment(), point.application(), point.ref());
  }

  /** Where the evidence of the point {@code ref} of a promotion to {@code environment} of {@code application} is. */
  public static String repositoryPath(String environment, String application, RestorePointRef ref) {
    return REPOSITORY_DIRECTORY + "/" + environment + "/" + application + "/" + ref.id() + ".json";
  }

  public static String toJson(RestorePoint point) {
    try {
      return JSON.writeValueAsString(point) + "\n";
    } catch (JsonProcessingException e) {
      throw ReleaseException.infrastructure("cannot write the restore point as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses evidence; {@code file} names it in errors. */
  public static RestorePoint fromJson(String json, String file) {
    try {
      RestorePoint point = JSON.readValue(json, RestorePoint.class);
      if (point == null) {
        throw ReleaseException.badInput("the restore point evidence " + file + " is empty");
      }
      return point;
    } catch (ValueInstantiationException e) {
      if (e.getCause() instanceof ReleaseException cause) {
        throw ReleaseException.badInput("the restore point evidence " + file + " is not valid: " + cause.getMessage());
      }
      throw ReleaseException.badInput("the restore point evidence " + file + " is not valid: "
          + firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw ReleaseException.badInput("the restore point evidence " + file + " is not valid JSON of a restore point"
          + " (line " + (e.getLocation() == null ? 1 : e.getLocation().getLineNr()) + "): "
          + firstLine(e.getOriginalMessage()).replaceAll("`[\\w.$]+\\.(\\w+)`", "$1"));
    }
  }

  public static RestorePoint read(Path file) {
    return fromJson(InputFiles.readUtf8(file, "restore point evidence file", InputFiles.DOCUMENT_LIMIT),
        file.toString());
  }

  /** Writes {@code file} through a temporary sibling and a rename, so a reader never sees half a file. */
  public static void write(RestorePoint point, Path file) {
    write(point, file, java.util.Optional.empty());
  }

  /**
   * Writes {@code file} and, when {@code signature} is given, {@code file.sig} next to it; a signature file left
   * from an earlier point under that name is removed, since it would not belong to this evidence.
   */
  public static void write(RestorePoint point, Path file, java.util.Optional<String> signature) {
    Path sig = RestorePointSignature.fileOf(file);
    try {
      if (signature.isPresent()) {
        writeWhole(sig, signature.get());
      } else {
        Files.deleteIfExists(sig);
      }
      writeWhole(file, toJson(point));
    } catch (IOException e) {
      try {
        Files.deleteIfExists(sig);
      } catch (IOException ignored) {
        // reported below: the evidence is missing or stale, and a stray signature never verifies over other bytes
      }
      throw ReleaseException.infrastructure("cannot write the restore point evidence " + file + " ("
          + e.getClass().getSimpleName() + "); the restore point itself exists: " + point.trailer(), e);
    }
  }

  private static void writeWhole(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, "." + file.getFileName(), ".partial");
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // a leftover hidden .partial file is harmless and visible
        }
      }
    }
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
