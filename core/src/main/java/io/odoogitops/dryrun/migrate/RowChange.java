package io.odoogitops.dryrun.migrate;

/**
 * Rows a run inserted, updated and deleted in one table, from the statistics collector's counters
 * ({@code n_tup_ins}, {@code n_tup_upd}, {@code n_tup_del}): what was written, not how big the table is.
 */
public record RowChange(long inserted, long updated, long deleted) {

  public long total() {
    return inserted + updated + deleted;
  }

  public RowChange plus(RowChange other) {
    return new RowChange(inserted + other.inserted, updated + other.updated, deleted + other.deleted);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (inserted > 0) {
      s.append('+').append(inserted);
    }
    if (updated > 0) {
      s.append(s.isEmpty() ? "" : " ").append('~').append(updated);
    }
    if (deleted > 0) {
      s.append(s.isEmpty() ? "" : " ").append('-').append(deleted);
    }
    return s.isEmpty() ? "0" : s.toString();
  }
}
