package io.odoogitops.dryrun.neutralize;

/**
 * One property a neutralized clone must have, checked after the statements ran.
 *
 * @param count offending rows found; 0 when passed
 * @param detail {@code ok: no <what>} when passed, else the count and what they are
 * @param checked what was looked for, e.g. {@code payment_provider.stripe_secret_key ~ '^(sk|rk)_live_'}
 */
public record NeutralizationCheck(String id, String table, boolean passed, long count, String detail,
    String checked) {

  public NeutralizationCheck(String id, String table, boolean passed, long count, String detail) {
    this(id, table, passed, count, detail, null);
  }
}
