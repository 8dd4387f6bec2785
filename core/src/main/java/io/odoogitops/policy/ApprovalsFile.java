package io.odoogitops.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ConfigLoader;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a list of votes from JSON or YAML (YAML is a superset, so one parser does both):
 *
 * <pre>
 * - voter: bob
 *   environment: production
 *   application: odoo
 *   digest: sha256:4f2c…
 *   at: 2026-11-20T10:00:00Z
 *   vote: APPROVE          # or REJECT
 *   scope: promotion       # or freeze-override; default promotion
 * </pre>
 *
 * A malformed file is bad input as a whole: silently dropping an unreadable vote could turn a rejection into a pass.
 * Well-formed votes for other candidates are read and later reported as not counted by the gate.
 */
public final class ApprovalsFile {

  private static final int MAX_BYTES = ConfigLoader.MAX_BYTES;

  private ApprovalsFile() {}

  public static List<Approval> read(byte[] bytes, String file) {
    if (bytes.length > MAX_BYTES) {
      throw ReleaseException.badInput(file + ": " + bytes.length + " bytes is larger than the " + MAX_BYTES
          + "-byte limit for an approvals file");
    }
    List<Entry> entries;
    try {
      entries = ConfigLoader.strictYamlMapper().readValue(bytes, new TypeReference<List<Entry>>() {});
    } catch (UnrecognizedPropertyException e) {
      throw ReleaseException.badInput(file + ":" + e.getLocation().getLineNr() + ": unknown key '"
          + e.getPropertyName() + "' in a vote; allowed: voter, environment, application, digest, at, vote, scope");
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof StreamReadException syntax) {
        // Jackson wraps parser errors met while binding; they are syntax errors all the same.
        throw invalidSyntax(file, syntax);
      }
      // Jackson's own wording names Java types; say what the file should look like instead.
      String where = e.getPath().isEmpty() || e.getPath().get(0).getIndex() < 0 ? ""
          : " (vote #" + (e.getPath().get(0).getIndex() + 1) + ")";
      throw ReleaseException.badInput(file + ":" + (e.getLocation() == null ? 1 : e.getLocation().getLineNr())
          + ": not a list of votes" + where + "; expected a list of mappings with voter, environment,"
          + " application, digest, at and vote");
    } catch (JsonProcessingException e) {
      throw invalidSyntax(file, e);
    } catch (IOException e) {
      throw ReleaseException.badInput(file + ": cannot be read: " + e.getMessage());
    }
    if (entries == null) {
      return List.of();
    }
    List<Approval> approvals = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      approvals.add(toApproval(entries.get(i), file + ": vote #" + (i + 1)));
    }
    return List.copyOf(approvals);
  }

  private static ReleaseException invalidSyntax(String file, JsonProcessingException e) {
    return ReleaseException.badInput(file + ":" + (e.getLocation() == null ? 1 : e.getLocation().getLineNr())
        + ": invalid JSON/YAML: " + firstLine(e.getOriginalMessage()));
  }

  private static Approval toApproval(Entry entry, String where) {
    if (entry == null) {
      throw ReleaseException.badInput(where + " is empty");
    }
    String voter = required(entry.voter(), "voter", where);
    String environment = required(entry.environment(), "environment", where);
    String application = required(entry.application(), "application", where);
    String digestText = required(entry.digest(), "digest", where);
    Instant at = instant(required(entry.at(), "at", where), where);
    Vote vote;
    ApprovalScope scope;
    try {
      vote = Vote.parse(required(entry.vote(), "vote", where));
      scope = entry.scope() == null ? ApprovalScope.PROMOTION : ApprovalScope.parse(entry.scope());
    } catch (IllegalArgumentException e) {
      throw ReleaseException.badInput(where + ": " + e.getMessage());
    }
    ImageDigest digest = ImageDigest.parse(digestText, where + ": digest");
    return new Approval(voter, environment, application, digest, at, vote, scope);
  }

  private static String required(String value, String key, String where) {
    if (value == null || value.isBlank()) {
      throw ReleaseException.badInput(where + ": '" + key + "' is required");
    }
    return value.strip();
  }

  private static Instant instant(String text, String where) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ReleaseException.badInput(where + ": 'at' is '" + text + "'; write an ISO date-time with offset,"
          + " e.g. 2026-11-20T10:00:00Z");
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }

  /** One vote as written; every field is checked by hand for messages that name it. */
  private record Entry(
      @JsonProperty("voter") String voter,
      @JsonProperty("environment") String environment,
      @JsonProperty("application") String application,
      @JsonProperty("digest") String digest,
      @JsonProperty("at") String at,
      @JsonProperty("vote") String vote,
      @JsonProperty("scope") String scope) {}
}
