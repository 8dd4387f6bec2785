package io.odoogitops.policy;

import io.odoogitops.ImageDigest;
import io.odoogitops.config.PolicySpecValidator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a voter signs: one answer about one candidate, in a canonical byte form that anyone can verify with
 * {@code ssh-keygen -Y verify -n odoo-gitops}. The form is nine lines, UTF-8 (in practice ASCII), each ending in a
 * single LF, keys in this order and nothing else:
 *
 * <pre>
 * odoo-gitops vote v1
 * environment: production
 * application: odoo
 * digest: sha256:4f2c...(64 hex)
 * vote: approve                 (approve | reject)
 * scope: promotion              (promotion | freeze-override)
 * promotion: -                  (the promotion id answered, or - for any promotion of this digest)
 * voter: carol
 * time: 2026-11-20T10:00:00Z    (UTC, whole seconds)
 * </pre>
 *
 * A payload is accepted only if it is byte for byte the canonical form of the values read from it, so what was signed
 * is exactly what is counted: no second reading of the same bytes can mean something else.
 *
 * @param promotionId the promotion this vote answers; {@code null}: any promotion of this candidate
 */
public record VoteStatement(String environment, String application, ImageDigest digest, Vote vote, ApprovalScope scope,
    String promotionId, String voter, Instant at) {

  /** The SSHSIG namespace of votes: a signature made for git commits or files can never pass as a vote. */
  public static final String NAMESPACE = "odoo-gitops";
  static final String HEADER = "odoo-gitops vote v1";
  private static final String[] KEYS = {"environment", "application", "digest", "vote", "scope", "promotion", "voter",
      "time"};
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");
  private static final Pattern PROMOTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  /** Nine short lines; anything longer is not a vote. */
  static final int MAX_BYTES = 1024;

  public VoteStatement {
    Objects.requireNonNull(vote, "vote");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(at, "at");
    check(NAME, environment, "environment", "lowercase letters, digits, '.', '_' and '-'");
    check(NAME, application, "application", "lowercase letters, digits, '.', '_' and '-'");
    Objects.requireNonNull(digest, "digest");
    check(PolicySpecValidator.VOTER_ID, voter, "voter", "letters, digits, '.', '_', '@', '+' and '-'");
    if (promotionId != null) {
      check(PROMOTION_ID, promotionId, "promotion id", "letters, digits, '.', '_', ':' and '-'");
    }
    at = at.truncatedTo(ChronoUnit.SECONDS);
  }

  private static void check(Pattern pattern, String value, String what, String alphabet) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException("the " + what + " '" + printable(value) + "' cannot be voted on: use "
          + alphabet);
    }
  }

  /** The bytes that are signed. */
  public byte[] canonical() {
    String text = HEADER + "\n"
        + "environment: " + environment + "\n"
        + "application: " + application + "\n"
        + "digest: " + digest + "\n"
        + "vote: " + vote.name().toLowerCase(Locale.ROOT) + "\n"
        + "scope: " + scope.yamlName() + "\n"
        + "promotion: " + (promotionId == null ? "-" : promotionId) + "\n"
        + "voter: " + voter + "\n"
        + "time: " + at + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a canonical payload.
   *
   * @throws IllegalArgumentException saying which line is wrong
   */
  public static VoteStatement parse(byte[] payload) {
    if (payload.length > MAX_BYTES) {
      throw new IllegalArgumentException("the vote payload is " + payload.length + " bytes; a vote is under "
          + MAX_BYTES);
    }
    String text = new String(payload, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    if (lines.length != KEYS.length + 2 || !lines[lines.length - 1].isEmpty()) {
      throw new IllegalArgumentException("a vote payload is exactly " + (KEYS.length + 1) + " lines ending in LF,"
          + " starting with '" + HEADER + "'");
    }
    if (!lines[0].equals(HEADER)) {
      throw new IllegalArgumentException("line 1 is '" + printable(lines[0]) + "', expected '" + HEADER + "'");
    }
    String[] values = new String[KEYS.length];
    for (int i = 0; i < KEYS.length; i++) {
      String prefix = KEYS[i] + ": ";
      if (!lines[i + 1].startsWith(prefix)) {
        throw new IllegalArgumentException("line " + (i + 2) + " must be '" + KEYS[i] + ": ...', found '"
            + printable(lines[i + 1]) + "'");
      }
      values[i] = lines[i + 1].substring(prefix.length());
    }
    VoteStatement statement;
    try {
      statement = new VoteStatement(values[0], values[1], ImageDigest.parse(values[2], "the vote's digest"), Vote.parse(values[3]),
          ApprovalScope.parse(values[4]), values[5].equals("-") ? null : values[5], values[6],
          Instant.parse(values[7]));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("time '" + printable(values[7]) + "' is not a UTC instant such as"
          + " 2026-11-20T10:00:00Z");
    } catch (io.odoogitops.ReleaseException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    if (!java.util.Arrays.equals(statement.canonical(), payload)) {
      throw new IllegalArgumentException("the payload is not in canonical form (lowercase vote, UTC time in whole"
          + " seconds, no extra spaces)");
    }
    return statement;
  }

  /** The vote as the gate counts it. */
  public Approval approval() {
    return new Approval(voter, environment, application, digest, at, vote, scope);
  }

  /**
   * Where the vote lives in the GitOps repository: {@code votes/<env>/<app>/<hex>/<voter>-<time>-<vote>.vote}.
   * Append-only: a later vote of the same person is a new file, and the latest one counts.
   */
  public String repositoryPath() {
    String time = at.toString().replace(":", "").replace("-", "");
    return votesDirectory(environment, application, digest) + "/" + voter + "-" + time + "-"
        + vote.name().toLowerCase(Locale.ROOT) + (scope == ApprovalScope.FREEZE_OVERRIDE ? "-override" : "")
        + ".vote";
  }

  /** The directory of the votes on one candidate. */
  public static String votesDirectory(String environment, String application, ImageDigest digest) {
    return io.odoogitops.config.ReleaseConfig.VOTES_DIRECTORY + "/" + environment + "/" + application + "/"
        + digest.value().substring("sha256:".length());
  }

  static String printable(String text) {
    if (text == null) {
      return "";
    }
    String flat = text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", "?");
    return flat.length() > 80 ? flat.substring(0, 77) + "..." : flat;
  }
}
