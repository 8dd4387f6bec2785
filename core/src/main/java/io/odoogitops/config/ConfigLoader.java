package io.odoogitops.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.io.StringReader;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code odoo-gitops.yaml} strictly: unknown keys, wrong types, bad zones, unsafe paths and dangling references
 * are all reported with {@code file:line}, and YAML bombs (alias expansion, huge documents) are refused before they
 * cost memory.
 */
public final class ConfigLoader {

  /** Far above any real configuration, far below what hurts a Jenkins controller. */
  public static final int MAX_BYTES = 1 << 20;
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");

  private ConfigLoader() {}

  /** Loads a configuration from its bytes; {@code file} is how errors name it. */
  public static ReleaseConfig load(byte[] bytes, String file) {
    String text = decode(bytes, file);
    LoaderOptions options = loaderOptions();
    Node root = compose(text, file, options);
    refuseDuplicateKeys(root, new ArrayList<>(), file);
    YamlLocations locations = YamlLocations.of(root);
    if (root == null) {
      throw ReleaseException.badInput(file + ":1: the file is empty; it must define at least 'applications' and"
          + " 'environments' (see docs/configuration.md)");
    }
    ReleaseConfig config = bind(text, file, locations).withNames();
    ConfigProblems problems = new ConfigProblems(file, locations);
    validate(config, problems);
    problems.throwIfAny();
    return config;
  }

  /** The YAML mapper configured with the same limits, for other YAML documents of the product. */
  public static ObjectMapper strictYamlMapper() {
    return YAMLMapper.builder(YAMLFactory.builder().loaderOptions(loaderOptions()).build())
        .addModule(new JavaTimeModule())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .build();
  }

  static LoaderOptions loaderOptions() {
    return YamlText.loaderOptions(MAX_BYTES);
  }

  private static String decode(byte[] bytes, String file) {
    if (bytes.length > MAX_BYTES) {
      throw ReleaseException.badInput(file + ": " + bytes.length + " bytes is larger than the " + MAX_BYTES
          + "-byte limit for a configuration file; split it or remove generated content");
    }
    return YamlText.decodeUtf8(bytes, file);
  }

  private static Node compose(String text, String file, LoaderOptions options) {
    try {
      Node node = new Yaml(options).compose(new StringReader(text));
      return node;
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
      throw ReleaseException.badInput(file + ":" + line + ": invalid YAML: " + firstLine(e.getProblem()));
    } catch (YAMLException e) {
      // Limits (aliases, size, depth) surface here without a mark.
      throw ReleaseException.badInput(file + ": refused: " + firstLine(e.getMessage())
          + " (anchors/aliases and document size are limited to keep YAML bombs out)");
    }
  }

