package dev.dialtone.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.PropertyNamingStrategy;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dialtone.config.yaml.ClosestName;
import dev.dialtone.config.yaml.YamlLineIndex;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Reads one kind of Dialtone file into its typed config class: Jackson binds the YAML strictly
 * (unknown keys with a "did you mean", duplicate keys, a second document, wrong types all refused),
 * then Jakarta Bean Validation checks the tree (field constraints, {@code @Valid} nested sections,
 * {@link Checked} cross-field rules). Every problem becomes one {@link Problem} naming the file,
 * the line and the field; all of them are thrown together as a {@link ConfigException}.
 *
 * @param <T> the file's config class
 */
public final class ConfigLoader<T> {
  private static final ValidatorFactory VALIDATION = Validation.byDefaultProvider().configure()
      .messageInterpolator(new ParameterMessageInterpolator())
      .buildValidatorFactory();

  private final Class<T> type;
  private final ObjectMapper mapper;
  private final Function<String, String> fieldNames;
  private final Validator validator = VALIDATION.getValidator();

  private ConfigLoader(Class<T> type, Map<String, String> environment, PropertyNamingStrategy naming) {
    this.type = type;
    JsonMapper.Builder b = JsonMapper.builder(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .addModule(new SimpleModule("dialtone-config")
            .addDeserializer(Duration.class, new DurationDeserializer())
            .addDeserializer(Secret.class, new SecretDeserializer(Map.copyOf(environment))));
    if (naming != null) {
      b.propertyNamingStrategy(naming);
    }
    this.mapper = b.build();
    this.fieldNames = naming instanceof PropertyNamingStrategies.NamingBase base ? base::translate : n -> n;
  }

  /** A loader for camelCase files; {@code environment} is where {@code env:NAME} secrets are looked up. */
  public static <T> ConfigLoader<T> of(Class<T> type, Map<String, String> environment) {
    return new ConfigLoader<>(type, environment, null);
  }

  /** A loader for snake_case files (drills). */
  public static <T> ConfigLoader<T> snakeCase(Class<T> type, Map<String, String> environment) {
    return new ConfigLoader<>(type, environment, PropertyNamingStrategies.SNAKE_CASE);
  }

  /** Reads, binds and validates {@code file}; its path as given names it in problems. */
  public T load(java.nio.file.Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw ConfigException.of(file.toString(), "", "cannot read the file (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")");
    }
    return parse(file.toString(), text);
  }

  /** Binds and validates {@code text}; {@code file} names it in problems. */
  public T parse(String file, String text) {
    T bound = bind(file, text);
    List<Problem> problems = validate(file, YamlLineIndex.of(text), bound);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return bound;
  }

  /** Only binds {@code text} (no validation), for callers that check a tree of their own. */
  public T bind(String file, String text) {
    YamlLineIndex lines = YamlLineIndex.of(text);
    T bound;
    try {
      bound = mapper.readValue(text, type);
    } catch (JsonProcessingException e) {
      if (!(e instanceof MismatchedInputException && e.getOriginalMessage().startsWith("No content"))) {
        throw new ConfigException(List.of(bindingProblem(file, text, lines, e)));
      }
      bound = null; // a file of comments only
    }
    if (bound == null) {
      throw ConfigException.of(file, "", "the file is empty");
    }
    return bound;
  }

  /** Bean Validation problems of an already bound tree, with their lines. */
  public List<Problem> validate(String file, YamlLineIndex lines, Object bound) {
    Set<String> seen = new LinkedHashSet<>();
    List<Problem> problems = new ArrayList<>();
    for (ConstraintViolation<Object> v : validator.validate(bound)) {
      String field = path(v.getPropertyPath());
      String message = v.getMessage().equals("must not be null") ? "is required" : v.getMessage();
      // Record components carry a constraint on both field and accessor: report it once.
      if (seen.add(field + "\u0000" + message)) {
        problems.add(new Problem(file, lines.lineOf(field), field, message));
      }
    }
    problems.sort(null);
    return problems;
  }

  private String path(Path propertyPath) {
    StringBuilder out = new StringBuilder();
    for (Path.Node node : propertyPath) {
      if (node.isInIterable()) {
        out.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
      }
      if (node.getKind() == ElementKind.CONTAINER_ELEMENT || node.getName() == null) {
        continue;
      }
      if (!out.isEmpty()) {
        out.append('.');
      }
      out.append(fieldPath(node.getName()));
    }
    return out.toString();
  }

