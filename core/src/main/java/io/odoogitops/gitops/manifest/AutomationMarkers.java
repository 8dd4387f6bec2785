package io.odoogitops.gitops.manifest;

import io.odoogitops.ReleaseException;
import io.odoogitops.config.YamlText;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.comments.CommentLine;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Image automation that writes an environment's files behind odoo-gitops' back, found and pinned for a hold.
 *
 * <p><b>Flux</b> image update automation sets the fields whose line comment is a JSON object with the key
 * {@code $imagepolicy} ({@code # {"$imagepolicy": "ns:policy"}}, with {@code :tag}, {@code :name} or {@code :digest}
 * after the policy). Its setter parses the comment after the {@code #} as JSON (kyaml {@code fieldmeta}:
 * {@code processShortHand}); a comment that is not JSON is not a setter and the field is left alone. Markers are found
 * among the line comments SnakeYAML reads, with their marks, like the editors' scalars. A pin therefore
 * puts {@code odoo-gitops-hold <hold-id> } between the {@code #} and the object: the line keeps the original marker
 * readable and a release removes exactly those bytes.
 *
 * <p><b>argocd-image-updater</b> (annotations on the Argo CD Application) filters the registry's tags through
 * {@code <alias>.ignore-tags}, glob patterns matched with Go's {@code filepath.Match}; {@code "*"} matches every tag,
 * so no tag is a candidate and the image is never updated, whatever its update strategy. A pin adds that annotation on
 * its own line, with the hold id as its comment, and a release removes that line.
 */
public final class AutomationMarkers {

  /** What a pin puts in front of a Flux marker and after an added annotation, followed by the hold id. */
  public static final String PIN = "odoo-gitops-hold";
  static final String UPDATER_PREFIX = "argocd-image-updater.argoproj.io/";

  /** A line comment's text (after the {@code #}) that Flux takes for a setter. */
  private static final Pattern FLUX_MARKER = Pattern.compile(
      "[ \\t]*(\\{[ \\t]*\"\\$imagepolicy\"[ \\t]*:[ \\t]*\"([^\"\\\\]*)\"[ \\t]*\\})[ \\t]*");

  /**
   * One marker or annotation found.
   *
   * @param kind {@code flux} or {@code argocd-image-updater}
   * @param location {@code file:line}
   * @param target the Flux policy ({@code ns:policy[:tag|:name|:digest]}) or the argocd-image-updater alias
   * @param pinned whether this edit pins it
   * @param problem why it could not be pinned, or null
   */
  public record Found(String kind, String location, String target, boolean pinned, String problem) {}

  /**
   * @param files the files that change (path to new bytes); empty when only looking or nothing was found
   */
  public record Result(Map<String, byte[]> files, List<Found> found) {
    public Result {
      files = Map.copyOf(files);
      found = List.copyOf(found);
    }
  }

  private AutomationMarkers() {}

  /**
   * The Flux markers in {@code files}, found as SnakeYAML reads line comments (so a {@code #} inside a string or a
   * block scalar is never taken for one); pinned for {@code holdId} when it is not null. As a last guard, a file whose
   * pinned text would not load as the same YAML is left as it is, with a problem.
   */
  public static Result flux(Map<String, byte[]> files, String holdId) {
    Map<String, byte[]> changed = new LinkedHashMap<>();
    List<Found> found = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      String text = new String(file.getValue(), StandardCharsets.UTF_8);
      if (!text.contains("$imagepolicy")) {
        continue;
      }
      List<Marker> markers;
      try {
        markers = markers(text);
      } catch (YAMLException e) {
        found.add(new Found("flux", file.getKey(), "$imagepolicy", false, file.getKey() + " is not YAML odoo-gitops"
            + " can read (" + e.getMessage().lines().findFirst().orElse("") + "); check its markers by hand"));
        continue;
      }
      List<Found> here = new ArrayList<>();
      StringBuilder pinned = new StringBuilder();
      int copied = 0;
      for (Marker marker : markers) {
        here.add(new Found("flux", file.getKey() + ":" + marker.line(), marker.policy(), holdId != null, null));
        if (holdId != null) {
          pinned.append(text, copied, marker.object()).append(PIN).append(' ').append(holdId).append(' ');
          copied = marker.object();
        }
      }
      if (holdId != null && !here.isEmpty()) {
        pinned.append(text.substring(copied));
        Optional<String> problem = sameDocuments(file.getKey(), text, pinned.toString());
        if (problem.isPresent()) {
          here.replaceAll(f -> new Found(f.kind(), f.location(), f.target(), false, problem.get()));
        } else {
          changed.put(file.getKey(), pinned.toString().getBytes(StandardCharsets.UTF_8));
        }
      }
      found.addAll(here);
    }
    return new Result(changed, found);
  }

  /**
   * One Flux marker: the policy it names, its line, and where its JSON object starts in the text.
   */
  private record Marker(String policy, int line, int object) {}

  /** The line comments of {@code text} that are Flux markers, in text order. */
  private static List<Marker> markers(String text) {
    LoaderOptions options = YamlText.loaderOptions(YamlSource.MAX_CHARS);
    options.setProcessComments(true);
    java.util.TreeMap<Integer, Marker> byPosition = new java.util.TreeMap<>();
    for (Node doc : new Yaml(options).composeAll(new StringReader(text))) {
      collect(doc, text, byPosition);
    }
    return List.copyOf(byPosition.values());
  }

  private static void collect(Node node, String text, Map<Integer, Marker> out) {
    if (node == null) {
      return;
    }
    if (node.getInLineComments() != null) {
      for (CommentLine comment : node.getInLineComments()) {
        Matcher m = FLUX_MARKER.matcher(comment.getValue());
        int hash = text.offsetByCodePoints(0, comment.getStartMark().getIndex());
        if (m.matches() && text.charAt(hash) == '#') {
          out.put(hash, new Marker(m.group(2), comment.getStartMark().getLine() + 1, hash + 1 + m.start(1)));
        }
      }
    }
    if (node instanceof MappingNode mapping) {
      mapping.getValue().forEach(t -> {
        collect(t.getKeyNode(), text, out);
        collect(t.getValueNode(), text, out);
      });
    } else if (node instanceof SequenceNode sequence) {
      sequence.getValue().forEach(child -> collect(child, text, out));
    }
  }

  /**
   * The argocd-image-updater annotations of the Argo CD Application(s) in {@code file} that update
   * {@code imageRepository}; pinned for {@code holdId} when it is not null. Only images with an alias can be pinned one
   * by one; an alias that already has {@code ignore-tags} is left as it is, with a problem.
   *
   * @param applicationName the Application's {@code metadata.name} when known (the environment's cluster block), so
   *     that a file of several Applications is read right; null: every Application in the file
   */
  public static Result imageUpdater(String file, byte[] bytes, String applicationName, String imageRepository,
      String holdId) {
    YamlSource source = YamlSource.parse(file, YamlText.decodeUtf8(bytes, file));
    List<Found> found = new ArrayList<>();
    for (Node doc : source.documents()) {
      if (!YamlSource.scalar(doc, "kind").filter("Application"::equals).isPresent()) {
        continue;
      }
      Optional<Node> metadata = YamlSource.get(doc, "metadata");
      if (metadata.isEmpty() || (applicationName != null
          && !YamlSource.scalar(metadata.get(), "name").filter(applicationName::equals).isPresent())) {
        continue;
      }
      Optional<Node> annotations = YamlSource.get(metadata.get(), "annotations");
      Optional<String> list = annotations.flatMap(a -> YamlSource.scalar(a, UPDATER_PREFIX + "image-list"));
      if (list.isEmpty()) {
        continue;
      }
      MappingNode mapping = (MappingNode) annotations.get();
      String where = source.where(YamlSource.tuple(mapping, UPDATER_PREFIX + "image-list").orElseThrow()
          .getKeyNode());
      for (String item : list.get().split(",")) {
        String spec = item.strip();
        int eq = spec.indexOf('=');
        String alias = eq > 0 ? spec.substring(0, eq).strip() : null;
        if (!repositoryOf(eq > 0 ? spec.substring(eq + 1).strip() : spec).equals(imageRepository)) {
          continue;
        }
        if (alias == null) {
          found.add(new Found("argocd-image-updater", where, spec, false, "the image has no alias in image-list,"
              + " so it cannot be pinned alone; give it one (alias=" + imageRepository + ")"));
          continue;
        }
        String key = UPDATER_PREFIX + alias + ".ignore-tags";
        if (YamlSource.tuple(mapping, key).isPresent()) {
          found.add(new Found("argocd-image-updater", where, alias, false, key + " is already set; odoo-gitops pins"
              + " by adding it and leaves a set one alone: set it to \"*\" by hand"));
          continue;
        }
        if (holdId == null) {
          found.add(new Found("argocd-image-updater", where, alias, false, null));
          continue;
        }
        try {
          source.addEntry(mapping, key, "*", PIN + " " + holdId);
          found.add(new Found("argocd-image-updater", where, alias, true, null));
        } catch (ReleaseException e) {
          found.add(new Found("argocd-image-updater", where, alias, false, e.getMessage()));
        }
      }
    }
    return new Result(source.changed() ? Map.of(file, source.result().getBytes(StandardCharsets.UTF_8)) : Map.of(),
        found);
  }

  /**
   * The files of {@code files} that change when the pins of {@code holdId} are lifted: the original Flux markers and
   * the files without the added annotations, byte for byte.
   */
  public static Map<String, byte[]> restore(Map<String, byte[]> files, String holdId) {
    String pin = PIN + " " + holdId;
    Pattern fluxPin = Pattern.compile("#([ \\t]*)" + Pattern.quote(pin + " ") + "(?=\\{[ \\t]*\"\\$imagepolicy\")");
    Pattern annotation = Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(UPDATER_PREFIX) + "[A-Za-z0-9_.-]+"
        + Pattern.quote(".ignore-tags: \"*\" # " + pin) + "[ \\t]*(\\r?\\n|\\z)");
    Map<String, byte[]> changed = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      String text = new String(file.getValue(), StandardCharsets.UTF_8);
      if (!text.contains(pin)) {
        continue;
      }
      String restored = annotation.matcher(fluxPin.matcher(text).replaceAll("#$1")).replaceAll("");
      if (!restored.equals(text)) {
        changed.put(file.getKey(), restored.getBytes(StandardCharsets.UTF_8));
      }
    }
    return changed;
  }

  /** {@code repo} of {@code repo[:tag|constraint][@digest]} as image-list writes it. */
  static String repositoryOf(String image) {
    String rest = image;
    int at = rest.indexOf('@');
    if (at >= 0) {
      rest = rest.substring(0, at);
    }
    int colon = rest.lastIndexOf(':');
    return colon > rest.lastIndexOf('/') ? rest.substring(0, colon) : rest;
  }

  /** Why {@code after} is not the same YAML as {@code before}, if it is not: only comments may differ. */
  private static Optional<String> sameDocuments(String file, String before, String after) {
    try {
      if (load(before).equals(load(after))) {
        return Optional.empty();
      }
      return Optional.of("pinning would change a value, not only a comment (a '#' inside a string?); pin it by hand");
    } catch (YAMLException e) {
      return Optional.of(file + " is not YAML odoo-gitops can read (" + e.getMessage().lines().findFirst().orElse("")
          + "); pin it by hand");
    }
  }

  private static List<Object> load(String text) {
    List<Object> docs = new ArrayList<>();
    new Yaml(new SafeConstructor(YamlText.loaderOptions(YamlSource.MAX_CHARS))).loadAll(new StringReader(text))
        .forEach(docs::add);
    return docs;
  }
}