  /**
   * Composing keeps duplicate keys and binding reports them at the parent's line, without the first occurrence; the
   * node tree still knows where each one was written. The path is kept as segments and joined only for the message:
   * building it for every node of a large file was most of this walk's time.
   */
  private static void refuseDuplicateKeys(Node node, List<String> path, String file) {
    if (node instanceof MappingNode mapping) {
      Map<String, Integer> seen = new HashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        if (!(tuple.getKeyNode() instanceof ScalarNode key) || key.getValue().equals("<<")) {
          continue;
        }
        int line = key.getStartMark().getLine() + 1;
        Integer first = seen.putIfAbsent(key.getValue(), line);
        if (first != null) {
          throw ReleaseException.badInput(file + ":" + line + ": " + (path.isEmpty() ? "" : String.join(".", path)
              + ": ") + "duplicate key '" + key.getValue() + "' (first at line " + first + "); remove or rename one");
        }
        path.add(key.getValue());
        refuseDuplicateKeys(tuple.getValueNode(), path, file);
        path.remove(path.size() - 1);
      }
    } else if (node instanceof SequenceNode sequence) {
      for (int i = 0; i < sequence.getValue().size(); i++) {
        path.add(Integer.toString(i));
        refuseDuplicateKeys(sequence.getValue().get(i), path, file);
        path.remove(path.size() - 1);
      }
    }
  }

  private static ReleaseConfig bind(String text, String file, YamlLocations locations) {
    try {
      return strictYamlMapper().readValue(text, ReleaseConfig.class);
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", "));
      throw ReleaseException.badInput(file + ":" + locations.lineOf(pointer(e)) + ": " + path(e) + "unknown key '"
          + e.getPropertyName() + "'" + (known.isEmpty() ? "" : "; allowed here: " + known));
    } catch (JsonMappingException e) {
      throw ReleaseException.badInput(file + ":" + locations.lineOf(pointer(e)) + ": " + path(e)
          + firstLine(withoutJavaTypes(e)));
    } catch (JsonProcessingException e) {
      throw ReleaseException.badInput(file + ":" + line(e.getLocation()) + ": invalid YAML: "
          + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw ReleaseException.badInput(file + ": cannot be read: " + e.getMessage());
    }
  }

  private static void validate(ReleaseConfig config, ConfigProblems problems) {
    try {
      ZoneId.of(config.timeZone());
    } catch (DateTimeException e) {
      problems.at("/timeZone", "unknown time zone '" + config.timeZone() + "'; use a region id such as"
          + " Europe/Brussels or UTC");
    }
    if (config.applications().isEmpty()) {
      problems.at("", "no 'applications' defined; name at least one with its image repository");
    }
    config.applications().forEach((name, app) -> {
      String at = "/applications/" + YamlLocations.escape(name);
      if (!NAME.matcher(name).matches()) {
        problems.at(at, "application names use lowercase letters, digits, '.', '_' and '-' (max 63)");
      }
      if (app.image() == null || app.image().isBlank()) {
        problems.at(at, "'image' is required: the repository this application's images are pushed to");
      } else {
        imageProblem(app.image()).ifPresent(p -> problems.at(at + "/image", p));
      }
    });
    if (config.environments().isEmpty()) {
      problems.at("", "no 'environments' defined; name at least one with its path and layout");
    }
    config.environments().forEach((name, env) -> validateEnvironment(config, name, env, problems));
    PolicySpecValidator.validate(config, problems);
    FleetSpecValidator.validate(config, problems);
  }

  /**
   * An application's image is read with the one grammar promotions use ({@link ImageRef#split}), so a repository the
   * config accepts is one every promote can match, and it must be bare: the promoted digest supplies the rest.
   */
  private static Optional<String> imageProblem(String image) {
    Optional<ImageRef.Written> written = ImageRef.split(image);
    if (written.isEmpty()) {
      return Optional.of("'" + image + "' is not a valid image repository: use [registry[:port]/]path with a"
          + " lowercase path, e.g. registry.example.com/acme/odoo");
    }
    if (written.get().tag() != null || written.get().digest() != null) {
      return Optional.of("'" + image + "' must be a repository without tag or digest,"
          + " e.g. registry.example.com/acme/odoo");
    }
    return Optional.empty();
  }

  private static void validateEnvironment(ReleaseConfig config, String name, EnvironmentSpec env,
      ConfigProblems problems) {
    String at = "/environments/" + YamlLocations.escape(name);
    if (!NAME.matcher(name).matches()) {
      problems.at(at, "environment names use lowercase letters, digits, '.', '_' and '-' (max 63)");
    }
    if (env.path() == null) {
      problems.at(at, "'path' is required: the directory of this environment's manifests");
    } else {
      RepoPath.problem(env.path()).ifPresent(p -> problems.at(at + "/path", p));
      String dir = RepoPath.normalize(env.path());
      if (dir.equals(ReleaseConfig.VOTES_DIRECTORY) || dir.startsWith(ReleaseConfig.VOTES_DIRECTORY + "/")) {
        problems.at(at + "/path", "'" + env.path() + "' is below " + ReleaseConfig.VOTES_DIRECTORY + "/, where"
            + " signed votes live; put the environment's manifests elsewhere");
      }
    }
    if (env.layout() == null) {
      problems.at(at, "'layout' is required: kustomize, helm or manifest");
    }
    if (env.file() != null) {
      RepoPath.problem(env.file()).ifPresent(p -> problems.at(at + "/file", p));
    }
    if (env.promoteFrom() != null) {
      if (!config.environments().containsKey(env.promoteFrom())) {
        problems.at(at + "/promoteFrom", "'" + env.promoteFrom() + "' is not an environment of this file");
      } else if (promotionCycle(config, name)) {
        problems.at(at + "/promoteFrom", "promoteFrom forms a cycle; environments must be promoted in a line"
            + " such as staging -> production");
      }
    }
    if (env.cluster() != null) {
      env.cluster().validate(at + "/cluster", problems);
    }
    if (env.restore() != null) {
      env.restore().validate(at + "/restore", problems);
    }
    if (env.automation() != null) {
      env.automation().validate(at + "/automation", problems);
    }
    boolean cnpg = env.cloudNativePG().isPresent();
    boolean dump = env.dump().isPresent();
    if (cnpg && dump) {
      problems.at(at + "/restore/dump", "restore points are taken one way: remove 'restore.dump' or"
          + " 'cluster.cloudNativePG'");
    } else if (env.restorePoint() != RestorePointPolicy.OFF && !cnpg && !dump) {
      problems.at(at + "/restorePoint", "'" + env.restorePoint().yamlName() + "' needs a way to take restore points:"
          + " 'cluster.cloudNativePG: { cluster: NAME }' or 'restore.dump: { location: DIR, database: { … } }'"
          + " (docs/restore-points.md)");
    }
    if (env.dryRun() != null) {
      env.dryRun().validate(at + "/dryRun", problems);
    }
    if (env.gate() != null && env.gate().approvals() < 0) {
      problems.at(at + "/gate/approvals", "must be 0 or more");
    }
  }

  private static boolean promotionCycle(ReleaseConfig config, String start) {
    Set<String> seen = new HashSet<>();
    String current = start;
    while (current != null) {
      if (!seen.add(current)) {
        return true;
      }
      EnvironmentSpec env = config.environments().get(current);
      current = env == null ? null : env.promoteFrom();
    }
    return false;
  }

  /** Jackson's wording names Java types; a person editing YAML needs the value's own problem or its YAML kind. */
  private static String withoutJavaTypes(JsonMappingException e) {
    if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException cause) {
      // Our own @JsonCreator factories (Layout, ...) explain the allowed values.
      return cause.getMessage();
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      Class<?> type = mismatch.getTargetType();
      String expected;
      if (type.isEnum()) {
        expected = "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
            .collect(Collectors.joining(", "));
      } else if (Map.class.isAssignableFrom(type) || type.isRecord()) {
        expected = "a mapping (key: value)";
      } else if (Collection.class.isAssignableFrom(type) || type.isArray()) {
        expected = "a list";
      } else if (type == boolean.class || type == Boolean.class) {
        expected = "true or false";
      } else if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
        expected = "a number";
      } else if (type == String.class) {
        expected = "a single value (text)";
      } else {
        expected = "a " + type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
      }
      String given = mismatch instanceof InvalidFormatException invalid && invalid.getValue() != null
          ? "'" + invalid.getValue() + "' is not valid; " : "";
      return given + "expected " + expected + " here";
    }
    return e.getOriginalMessage().replaceAll("`[\\w.$]+\\.(\\w+)`", "$1");
  }

  private static int line(JsonLocation location) {
    return location == null || location.getLineNr() < 1 ? 1 : location.getLineNr();
  }

  private static String pointer(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> "/" + (r.getFieldName() != null ? YamlLocations.escape(r.getFieldName()) : r.getIndex()))
        .collect(Collectors.joining());
  }

  private static String path(JsonMappingException e) {
    String p = e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
        .collect(Collectors.joining("."));
    return p.isEmpty() ? "" : p + ": ";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