  // A Checked rule may name a nested path ("edge.a[0]"): translate each name, keep the indexes.
  private String fieldPath(String javaPath) {
    return Arrays.stream(javaPath.split("\\.", -1))
        .map(seg -> {
          int bracket = seg.indexOf('[');
          return bracket < 0 ? fieldNames.apply(seg) : fieldNames.apply(seg.substring(0, bracket)) + seg.substring(bracket);
        })
        .collect(Collectors.joining("."));
  }

  private Problem bindingProblem(String file, String text, YamlLineIndex lines, JsonProcessingException e) {
    if (!(e instanceof JsonMappingException mapping)) {
      // A YAML syntax error or a duplicate key: only the parser knows where.
      String msg = withoutSnippets(e.getOriginalMessage());
      if (msg.startsWith("Duplicate field")) {
        msg = "duplicate key " + msg.substring("Duplicate field ".length()) + ": each key may appear once";
      }
      return new Problem(file, lineOf(e.getLocation(), 1), "", msg.startsWith("duplicate") ? msg : "not valid YAML: " + msg);
    }
    String path = path(mapping.getPath());
    int line = lines.has(path) ? lines.lineOf(path) : lineOf(e.getLocation(), lines.lineOf(path));
    return switch (mapping) {
      case UnrecognizedPropertyException unknown -> {
        List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
            : unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
        String parent = parentOf(path);
        yield new Problem(file, line, path, "unknown key '" + unknown.getPropertyName() + "'"
            + (parent.isEmpty() ? "" : " in " + parent) + hint(unknown.getPropertyName(), known));
      }
      case InvalidTypeIdException badType -> {
        Class<?> base = badType.getBaseType().getRawClass();
        List<String> kinds = subtypeNames(base);
        String id = badType.getTypeId();
        JsonTypeInfo info = base.getAnnotation(JsonTypeInfo.class);
        if (info != null && info.include() == JsonTypeInfo.As.PROPERTY) {
          // A "type: x" key: point at it.
          String property = info.property().isEmpty() ? "@type" : info.property();
          String at = path.isEmpty() ? property : path + "." + property;
          yield new Problem(file, lines.has(at) ? lines.lineOf(at) : line, at, id == null || id.isEmpty()
              ? "is required: one of " + String.join(", ", kinds)
              : "unknown " + property + " '" + id + "'" + hint(id, kinds));
        }
        yield new Problem(file, line, path, id == null || id.isEmpty()
            ? "needs exactly one of: " + String.join(", ", kinds)
            : "unknown kind '" + id + "'" + hint(id, kinds));
      }
      case ValueInstantiationException inst -> new Problem(file, line, path,
          inst.getCause() != null && inst.getCause().getMessage() != null ? inst.getCause().getMessage() : "invalid value");
      case MismatchedInputException mismatch when mismatch.getOriginalMessage().startsWith("Trailing token") ->
          new Problem(file, documentMarkerLine(text, lineOf(e.getLocation(), line)), "",
              "a second YAML document ('---') is not allowed: one file holds one configuration");
      case MismatchedInputException mismatch when mismatch.getTargetType() != null
          && !(mismatch.getOriginalMessage() != null && mismatch.getOriginalMessage().startsWith("Dialtone:")) ->
          new Problem(file, line, path, expected(mismatch.getTargetType(), mismatch));
      default -> {
        String msg = withoutSnippets(e.getOriginalMessage());
        if (msg.startsWith("Duplicate field ")) {
          msg = "duplicate key " + msg.substring("Duplicate field ".length()) + ": each key may appear once";
        }
        yield new Problem(file, lineOf(e.getLocation(), line), path, msg.startsWith("Dialtone:") ? msg.substring(9).strip() : msg);
      }
    };
  }

  private static final java.util.regex.Pattern MARK = java.util.regex.Pattern.compile("line (\\d+), column (\\d+)");

