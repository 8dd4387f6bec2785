package io.odoogitops.odoo;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * A Python literal as {@code ast.literal_eval} accepts it, remembering where it was written so that a manifest whose
 * {@code depends} is not a list can be reported at the exact line and column.
 */
public sealed interface PyLiteral {

  SourcePosition position();

  /** Python truthiness, which is what Odoo applies to flags such as {@code installable}. */
  boolean truthy();

  /** How the literal reads in Python, for error messages. */
  String typeName();

  record Str(String value, SourcePosition position) implements PyLiteral {
    @Override
    public boolean truthy() {
      return !value.isEmpty();
    }

    @Override
    public String typeName() {
      return "str";
    }
  }

  /** A {@code b'...'} literal; Python only allows ASCII characters in it, so a Java string holds it without loss. */
  record Bytes(String value, SourcePosition position) implements PyLiteral {
    @Override
    public boolean truthy() {
      return !value.isEmpty();
    }

    @Override
    public String typeName() {
      return "bytes";
    }
  }

  record Int(BigInteger value, SourcePosition position) implements PyLiteral {
    @Override
    public boolean truthy() {
      return value.signum() != 0;
    }

    @Override
    public String typeName() {
      return "int";
    }
  }

  record Float(double value, SourcePosition position) implements PyLiteral {
    @Override
    public boolean truthy() {
      return value != 0.0;
    }

    @Override
    public String typeName() {
      return "float";
    }
  }

  record Bool(boolean value, SourcePosition position) implements PyLiteral {
    @Override
    public boolean truthy() {
      return value;
    }

    @Override
    public String typeName() {
      return "bool";
    }
  }

  record None(SourcePosition position) implements PyLiteral {
    @Override
    public boolean truthy() {
      return false;
    }

    @Override
    public String typeName() {
      return "NoneType";
    }
  }

  /** Lists, tuples and sets: Odoo accepts any of them where a manifest expects a sequence of names. */
  record Sequence(Kind kind, List<PyLiteral> items, SourcePosition position) implements PyLiteral {
    public enum Kind { LIST, TUPLE, SET }

    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public boolean truthy() {
      return !items.isEmpty();
    }

    @Override
    public String typeName() {
      return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A dict in source order; a key written twice keeps its last value, as in Python. */
  record Dict(List<Entry> entries, SourcePosition position) implements PyLiteral {
    public record Entry(PyLiteral key, PyLiteral value) {}

    public Dict {
      entries = List.copyOf(entries);
    }

    /** The value of a string key, the last one written if the key is repeated. */
    public Optional<PyLiteral> get(String key) {
      PyLiteral found = null;
      for (Entry entry : entries) {
        if (entry.key() instanceof Str s && s.value().equals(key)) {
          found = entry.value();
        }
      }
      return Optional.ofNullable(found);
    }

    @Override
    public boolean truthy() {
      return !entries.isEmpty();
    }

    @Override
    public String typeName() {
      return "dict";
    }
  }
}
