package io.odoogitops.gitops.manifest;

import io.odoogitops.ReleaseException;
import io.odoogitops.config.YamlText;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A YAML file kept as text, with SnakeYAML's node tree used only to find byte ranges. Edits replace or insert text at
 * those ranges, so comments, key order, quoting, indentation, document separators and line endings of everything
 * else stay byte-identical — a re-dump would reformat the whole file and bury the one-line change in review noise.
 */
final class YamlSource {

  /** Manifests are small; anything near this is generated data that does not belong in a promotion edit. */
  static final int MAX_CHARS = 4 << 20;

  private final String file;
  private final String text;
  private final List<Node> documents;
  private final List<Replacement> edits = new ArrayList<>();

  private YamlSource(String file, String text, List<Node> documents) {
    this.file = file;
    this.text = text;
    this.documents = documents;
  }

  static YamlSource parse(String file, String text) {
    if (text.length() > MAX_CHARS) {
      throw ReleaseException.badInput(file + ": " + text.length() + " characters is over the " + MAX_CHARS
          + "-character limit for a manifest; is this really a manifest?");
    }
    LoaderOptions options = YamlText.loaderOptions(MAX_CHARS);
    try {
      List<Node> docs = new ArrayList<>();
      for (Node node : new Yaml(options).composeAll(new StringReader(text))) {
        if (node != null) {
          docs.add(node);
        }
      }
      return new YamlSource(file, text, docs);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
      throw ReleaseException.badInput(file + ":" + line + ": invalid YAML: " + e.getProblem()
          + "; fix the manifest in the GitOps repository first");
    } catch (YAMLException e) {
      throw ReleaseException.badInput(file + ": refused: " + e.getMessage()
          + " (anchors/aliases and document size are limited)");
    }
  }

  String file() {
    return file;
  }

  List<Node> documents() {
    return documents;
  }

  int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  String where(Node node) {
    return file + ":" + line(node);
  }

  /** The value node of {@code key} in {@code mapping}, if present. */
  static Optional<Node> get(Node mapping, String key) {
    return tuple(mapping, key).map(NodeTuple::getValueNode);
  }

  static Optional<NodeTuple> tuple(Node mapping, String key) {
    if (!(mapping instanceof MappingNode m)) {
      return Optional.empty();
    }
    return m.getValue().stream()
        .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
        .findFirst();
  }

  /** The text of a scalar node, or "" for anything else. */
  static String text(Node node) {
    return node instanceof ScalarNode s ? s.getValue() : "";
  }

  static Optional<String> scalar(Node mapping, String key) {
    return get(mapping, key).filter(ScalarNode.class::isInstance).map(n -> ((ScalarNode) n).getValue());
  }

  /** Replaces the scalar's text with {@code value}, keeping its quoting style where the value allows it. */
  void setScalar(ScalarNode node, String value) {
    if (node.getValue().equals(value)) {
      return;
    }
    boolean flow = isInFlowContext(node);
    edits.add(new Replacement(index(node.getStartMark()), index(node.getEndMark()),
        ScalarStyle.render(node.getScalarStyle(), value, flow)));
  }

  /**
   * Adds {@code key: value} to a mapping that lacks it: on its own line after the last scalar entry of a block
   * mapping (same indentation), or before the closing brace of a flow mapping.
   */
  void addEntry(MappingNode mapping, String key, String value) {
    addEntry(mapping, key, value, null);
  }