  /**
   * The YAML parser's message without its quotes of the file: SnakeYAML shows the offending line
   * under each "in 'reader', line L, column C:" mark, and that line may hold a pasted secret (an
   * unclosed quote around an API key, say). Its own words are kept, indented quotes and carets
   * dropped, and where the first mark points (the start of the trouble) added.
   */
  static String withoutSnippets(String message) {
    if (message == null || message.indexOf('\n') < 0) {
      return message;
    }
    List<String> words = new ArrayList<>();
    String at = null;
    for (String line : message.split("\n")) {
      java.util.regex.Matcher mark = MARK.matcher(line);
      if (line.startsWith(" in ") && mark.find()) {
        at = at == null ? mark.group() : at;
      } else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        words.add(line.strip());
      }
    }
    return String.join(", ", words) + (at == null ? "" : " (at " + at + "; the line is not quoted: it may hold a secret)");
  }

  /** What a field of {@code target} type accepts, in an operator's words. */
  private static String expected(Class<?> target, MismatchedInputException e) {
    String was = e instanceof InvalidFormatException f && f.getValue() != null ? " (was '" + f.getValue() + "')" : "";
    if (target.isEnum()) {
      return "must be one of " + Arrays.stream(target.getEnumConstants())
          .map(c -> c.toString().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + was;
    }
    if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
      return "must be a whole number" + was;
    }
    if (target == Double.class || target == double.class) {
      return "must be a number" + was;
    }
    if (target == Boolean.class || target == boolean.class) {
      return "must be true or false" + was;
    }
    if (target == String.class) {
      return "must be a single value (text), not a list or a mapping";
    }
    if (Collection.class.isAssignableFrom(target)) {
      return "must be a list ('- item' lines or [a, b])";
    }
    if (Map.class.isAssignableFrom(target) || target.isRecord()) {
      return "must be a mapping (key: value lines)";
    }
    return "invalid value" + was;
  }

  private static List<String> subtypeNames(Class<?> base) {
    JsonSubTypes types = base.getAnnotation(JsonSubTypes.class);
    return types == null ? List.of() : Arrays.stream(types.value()).map(JsonSubTypes.Type::name).toList();
  }

  private static String hint(String wrong, List<String> valid) {
    if (valid.isEmpty()) {
      return "";
    }
    Optional<String> closest = ClosestName.to(wrong, valid);
    return closest.map(n -> " (did you mean '" + n + "'?)").orElse(" (known: " + String.join(", ", valid) + ")");
  }

  // The '---' that starts the second document, rather than the first token after it.
  private static int documentMarkerLine(String text, int fallback) {
    List<String> all = text.lines().toList();
    boolean content = false;
    for (int i = 0; i < all.size(); i++) {
      String l = all.get(i).strip();
      if (l.startsWith("---") && content) {
        return i + 1;
      }
      content |= !l.isEmpty() && !l.startsWith("#") && !l.startsWith("---") && !l.startsWith("%");
    }
    return fallback;
  }

  private static int lineOf(JsonLocation location, int fallback) {
    return location != null && location.getLineNr() > 0 ? location.getLineNr() : fallback;
  }

  private static String parentOf(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : references) {
      if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      } else if (r.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(r.getFieldName());
      }
    }
    return path.toString();
  }

  /** Raises a binding problem whose message Dialtone wrote (shown as is). */
  static JsonMappingException problem(JsonParser p, String message) {
    return JsonMappingException.from(p, "Dialtone: " + message);
  }

  /** {@link Durations} syntax. */
  static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    DurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.currentToken().isScalarValue()) {
        throw problem(p, "must be a duration: " + Durations.SYNTAX);
      }
      try {
        return Durations.parse(p.getValueAsString(""));
      } catch (IllegalArgumentException e) {
        throw problem(p, e.getMessage());
      }
    }
  }

  /** A {@link Secret} reference resolved at load; problems never carry the value. */
  static final class SecretDeserializer extends StdScalarDeserializer<Secret> {
    private static final long serialVersionUID = 1L;
    private final Map<String, String> environment;

    SecretDeserializer(Map<String, String> environment) {
      super(Secret.class);
      this.environment = environment;
    }

    @Override
    public Secret deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.currentToken().isScalarValue()) {
        throw problem(p, "must be " + Secret.SYNTAX);
      }
      try {
        return Secret.resolve(p.getValueAsString(""), environment);
      } catch (IllegalArgumentException e) {
        throw problem(p, e.getMessage());
      }
    }
  }
}
