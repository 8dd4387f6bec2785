package io.odoogitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/troubleshooting.md "compiled from the source": every message a user can be shown, as written in the main
 * sources of core, cli and plugin, must have its stable prefix somewhere in that file. A failure lists each missing
 * one as {@code file:line call: «prefix»}: add a line with that text, its cause and its fix to the matching section.
 *
 * <p>Messages that reach users, and so are checked (the message argument of each):
 * <ul>
 *   <li>{@code ReleaseException.refused/badInput/infrastructure(message, …)} and {@code new ReleaseException(kind,
 *       message, …)}: the CLI prints them after {@code error:} (exit 1, 2, 3), the plugin's steps fail with them;</li>
 *   <li>{@code new AbortException(message)}: a Jenkins step failing with that line (plugin);</li>
 *   <li>{@code new ParameterException(commandLine, message)}: picocli's usage errors (cli, exit 2);</li>
 *   <li>{@code HttpResponses.errorWithoutStack(status, message)}: the gate page's answer to a vote (plugin);</li>
 *   <li>{@code System.err.println(message)}: a warning printed outside any error (core).</li>
 * </ul>
 * Not checked: the global configuration's form checks ({@code FormValidation}), which stand next to the field they
 * explain; progress lines and notes, which are not errors; and messages whose text is not written at the call (a
 * variable, {@code e.getMessage()}): the place that writes the text is a call of its own and is checked there.
 *
 * <p>The stable prefix of a message, as this test takes it: the message expression is split at its top-level
 * {@code +}; adjacent string literals are joined into one fragment, and anything else (a value filled in at run time,
 * which the doc writes as {@code …}) ends the fragment; a literal with {@code .formatted(…)} counts up to its first
 * {@code %}. The prefix is the first fragment with at least four letters (so a message that starts with a value, such
 * as {@code file + ": not valid UTF-8"}, is checked by its {@code "not valid UTF-8"}), with white space collapsed,
 * leading separators ({@code : ; , . ( / -}, which follow a value the doc writes as {@code …}) dropped, and so is
 * the kind that leads a Jenkins step's failure ({@code bad_input: }; the doc's exit column says it), cut to at most
 * {@value #PREFIX} characters at a word boundary and trimmed. The doc is searched with its white space
 * collapsed and Markdown's {@code \|} read as {@code |}, so a table row may wrap the message and escape its pipes.
 */
class TroubleshootingDocTest {

  static final int PREFIX = 40;

  /** A way a message reaches users: where the call starts and which argument is the message. */
  record Call(String opening, int messageArgument) {}

  static final List<Call> CALLS = List.of(
      new Call("ReleaseException.refused(", 0),
      new Call("ReleaseException.badInput(", 0),
      new Call("ReleaseException.infrastructure(", 0),
      new Call("new ReleaseException(", 1),
      new Call("new AbortException(", 0),
      new Call("new hudson.AbortException(", 0),
      new Call("new ParameterException(", 1),
      new Call("new CommandLine.ParameterException(", 1),
      new Call("HttpResponses.errorWithoutStack(", 1),
      new Call("System.err.println(", 0));

  /** One message in the source. */
  record Message(String where, String call, String prefix) {
    @Override
    public String toString() {
      return where + " " + call + ": «" + prefix + "»";
    }
  }

  @Test
  void everyMessageOfCoreCliAndPluginIsInTroubleshootingMd() throws IOException {
    Path root = repositoryRoot();
    String doc = normalized(Files.readString(root.resolve("docs/troubleshooting.md"), StandardCharsets.UTF_8)
        .replace("\\|", "|").replace("`", ""));
    List<Message> messages = new ArrayList<>();
    for (String module : List.of("core", "cli", "plugin")) {
      Path sources = root.resolve(module).resolve("src/main/java");
      if (Files.isDirectory(sources)) {
        try (Stream<Path> files = Files.walk(sources)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
            messages.addAll(messages(root.relativize(file).toString(), Files.readString(file)));
          }
        }
      }
    }
    List<Message> missing = messages.stream().filter(m -> !doc.contains(m.prefix().replace("`", ""))).toList();

    assertThat(messages).as("messages found in the sources").hasSizeGreaterThan(400);
    assertThat(missing)
        .as("%d of %d user-facing messages have no line in docs/troubleshooting.md; add each prefix below, with its"
            + " cause and fix, to the matching section:%n%s", missing.size(), messages.size(),
            String.join("\n", missing.stream().map(Message::toString).toList()))
        .isEmpty();
  }

  @Test
  void thePrefixIsTheFirstLiteralFragmentWithWords() {
    String source = """
        class X {
          // ReleaseException.badInput("in a comment, not a call")
          void a() {
            throw ReleaseException.badInput("unknown environment '" + env + "': the policy defines "
                + String.join(", ", names) + "; pass one of them with --env");
          }
          void b() {
            throw ReleaseException.refused(file + ": " + "not valid UTF-8; save the file as UTF-8 and try again, please");
          }
          void c() {
            throw new ReleaseException(Kind.REFUSED, "the push to %s was refused".formatted(url), cause);
            throw ReleaseException.infrastructure(e.getMessage(), e);
            throw new ParameterException(spec.commandLine(), "name a subcommand: \\"take\\" or plan");
          }
        }
        """;

    assertThat(messages("X.java", source)).extracting(Message::toString).containsExactly(
        "X.java:4 badInput: «unknown environment '»",
        "X.java:8 refused: «not valid UTF-8; save the file as UTF-8»",
        "X.java:11 new ReleaseException: «the push to»",
        "X.java:13 new ParameterException: «name a subcommand: \"take\" or plan»");
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docs/troubleshooting.md"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a parent directory holding docs/troubleshooting.md").isNotNull();
    return dir;
  }

  /** The messages written at the calls of {@link #CALLS} in {@code source}, comments ignored. */
  static List<Message> messages(String file, String source) {
    String code = withoutComments(source);
    List<Message> found = new ArrayList<>();
    for (Call call : CALLS) {
      for (int at = code.indexOf(call.opening()); at >= 0; at = code.indexOf(call.opening(), at + 1)) {
        if (at > 0 && Character.isJavaIdentifierPart(code.charAt(at - 1))) {
          continue; // e.g. "MyReleaseException.badInput(" or "xnew AbortException("
        }
        List<String> arguments = arguments(code, at + call.opening().length());
        if (arguments.size() <= call.messageArgument()) {
          continue;
        }
        String prefix = prefix(arguments.get(call.messageArgument()));
        if (prefix != null) {
          int line = (int) code.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
          found.add(new Message(file + ":" + line, label(call), prefix));
        }
      }
    }
    found.sort((a, b) -> compareWhere(a.where(), b.where()));
    return found;
  }

  /** {@code refused}, {@code new AbortException}, {@code errorWithoutStack}: the call as a reader finds it. */
  private static String label(Call call) {
    String opening = call.opening().substring(0, call.opening().length() - 1);
    String name = opening.substring(opening.lastIndexOf('.') + 1).replace("new ", "");
    return opening.startsWith("new ") ? "new " + name : name;
  }

  private static int compareWhere(String a, String b) {
    String fileA = a.substring(0, a.lastIndexOf(':'));
    String fileB = b.substring(0, b.lastIndexOf(':'));
    int byFile = fileA.compareTo(fileB);
    return byFile != 0 ? byFile : Integer.compare(Integer.parseInt(a.substring(a.lastIndexOf(':') + 1)),
        Integer.parseInt(b.substring(b.lastIndexOf(':') + 1)));
  }

  /** The prefix of a message expression as the class comment defines it; null when it has no literal words. */
  static String prefix(String expression) {
    for (String fragment : fragments(expression)) {
      String text = normalized(fragment).replaceFirst("^[\\s:;,.(/-]+", "")
          .replaceFirst("^(refused|bad_input|infrastructure): ", "");
      if (text.chars().filter(Character::isLetter).count() >= 4) {
        if (text.length() > PREFIX) {
          int cut = text.lastIndexOf(' ', PREFIX);
          text = text.substring(0, cut > PREFIX / 2 ? cut : PREFIX);
        }
        return text.strip();
      }
    }
    return null;
  }

  /** The literal fragments of an expression: runs of adjacent string literals between the values. */
  private static List<String> fragments(String expression) {
    List<String> fragments = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    for (String term : topLevel(expression, '+')) {
      String t = term.strip();
      Literal literal = t.startsWith("\"") ? literal(t, 0) : null;
      String rest = literal == null ? null : t.substring(literal.end()).strip();
      if (literal != null && rest.isEmpty()) {
        run.append(literal.value());
        continue;
      }
      if (literal != null && rest.startsWith(".formatted(")) {
        String value = literal.value();
        run.append(value.contains("%") ? value.substring(0, value.indexOf('%')) : value);
      }
      if (!run.isEmpty()) {
        fragments.add(run.toString());
        run.setLength(0);
      }
    }
    if (!run.isEmpty()) {
      fragments.add(run.toString());
    }
    return fragments;
  }

  record Literal(String value, int end) {}

  /** The string literal (or text block) starting at {@code start}, unescaped, and the index after it. */
  private static Literal literal(String s, int start) {
    if (s.startsWith("\"\"\"", start)) {
      int close = s.indexOf("\"\"\"", start + 3);
      String body = s.substring(s.indexOf('\n', start) + 1, close);
      return new Literal(body.lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElse(""), close + 3);
    }
    StringBuilder value = new StringBuilder();
    int i = start + 1;
    while (i < s.length() && s.charAt(i) != '"') {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        value.append(switch (e) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          default -> e;
        });
      } else {
        value.append(c);
      }
      i++;
    }
    return new Literal(value.toString(), i + 1);
  }

  /** The arguments of the call whose opening parenthesis ends just before {@code from}. */
  private static List<String> arguments(String code, int from) {
    return split(code, from, ',');
  }

  /** {@code expression} split at {@code separator} where it stands outside brackets and literals. */
  private static List<String> topLevel(String expression, char separator) {
    return split(expression, 0, separator);
  }

  /**
   * {@code s} from {@code from} split at {@code separator} outside brackets and literals, up to the closing bracket
   * that ends the enclosing call (or the end of {@code s}).
   */
  private static List<String> split(String s, int from, char separator) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = from;
    int i = from;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'') {
        i = afterLiteral(s, i);
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) {
          break;
        }
        depth--;
      } else if (c == separator && depth == 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
      i++;
    }
    parts.add(s.substring(start, i));
    return parts;
  }

  /** The index after the string, text block or character literal starting at {@code start}. */
  private static int afterLiteral(String s, int start) {
    if (s.charAt(start) == '"') {
      return literal(s, start).end();
    }
    int close = s.indexOf('\'', start + (start + 1 < s.length() && s.charAt(start + 1) == '\\' ? 3 : 2));
    return close < 0 ? s.length() : close + 1;
  }

  /** {@code source} with its comments blanked out (line breaks kept, so line numbers stay), literals untouched. */
  static String withoutComments(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '"' || c == '\'') {
        int end = afterLiteral(source, i);
        out.append(source, i, end);
        i = end;
      } else if (source.startsWith("//", i)) {
        while (i < source.length() && source.charAt(i) != '\n') {
          out.append(' ');
          i++;
        }
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2) + 2;
        for (; i < end; i++) {
          out.append(source.charAt(i) == '\n' ? '\n' : ' ');
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String normalized(String text) {
    return text.replaceAll("\\s+", " ");
  }
}
