package io.odoogitops.dryrun.verdict;

/**
 * One rule's contribution to the verdict.
 *
 * @param rule the threshold or lint rule, e.g. {@code max-access-exclusive}
 * @param subject what it is about: a migration, a file:line, a module
 */
public record Reason(Verdict level, String rule, String subject, String message) {
}
