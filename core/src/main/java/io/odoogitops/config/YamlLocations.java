package io.odoogitops.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Line numbers of a YAML document by JSON pointer. Data binding forgets where a value came from; semantic validation
 * (a path escaping the repository, an RRULE that never occurs) still has to say on which line the user wrote it.
 */
public final class YamlLocations {

  private final Map<String, Integer> lines = new HashMap<>();

  private YamlLocations() {}

  public static YamlLocations of(Node root) {
    YamlLocations locations = new YamlLocations();
    if (root != null) {
      locations.index("", root);
    }
    return locations;
  }

  public static YamlLocations none() {
    return new YamlLocations();
  }

  /** 1-based line of the node at {@code pointer}, or of its nearest ancestor that exists. */
  public int lineOf(String pointer) {
    String p = pointer;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      int slash = p.lastIndexOf('/');
      if (slash < 0) {
        return 1;
      }
      p = p.substring(0, slash);
    }
  }

  private void index(String pointer, Node node) {
    lines.putIfAbsent(pointer, node.getStartMark().getLine() + 1);
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key) {
          String child = pointer + "/" + escape(key.getValue());
          // The key's line is where a user looks for the entry, even when its value starts on the next line.
          lines.put(child, key.getStartMark().getLine() + 1);
          index(child, tuple.getValueNode());
        }
      }
    } else if (node instanceof SequenceNode sequence) {
      List<Node> items = sequence.getValue();
      for (int i = 0; i < items.size(); i++) {
        index(pointer + "/" + i, items.get(i));
      }
    }
  }

  /** RFC 6901 escaping, so keys containing '/' or '~' cannot collide. */
  public static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
