/**
 * {@code odoo-gitops audit}: every change of an environment's files, commit by commit, held against the history check,
 * the release policy in force at that commit (the gate's own code), the votes recorded for that digest, the freeze
 * calendar and the dry-run evidence. Layered above {@code gitops}, {@code policy}, {@code config} and
 * {@code dryrun.report}; nothing below depends on it. Checks that need a trust root (release-key signatures, signed
 * policy changes) are interfaces whose defaults say they were not checked.
 */
package io.odoogitops.audit;
