package io.odoogitops.odoo;

import io.odoogitops.ReleaseException;
import io.odoogitops.odoo.LiteralToken.Type;
import io.odoogitops.odoo.PyLiteral.Sequence.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the literal subset of Python that {@code ast.literal_eval} evaluates, which is how Odoo reads
 * {@code __manifest__.py}: containers, strings (implicit concatenation included), numbers with one optional sign,
 * {@code True}, {@code False}, {@code None}. Names, calls and operators are refused at their line and column rather
 * than guessed at, because Odoo itself would refuse to load such a manifest.
 */
public final class LiteralParser {

  private static final Set<String> CONSTANTS = Set.of("True", "False", "None");

  private final LiteralTokenizer tokenizer;
  private LiteralToken current;
  private boolean first = true;

  private LiteralParser(String file, String source) {
    this.tokenizer = new LiteralTokenizer(file, source);
    this.current = tokenizer.next();
  }

  /**
   * Parses one literal expression.
   *
   * @param file how to name the source in error messages
   * @throws ReleaseException (bad input) with {@code file:line:column} when the text is not a literal
   */
  public static PyLiteral parse(String file, String source) {
    LiteralParser parser = new LiteralParser(file, source);
    if (parser.current.type() == Type.END) {
      throw parser.error(parser.current, "empty file; a manifest is a dict literal such as {'name': 'My module'}");
    }
    PyLiteral value = parser.expression();
    if (parser.current.type() != Type.END) {
      throw parser.current.startsLogicalLine()
          ? parser.error(parser.current, "unexpected " + parser.current.describe()
              + " on a new line after a complete value")
          : parser.unexpected(parser.current);
    }
    return value;
  }

  private PyLiteral expression() {
    LiteralToken token = advance();
    if (token.is("-") || token.is("+")) {
      LiteralToken number = advance();
      if (number.type() != Type.NUMBER) {
        throw error(token, "a sign may only precede a number in a literal");
      }
      return number(number, token.is("-"), token.position());
    }
    return switch (token.type()) {
      case STRING -> string(token);
      case NUMBER -> number(token, false, token.position());
      case NAME -> constant(token);
      case PUNCT -> container(token);
      case END -> throw error(token, "unexpected end of file; a value is missing");
    };
  }

  private PyLiteral string(LiteralToken token) {
    StringBuilder value = new StringBuilder(token.text());
    // Adjacent strings are one literal, as in Python: 'abc' 'def' == 'abcdef'.
    while (current.type() == Type.STRING && !current.startsLogicalLine()) {
      LiteralToken next = advance();
      if (next.bytes() != token.bytes()) {
        throw error(next, "cannot mix bytes and nonbytes literals");
      }
      value.append(next.text());
    }
    return token.bytes()
        ? new PyLiteral.Bytes(value.toString(), token.position())
        : new PyLiteral.Str(value.toString(), token.position());
  }

  private PyLiteral number(LiteralToken token, boolean negative, SourcePosition at) {
    String text = token.text();
    if (PythonNumbers.isInteger(text)) {
      var value = PythonNumbers.integerValue(text);
      return new PyLiteral.Int(negative ? value.negate() : value, at);
    }
    double value = PythonNumbers.floatValue(text);
    return new PyLiteral.Float(negative ? -value : value, at);
  }

  private PyLiteral constant(LiteralToken token) {
    if (!CONSTANTS.contains(token.text())) {
      String hint = current.is("(") ? "calls are not evaluated" : "names are not evaluated";
      throw error(token, "'" + token.text() + "' is not a literal (" + hint
          + "; Odoo reads manifests with ast.literal_eval)");
    }
    return switch (token.text()) {
      case "True" -> new PyLiteral.Bool(true, token.position());
      case "False" -> new PyLiteral.Bool(false, token.position());
      default -> new PyLiteral.None(token.position());
    };
  }

  private PyLiteral container(LiteralToken open) {
    return switch (open.text()) {
      case "[" -> new PyLiteral.Sequence(Kind.LIST, items("]"), open.position());
      case "(" -> tupleOrParenthesised(open);
      case "{" -> dictOrSet(open);
      default -> throw unexpected(open);
    };
  }

  private PyLiteral tupleOrParenthesised(LiteralToken open) {
    if (current.is(")")) {
      advance();
      return new PyLiteral.Sequence(Kind.TUPLE, List.of(), open.position());
    }
    PyLiteral firstItem = expression();
    if (current.is(")")) {
      advance();
      return firstItem; // (x) is just x
    }
    expect(",");
    List<PyLiteral> items = new ArrayList<>();
    items.add(firstItem);
    items.addAll(items(")"));
    return new PyLiteral.Sequence(Kind.TUPLE, items, open.position());
  }

  private PyLiteral dictOrSet(LiteralToken open) {
    if (current.is("}")) {
      advance();
      return new PyLiteral.Dict(List.of(), open.position());
    }
    PyLiteral firstItem = expression();
    if (!current.is(":")) {
      hashable(firstItem);
      List<PyLiteral> items = new ArrayList<>();
      items.add(firstItem);
      if (!current.is("}")) {
        expect(",");
        items.addAll(items("}"));
      } else {
        advance();
      }
      items.forEach(this::hashable);
      return new PyLiteral.Sequence(Kind.SET, items, open.position());
    }
    List<PyLiteral.Dict.Entry> entries = new ArrayList<>();
    PyLiteral key = firstItem;
    while (true) {
      hashable(key);
      expect(":");
      entries.add(new PyLiteral.Dict.Entry(key, expression()));
      if (current.is("}")) {
        advance();
        return new PyLiteral.Dict(entries, open.position());
      }
      expect(",");
      if (current.is("}")) { // trailing comma
        advance();
        return new PyLiteral.Dict(entries, open.position());
      }
      key = expression();
    }
  }

  /** Comma-separated values up to {@code close}, a trailing comma allowed. */
  private List<PyLiteral> items(String close) {
    List<PyLiteral> items = new ArrayList<>();
    while (!current.is(close)) {
      items.add(expression());
      if (current.is(close)) {
        break;
      }
      expect(",");
    }
    advance();
    return items;
  }

  private void hashable(PyLiteral key) {
    if (key instanceof PyLiteral.Dict || key instanceof PyLiteral.Sequence s && s.kind() != Kind.TUPLE) {
      throw ReleaseException.badInput(key.position() + ": unhashable type: '" + key.typeName()
          + "' cannot be a dict key or a set element");
    }
    if (key instanceof PyLiteral.Sequence tuple) {
      tuple.items().forEach(this::hashable);
    }
  }

  private void expect(String punct) {
    if (!current.is(punct)) {
      throw unexpected(current);
    }
    advance();
  }

  private LiteralToken advance() {
    LiteralToken token = current;
    if (!first && token.startsLogicalLine() && token.type() != Type.END) {
      throw error(token, "unexpected " + token.describe() + " on a new line after a complete value");
    }
    first = false;
    current = tokenizer.next();
    return token;
  }

  private ReleaseException unexpected(LiteralToken token) {
    if (token.type() == Type.PUNCT && !token.text().matches("[{}\\[\\](),:]")) {
      return error(token, "operator '" + token.text() + "' is not allowed; a manifest holds literals only");
    }
    return error(token, "unexpected " + token.describe());
  }

  private ReleaseException error(LiteralToken token, String message) {
    return tokenizer.error(token.position(), message);
  }
}
