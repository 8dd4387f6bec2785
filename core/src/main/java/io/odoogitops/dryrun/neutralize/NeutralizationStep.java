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
 * @param reference where Odoo does the same, e.g. {@code base/data/neutralize.sql}
 */
public record NeutralizationStep(String id, String table, List<String> columns, String sql, String reference) {

  public NeutralizationStep {
    columns = List.copyOf(columns);
  }
}
