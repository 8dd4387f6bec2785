package io.odoogitops.signing;

import java.security.PublicKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may sign, with which key, for what: the {@code allowed_signers} file of {@code ssh-keygen -Y verify} (see
 * ssh-keygen(1), ALLOWED SIGNERS). One entry per line:
 *
 * <pre>
 * # comment
 * carol@example.com,carol namespaces="odoo-gitops",valid-before="20271231Z" ssh-ed25519 AAAA... laptop
 * "dave" sk-ssh-ed25519@openssh.com AAAA...
 * </pre>
 *
 * Principals are comma-separated patterns ({@code *}, {@code ?}, {@code !negation}), optionally quoted; options are
 * {@code namespaces="..."}, {@code valid-after="..."} and {@code valid-before="..."} ({@code YYYYMMDD[HHMM[SS]][Z]};
 * without {@code Z} read as UTC, where ssh-keygen would use the verifier's local zone). {@code cert-authority} is
 * refused: certificates are not supported. Parsing is strict: any malformed line fails the whole file with
 * {@code file:line}, because a skipped line could be the one that revokes or limits a key.
 */
public final class AllowedSigners {

  /** Far above any team's signers; far below what could hurt. */
  public static final int MAX_BYTES = 256 * 1024;

  private static final Pattern TIME = Pattern.compile("\\d{8}(\\d{4}(\\d{2})?)?Z?");

  /**
   * One line: principals, restrictions and the key.
   *
   * @param namespaces patterns of allowed namespaces; {@code null}: any
   * @param validAfter {@code null}: no lower bound
   * @param validBefore {@code null}: no upper bound
   * @param where {@code file:line} of the entry, for messages
   */
  public record Entry(String principals, String namespaces, Instant validAfter, Instant validBefore,
      PublicKey key, String where) {
    public Entry {
      Objects.requireNonNull(principals, "principals");
      Objects.requireNonNull(key, "key");
    }

    boolean matchesPrincipal(String identity) {
      return matchPatternList(identity, principals);
    }

    boolean allowsNamespace(String namespace) {
      return namespaces == null || matchPatternList(namespace, namespaces);
    }
  }

  /** Why a key is not allowed to sign as an identity. */
  public enum Problem {
    /** No entry lists this key. */
    UNKNOWN_KEY,
    /** The key is listed, but for other principals: someone signing in another's name. */
    OTHER_PRINCIPAL,
    /** The key may sign as this principal, but not in this namespace. */
    NAMESPACE_NOT_ALLOWED,
    /** The key is not valid yet at the signature's time. */
    NOT_YET_VALID,
    /** The key's validity ended before the signature's time. */
    EXPIRED
  }

  /**
   * The answer of {@link #check}.
   *
   * @param problem {@code null} when allowed
   * @param detail one sentence for people
   */
  public record Trust(Problem problem, String detail) {
    public boolean allowed() {
      return problem == null;
    }
  }

  private final List<Entry> entries;

  private AllowedSigners(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static AllowedSigners of(List<Entry> entries) {
    return new AllowedSigners(entries);
  }

  public List<Entry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Reads an allowed_signers file; {@code source} names it in messages. */
  public static AllowedSigners parse(String text, String source) {
    if (text.length() > MAX_BYTES) {
      throw new SignersFileException(source + ": " + text.length() + " characters is larger than the " + MAX_BYTES
          + "-character limit for an allowed signers file");
    }
    List<Entry> entries = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      entries.add(parseLine(line, source + ":" + (i + 1)));
    }
    return new AllowedSigners(entries);
  }

  /** Parses one non-comment line; {@code where} is its {@code file:line}. */
  public static Entry parseLine(String line, String where) {
    Cursor cursor = new Cursor(line, where);
    String principals = cursor.token();
    if (principals.isEmpty()) {
      throw cursor.fail("no principals before the key; write 'PRINCIPALS [OPTIONS] KEYTYPE BASE64'");
    }
    for (String p : principals.split(",", -1)) {
      if (p.isEmpty()) {
        throw cursor.fail("empty principal in '" + principals + "'");
      }
    }
    String next = cursor.token();
    String options = null;
    if (!SshKeys.KEY_TYPES.contains(next) && !next.endsWith("-cert-v01@openssh.com") && !next.startsWith("ssh-")
        && !next.startsWith("ecdsa-") && !next.startsWith("sk-")) {
      options = next;
      next = cursor.token();
    }
    if (next.isEmpty()) {
      throw cursor.fail("no key after the principals; write 'PRINCIPALS [OPTIONS] KEYTYPE BASE64'");
    }
    String base64 = cursor.token();
    if (base64.isEmpty()) {
      throw cursor.fail("the " + next + " key has no base64 data");
    }
    String namespaces = null;
    Instant after = null;
    Instant before = null;
    if (options != null) {
      for (String option : splitOptions(options, cursor)) {
        int eq = option.indexOf('=');
        String name = (eq < 0 ? option : option.substring(0, eq)).toLowerCase(Locale.ROOT);
        String value = eq < 0 ? null : dequote(option.substring(eq + 1), name, cursor);
        switch (name) {
          case "cert-authority" -> throw cursor.fail("cert-authority is not supported: odoo-gitops does not accept"
              + " SSH certificates; list each signer's own key");
          case "namespaces" -> namespaces = required(value, name, cursor);
          case "valid-after" -> after = time(required(value, name, cursor), name, cursor);
          case "valid-before" -> before = time(required(value, name, cursor), name, cursor);
          default -> throw cursor.fail("unknown option '" + name + "'; allowed: namespaces=\"...\","
              + " valid-after=\"...\", valid-before=\"...\"");
        }
      }
    }
    if (after != null && before != null && !after.isBefore(before)) {
      throw cursor.fail("valid-after is not before valid-before, so the key is never valid");
    }
    PublicKey key;
    try {
      key = SshKeys.parse(next, base64);
    } catch (IllegalArgumentException e) {
      throw cursor.fail(e.getMessage());
    }
    // Whatever follows the key is its comment, as in authorized_keys.
    return new Entry(principals, namespaces, after, before, key, where);
  }

  /**
   * Whether {@code key} may sign as {@code identity} in {@code namespace} at {@code at}: the question
   * {@code ssh-keygen -Y verify -I identity -n namespace} answers after checking the signature.
   */
  public Trust check(String identity, PublicKey key, String namespace, Instant at) {
    String fingerprint = SshKeys.fingerprint(key);
    List<Entry> ofKey = entries.stream().filter(e -> SshKeys.same(e.key(), key)).toList();
    if (ofKey.isEmpty()) {
      return new Trust(Problem.UNKNOWN_KEY, "key " + fingerprint + " is not among the allowed signers");
    }
    List<Entry> asIdentity = ofKey.stream().filter(e -> e.matchesPrincipal(identity)).toList();
    if (asIdentity.isEmpty()) {
      return new Trust(Problem.OTHER_PRINCIPAL, "key " + fingerprint + " belongs to "
          + String.join(", ", principals(ofKey)) + ", not to " + identity);
    }
    List<Entry> inNamespace = asIdentity.stream().filter(e -> e.allowsNamespace(namespace)).toList();
    if (inNamespace.isEmpty()) {
      return new Trust(Problem.NAMESPACE_NOT_ALLOWED, "key " + fingerprint + " of " + identity + " may not sign in"
          + " namespace '" + namespace + "' (" + asIdentity.get(0).where() + ": namespaces=\""
          + asIdentity.get(0).namespaces() + "\")");
    }
    Problem problem = null;
    String detail = null;
    for (Entry e : inNamespace) {
      if (e.validAfter() != null && at.isBefore(e.validAfter())) {
        problem = Problem.NOT_YET_VALID;
        detail = "key " + fingerprint + " of " + identity + " is valid only from " + e.validAfter() + " ("
            + e.where() + "), the signature is dated " + at;
      } else if (e.validBefore() != null && !at.isBefore(e.validBefore())) {
        problem = problem == Problem.NOT_YET_VALID ? problem : Problem.EXPIRED;
        detail = problem == Problem.EXPIRED ? "key " + fingerprint + " of " + identity + " was valid only until "
            + e.validBefore() + " (" + e.where() + "), the signature is dated " + at : detail;
      } else {
        return new Trust(null, "key " + fingerprint + " may sign as " + identity + " (" + e.where() + ")");
      }
    }
    return new Trust(problem, detail);
  }

  /**
   * The principals (or principal patterns) {@code key} may sign as in {@code namespace} at {@code at}, one by one in
   * file order: what {@code ssh-keygen -Y find-principals} prints.
   */
  public List<String> principalsFor(PublicKey key, String namespace, Instant at) {
    Set<String> found = new LinkedHashSet<>();
    for (Entry e : entries) {
      if (SshKeys.same(e.key(), key) && e.allowsNamespace(namespace)
          && (e.validAfter() == null || !at.isBefore(e.validAfter()))
          && (e.validBefore() == null || at.isBefore(e.validBefore()))) {
        found.addAll(List.of(e.principals().split(",")));
      }
    }
    return List.copyOf(found);
  }

  private static List<String> principals(List<Entry> entries) {
    return entries.stream().map(Entry::principals).distinct().toList();
  }

  /**
   * OpenSSH's {@code match_pattern_list}: comma-separated patterns, {@code *} and {@code ?} wildcards; a matching
   * negated pattern ({@code !pattern}) means no match whatever else matches. Case-sensitive, as ssh-keygen is for
   * principals and namespaces.
   */
  public static boolean matchPatternList(String text, String patterns) {
    boolean matched = false;
    for (String pattern : patterns.split(",", -1)) {
      boolean negated = pattern.startsWith("!");
      String p = negated ? pattern.substring(1) : pattern;
      if (matchPattern(text, p)) {
        if (negated) {
          return false;
        }
        matched = true;
      }
    }
    return matched;
  }

  private static boolean matchPattern(String text, String pattern) {
    return matchPattern(text, 0, pattern, 0);
  }

  private static boolean matchPattern(String s, int si, String p, int pi) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        for (int k = si; k <= s.length(); k++) {
          if (matchPattern(s, k, p, pi + 1)) {
            return true;
          }
        }
        return false;
      }
      if (si >= s.length() || (c != '?' && c != s.charAt(si))) {
        return false;
      }
      si++;
      pi++;
    }
    return si == s.length();
  }

  private static List<String> splitOptions(String options, Cursor cursor) {
    List<String> list = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (char c : options.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        list.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (quoted) {
      throw cursor.fail("unterminated quote in options '" + options + "'");
    }
    list.add(current.toString());
    for (String option : list) {
      if (option.isEmpty()) {
        throw cursor.fail("empty option in '" + options + "'");
      }
    }
    return list;
  }

  private static String dequote(String value, String name, Cursor cursor) {
    if (value.length() < 2 || !value.startsWith("\"") || !value.endsWith("\"")) {
      throw cursor.fail(name + " needs a quoted value, e.g. " + name + "=\"" + value.replace("\"", "") + "\"");
    }
    return value.substring(1, value.length() - 1);
  }

  private static String required(String value, String name, Cursor cursor) {
    if (value == null || value.isEmpty()) {
      throw cursor.fail(name + " needs a value, e.g. " + name + "=\"" + ("namespaces".equals(name) ? "odoo-gitops"
          : "20270101Z") + "\"");
    }
    return value;
  }

  static Instant time(String value, String name, Cursor cursor) {
    if (!TIME.matcher(value).matches()) {
      throw cursor.fail(name + "=\"" + value + "\" is not a time; write YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS,"
          + " optionally ending in Z");
    }
    String digits = value.endsWith("Z") ? value.substring(0, value.length() - 1) : value;
    try {
      if (digits.length() == 8) {
        return LocalDate.parse(digits, DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      String pattern = digits.length() == 12 ? "yyyyMMddHHmm" : "yyyyMMddHHmmss";
      return LocalDateTime.parse(digits, DateTimeFormatter.ofPattern(pattern)).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw cursor.fail(name + "=\"" + value + "\" is not a valid date");
    }
  }

  /** Reads whitespace-separated tokens; a token that starts with a quote runs to the closing quote. */
  private static final class Cursor {
    private final String line;
    private final String where;
    private int pos;

    Cursor(String line, String where) {
      this.line = line;
      this.where = where;
    }

    String token() {
      while (pos < line.length() && Character.isWhitespace(line.charAt(pos))) {
        pos++;
      }
      if (pos >= line.length()) {
        return "";
      }
      StringBuilder token = new StringBuilder();
      boolean quoted = false;
      boolean leadingQuote = line.charAt(pos) == '"';
      while (pos < line.length()) {
        char c = line.charAt(pos);
        if (c == '"') {
          quoted = !quoted;
          if (leadingQuote) {
            pos++;
            if (!quoted) {
              break; // "quoted principals" end at their closing quote
            }
            continue;
          }
        } else if (!quoted && Character.isWhitespace(c)) {
          break;
        }
        token.append(c);
        pos++;
      }
      if (quoted) {
        throw fail("unterminated quote");
      }
      return token.toString();
    }

    SignersFileException fail(String message) {
      return new SignersFileException(where + ": " + message);
    }
  }

  /** A malformed allowed signers file: the message starts with {@code file:line}. */
  public static final class SignersFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    SignersFileException(String message) {
      super(message);
    }
  }
}