  /** Like {@link #addEntry(MappingNode, String, String)}, with a line comment after the value (block mappings only). */
  void addEntry(MappingNode mapping, String key, String value, String comment) {
    List<NodeTuple> tuples = mapping.getValue();
    if (tuples.isEmpty()) {
      throw ReleaseException.badInput(where(mapping) + ": cannot add '" + key + "' to an empty mapping;"
          + " add it by hand once");
    }
    if (mapping.getFlowStyle() == DumperOptions.FlowStyle.FLOW) {
      if (comment != null) {
        throw ReleaseException.badInput(where(mapping) + ": cannot add '" + key + "' with a comment to a flow"
            + " mapping; write the mapping in block style");
      }
      int end = index(tuples.get(tuples.size() - 1).getValueNode().getEndMark());
      edits.add(new Replacement(end, end, ", " + key + ": " + ScalarStyle.render(
          DumperOptions.ScalarStyle.PLAIN, value, true)));
      return;
    }
    NodeTuple last = tuples.stream()
        .filter(t -> t.getValueNode() instanceof ScalarNode)
        .max(Comparator.comparingInt(t -> t.getValueNode().getEndMark().getIndex()))
        .orElseThrow(() -> ReleaseException.badInput(where(mapping) + ": cannot add '" + key
            + "' to this mapping automatically; add it by hand once"));
    int column = tuples.get(0).getKeyNode().getStartMark().getColumn();
    int insertAt = endOfLine(index(last.getValueNode().getEndMark()));
    String eol = lineEnding();
    String prefix = insertAt == text.length() && !text.endsWith("\n") ? eol : "";
    edits.add(new Replacement(insertAt, insertAt, prefix + " ".repeat(column) + key + ": "
        + ScalarStyle.render(DumperOptions.ScalarStyle.PLAIN, value, false) + (comment == null ? "" : " # " + comment)
        + (prefix.isEmpty() ? eol : "")));
  }

  /** Removes a {@code key: value} line of a block mapping (both on one line), e.g. a stale kustomize newTag. */
  void removeEntry(MappingNode mapping, String key) {
    NodeTuple t = tuple(mapping, key).orElse(null);
    if (t == null || mapping.getFlowStyle() == DumperOptions.FlowStyle.FLOW
        || t.getKeyNode().getStartMark().getLine() != t.getValueNode().getEndMark().getLine()
        || mapping.getValue().get(0) == t) {
      return; // Not safely removable by lines; a stale entry is better than a broken file.
    }
    int start = startOfLine(index(t.getKeyNode().getStartMark()));
    int end = endOfLine(index(t.getValueNode().getEndMark()));
    edits.add(new Replacement(start, end, ""));
  }

  boolean changed() {
    return !edits.isEmpty();
  }

  /** The text with every recorded edit applied. */
  String result() {
    StringBuilder out = new StringBuilder(text);
    edits.stream()
        .sorted(Comparator.comparingInt(Replacement::start).thenComparingInt(Replacement::end).reversed())
        .forEach(r -> out.replace(r.start(), r.end(), r.text()));
    return out.toString();
  }

  private String lineEnding() {
    int nl = text.indexOf('\n');
    return nl > 0 && text.charAt(nl - 1) == '\r' ? "\r\n" : "\n";
  }

  private int endOfLine(int from) {
    int nl = text.indexOf('\n', from);
    return nl < 0 ? text.length() : nl + 1;
  }

  private int startOfLine(int from) {
    int nl = text.lastIndexOf('\n', from - 1);
    return nl + 1;
  }

  /** SnakeYAML marks count code points; Java strings count UTF-16 units. */
  private int index(Mark mark) {
    return text.offsetByCodePoints(0, mark.getIndex());
  }

  private boolean isInFlowContext(ScalarNode node) {
    int at = index(node.getStartMark());
    for (Node doc : documents) {
      Boolean inFlow = flowAncestor(doc, at, false);
      if (inFlow != null) {
        return inFlow;
      }
    }
    return false;
  }

  private Boolean flowAncestor(Node node, int at, boolean inFlow) {
    if (at < index(node.getStartMark()) || at > index(node.getEndMark())) {
      return null;
    }
    boolean flow = inFlow || (node instanceof org.yaml.snakeyaml.nodes.CollectionNode<?> c
        && c.getFlowStyle() == DumperOptions.FlowStyle.FLOW);
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        Boolean found = flowAncestor(t.getValueNode(), at, flow);
        if (found != null) {
          return found;
        }
      }
    } else if (node instanceof org.yaml.snakeyaml.nodes.SequenceNode s) {
      for (Node child : s.getValue()) {
        Boolean found = flowAncestor(child, at, flow);
        if (found != null) {
          return found;
        }
      }
    }
    return flow;
  }

  private record Replacement(int start, int end, String text) {}
}
