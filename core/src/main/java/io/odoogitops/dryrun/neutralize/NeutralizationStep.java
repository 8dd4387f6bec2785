package io.odoogitops.dryrun.neutralize;

import java.util.List;

/**
 * One statement of neutralization, applied only when its table and every column it names exist: a clone of an
 * Odoo without the payment app has no {@code payment_provider}, and an Odoo 16 provider has {@code state} where
 * Odoo 18 has {@code is_live}.
 *
 * @param id stable name shown in reports, e.g. {@code crons-off}
 * @param table the table the statement changes
 * @param columns the columns it reads or writes in {@code table}
 * @param alsoNeeds other {@code table.column}s the statement reads, which must exist too
 * @param onlyWithout {@code table.column}s whose presence rules this variant out (a better variant uses them)
 * @param reference where Odoo does the same, e.g. {@code base/data/neutralize.sql}
 */
public record NeutralizationStep(String id, String table, List<String> columns, List<String> alsoNeeds,
    List<String> onlyWithout, String sql, String reference) {

  public NeutralizationStep {
    columns = List.copyOf(columns);
    alsoNeeds = List.copyOf(alsoNeeds);
    onlyWithout = List.copyOf(onlyWithout);
  }

  /** A step that needs nothing beyond its own table's columns. */
  public NeutralizationStep(String id, String table, List<String> columns, String sql, String reference) {
    this(id, table, columns, List.of(), List.of(), sql, reference);
  }

  /** Whether the database described by {@code present} ({@code table.} and {@code table.column} names) fits. */
  public boolean appliesTo(java.util.Set<String> present) {
    return present.contains(table + ".") && columns.stream().allMatch(c -> present.contains(table + "." + c))
        && present.containsAll(alsoNeeds) && onlyWithout.stream().noneMatch(present::contains);
  }
}
