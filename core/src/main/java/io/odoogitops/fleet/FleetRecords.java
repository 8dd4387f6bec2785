package io.odoogitops.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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

  static final FleetRecords NONE = new FleetRecords(Map.of(), null, 0, List.of());

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
  static String directory(String fleet, String digest) {
    return RecordCommit.RECORDS_DIRECTORY + "/fleets/" + fleet + "/" + digest.substring(digest.indexOf(':') + 1);
  }

  /** The records of the rollout of {@code digest} at {@code snapshot}, which must come from {@code repository}. */
  public static FleetRecords read(GitOpsRepository repository, Snapshot snapshot, String fleet, String digest,
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
      if (!fleet.equals(e.value(Trailers.FLEET)) || !digest.equals(e.value(DIGEST))) {
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
  static RecordCommit verification(String fleet, String digest, String tenant, String wave, String promotion,
      boolean passed, String detail, Instant at, List<Trailer> who) {
    String why = passed ? "verified " + tenant + " (" + shortId(promotion) + ")"
        : "verification of " + tenant + " failed: " + oneLine(detail);
    List<Trailer> trailers = new ArrayList<>(List.of(new Trailer(Trailers.FLEET, fleet),
        new Trailer(Trailers.WAVE, wave), new Trailer(RECORD, passed ? VERIFIED : VERIFICATION_FAILED),
        new Trailer(TENANT, tenant), new Trailer(DIGEST, digest), new Trailer(PROMOTION, promotion)));
    trailers.addAll(who);
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("record", passed ? VERIFIED : VERIFICATION_FAILED);
    file.put("fleet", fleet);
    file.put("digest", digest);
    file.put("tenant", tenant);
    file.put("wave", wave);
    file.put("promotion", promotion);
    file.put("detail", detail);
    file.put("at", at.toString());
    return new RecordCommit(Map.of(directory(fleet, digest) + "/tenants/" + tenant + ".json", json(file)),
        "fleet " + fleet + ": " + why, trailers);
  }

  /** The record of a halt: {@code why} names the failure; {@code tenant} and {@code wave} may be null. */
  static RecordCommit halt(String fleet, String digest, String tenant, String wave, String why, String rollback,
      Instant at, List<Trailer> who) {
    List<Trailer> trailers = new ArrayList<>(List.of(new Trailer(Trailers.FLEET, fleet)));
    if (wave != null) {
      trailers.add(new Trailer(Trailers.WAVE, wave));
    }
    trailers.add(new Trailer(RECORD, HALTED));
    if (tenant != null) {
      trailers.add(new Trailer(TENANT, tenant));
    }
    trailers.add(new Trailer(DIGEST, digest));
    if (rollback != null) {
      trailers.add(new Trailer(ROLLBACK, rollback));
    }
    trailers.addAll(who);
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("record", HALTED);
    file.put("fleet", fleet);
    file.put("digest", digest);
    file.put("tenant", tenant);
    file.put("wave", wave);
    file.put("reason", why);
    file.put("rollback", rollback);
    file.put("at", at.toString());
    return new RecordCommit(Map.of(directory(fleet, digest) + "/halt.json", json(file)),
        "fleet " + fleet + ": " + oneLine(why), trailers);
  }

  /** The record that a halt is cleared. */
  static RecordCommit resume(String fleet, String digest, String reason, int resumes, Instant at,
      List<Trailer> who) {
    List<Trailer> trailers = new ArrayList<>(List.of(new Trailer(Trailers.FLEET, fleet), new Trailer(RECORD, RESUMED),
        new Trailer(DIGEST, digest)));
    trailers.addAll(who);
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("record", RESUMED);
    file.put("fleet", fleet);
    file.put("digest", digest);
    file.put("reason", reason);
    file.put("resumes", resumes);
    file.put("at", at.toString());
    return new RecordCommit(Map.of(directory(fleet, digest) + "/halt.json", json(file)),
        "fleet " + fleet + ": resumed: " + oneLine(reason), trailers);
  }

  private static byte[] json(Map<String, Object> file) {
    try {
      return (JSON.writeValueAsString(file) + "\n").getBytes(StandardCharsets.UTF_8);
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
