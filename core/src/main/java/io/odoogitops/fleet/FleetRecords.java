package io.odoogitops.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.odoogitops.ImageDigest;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.RecordCommit;
import io.odoogitops.gitops.RecordLog;
import io.odoogitops.gitops.Snapshot;
import io.odoogitops.gitops.Trailers;
import io.odoogitops.policy.Trailer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts of a rollout that no promotion commit carries: verification results, halts and resumes. Each is a
 * {@link RecordCommit} under {@code .odoo-gitops/fleets/<fleet>/<digest hex>/}, outside every environment, whose
 * trailers are the record ({@code git log} shows them) and whose small JSON file says the same for people browsing
 * the repository. Signed like promotions; under a trust root an unsigned record is ignored.
 *
 * @param verifications the newest counting verification of each tenant, by tenant
 * @param halt the halt in force, or null
 * @param resumes how many times a halt was cleared; part of the promotion ids, so a tenant that failed is promoted
 *     again after a resume
 * @param ignored record commits that do not count (unsigned under a trust root), newest first
 */
public record FleetRecords(Map<String, Verification> verifications, FleetState.Halt halt, int resumes,
    List<String> ignored) {

  /** How many record commits of one rollout are read at most; a rollout writes about two per tenant. */
  static final int MAX_RECORDS = 20_000;

  static final String RECORD = "Fleet-Record";
  static final String TENANT = "Fleet-Tenant";
  static final String DIGEST = "Fleet-Digest";
  static final String PROMOTION = "Fleet-Promotion";
  static final String ROLLBACK = "Fleet-Rollback";

  static final String VERIFIED = "verified";
  static final String VERIFICATION_FAILED = "verification-failed";
  static final String HALTED = "halted";
  static final String RESUMED = "resumed";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public FleetRecords {
    verifications = Map.copyOf(verifications);
    ignored = List.copyOf(ignored);
  }

  /**
   * One verification of one promotion.
   *
   * @param promotion the promotion commit verified
   * @param commit the record commit; its time is when the verification ended
   * @param detail why it failed, or null
   */
  public record Verification(String tenant, String wave, String promotion, boolean passed, String detail,
      Instant at, String commit) {}

  /** Where the records of one rollout live. */
  static String directory(String fleet, ImageDigest digest) {
    return RecordCommit.RECORDS_DIRECTORY + "/fleets/" + fleet + "/" + digest.value().substring("sha256:".length());
  }

  /** The records of the rollout of {@code digest} at {@code snapshot}, which must come from {@code repository}. */
  public static FleetRecords read(GitOpsRepository repository, Snapshot snapshot, String fleet, ImageDigest digest,
      ZoneId zone) {
    List<RecordLog.Entry> log = RecordLog.read(repository, snapshot, directory(fleet, digest), MAX_RECORDS);
    Map<String, Verification> verifications = new LinkedHashMap<>();
    FleetState.Halt halt = null;
    boolean haltDecided = false;
    int resumes = 0;
    List<String> ignored = new ArrayList<>();
    for (RecordLog.Entry e : log) {
      if (!e.counts()) {
        ignored.add(e.commitId().substring(0, 12) + ": " + e.problem());
        continue;
      }
      if (!fleet.equals(e.value(Trailers.FLEET)) || !digest.value().equals(e.value(DIGEST))) {
        continue;
      }
      String kind = String.valueOf(e.value(RECORD));
      String tenant = e.value(TENANT);
      switch (kind) {
        case VERIFIED, VERIFICATION_FAILED -> {
          if (tenant != null && !verifications.containsKey(tenant)) {
            verifications.put(tenant, new Verification(tenant, e.value(Trailers.WAVE), e.value(PROMOTION),
                VERIFIED.equals(kind), VERIFIED.equals(kind) ? null : body(e.subject()), e.time(), e.commitId()));
          }
        }
        case HALTED -> {
          if (!haltDecided) {
            String by = e.value(Trailers.INITIATED_BY) != null ? e.value(Trailers.INITIATED_BY)
                : e.value(Trailers.INITIATED_BY_CLAIM);
            halt = new FleetState.Halt(body(e.subject()), tenant, e.value(Trailers.WAVE), e.commitId(),
                e.time().atZone(zone), by);
            haltDecided = true;
          }
        }
        case RESUMED -> {
          haltDecided = true;
          resumes++;
        }
        default -> { }
      }
    }
    return new FleetRecords(verifications, halt, resumes, ignored);
  }

  /** The text after the subject's prefix ({@code fleet saas: }), which says why. */
  private static String body(String subject) {
    int colon = subject.indexOf(": ");
    return colon < 0 ? subject : subject.substring(colon + 2);
  }

  /** The record of a verification of {@code promotion}, passed or failed. */
  static RecordCommit verification(String fleet, ImageDigest digest, String tenant, String wave, String promotion,
      boolean passed, String detail, Instant at, List<Trailer> who) {
    String kind = passed ? VERIFIED : VERIFICATION_FAILED;
    String why = passed ? "verified " + tenant + " (" + shortId(promotion) + ")"
        : "verification of " + tenant + " failed: " + oneLine(detail);
    return record(fleet, digest, "tenants/" + tenant + ".json", why, kind, at, who, "tenant", tenant, "wave", wave,
        "promotion", promotion, "detail", detail);
  }

  /** The record of a halt: {@code why} names the failure; {@code tenant} and {@code wave} may be null. */
  static RecordCommit halt(String fleet, ImageDigest digest, String tenant, String wave, String why, String rollback,
      Instant at, List<Trailer> who) {
    return record(fleet, digest, "halt.json", oneLine(why), HALTED, at, who, "tenant", tenant, "wave", wave,
        "rollback", rollback, "reason", why);
  }

  /** The record that a halt is cleared. */
  static RecordCommit resume(String fleet, ImageDigest digest, String reason, int resumes, Instant at,
      List<Trailer> who) {
    return record(fleet, digest, "halt.json", "resumed: " + oneLine(reason), RESUMED, at, who, "reason", reason,
        "resumes", resumes);
  }

  /**
   * One record commit: {@code fields} (name, value pairs; null values left out of the trailers) in the JSON file and,
   * for tenant, wave, promotion and rollback, in the trailers too.
   */
  private static RecordCommit record(String fleet, ImageDigest digest, String file, String why, String kind, Instant at,
      List<Trailer> who, Object... fields) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("record", kind);
    json.put("fleet", fleet);
    json.put("digest", digest.value());
    for (int i = 0; i < fields.length; i += 2) {
      json.put((String) fields[i], fields[i + 1]);
    }
    json.put("at", at.toString());
    List<Trailer> trailers = new ArrayList<>(List.of(new Trailer(Trailers.FLEET, fleet)));
    if (json.get("wave") != null) {
      trailers.add(new Trailer(Trailers.WAVE, (String) json.get("wave")));
    }
    trailers.add(new Trailer(RECORD, kind));
    if (json.get("tenant") != null) {
      trailers.add(new Trailer(TENANT, (String) json.get("tenant")));
    }
    trailers.add(new Trailer(DIGEST, digest.value()));
    if (json.get("promotion") != null) {
      trailers.add(new Trailer(PROMOTION, (String) json.get("promotion")));
    }
    if (json.get("rollback") != null) {
      trailers.add(new Trailer(ROLLBACK, (String) json.get("rollback")));
    }
    trailers.addAll(who);
    try {
      byte[] bytes = (JSON.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8);
      return new RecordCommit(Map.of(directory(fleet, digest) + "/" + file, bytes), "fleet " + fleet + ": " + why,
          trailers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A subject line: one line, bounded, so a long cluster message cannot flood {@code git log --oneline}. */
  static String oneLine(String text) {
    String line = text == null ? "" : text.replaceAll("[\\r\\n\\t]+", " ").strip();
    return line.length() > 300 ? line.substring(0, 297) + "..." : line;
  }

  private static String shortId(String commit) {
    return commit == null ? "-" : commit.substring(0, Math.min(12, commit.length()));
  }
}
