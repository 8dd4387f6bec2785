package io.odoogitops.dryrun.neutralize;

/**
 * One property a neutralized clone must have, checked after the statements ran.
 *
 * @param count offending rows found; 0 when passed
 */
public record NeutralizationCheck(String id, String table, boolean passed, long count, String detail) {
}
