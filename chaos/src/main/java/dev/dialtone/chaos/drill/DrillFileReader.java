package dev.dialtone.chaos.drill;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads drill files: binds the YAML strictly (unknown keys are refused with the closest valid
 * name), then validates; every problem names the file, the line and the field.
 */
public final class DrillFileReader {
  private static final List<String> FAULT_TYPES =
      List.of("latency", "timeout", "reset_peer", "bandwidth", "slicer", "down");

  private final ObjectMapper mapper;

  public DrillFileReader() {
    SimpleModule durations = new SimpleModule("drill-durations");
    durations.addDeserializer(Duration.class, new DurationDeserializer());
    this.mapper =
        JsonMapper.builder(new YAMLFactory())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(durations)
            .build();
  }

  /** Reads and validates one drill file; its path as given is the file name in messages. */
  public DrillDefinition read(Path file) throws IOException, DrillValidationException {
    return read(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Reads and validates drill text; {@code file} names it in messages. */
  public DrillDefinition read(String file, String text) throws DrillValidationException {
    YamlLineIndex lines = YamlLineIndex.of(text);
    DrillDefinition drill;
    try {
      drill = mapper.readValue(text, DrillDefinition.class);
    } catch (JsonProcessingException e) {
      if (!(e instanceof MismatchedInputException && e.getOriginalMessage().startsWith("No content"))) {
        throw new DrillValidationException(List.of(bindingProblem(file, lines, e)));
      }
      drill = null; // a file of comments only
    }
    if (drill == null) {
      throw new DrillValidationException(List.of(new DrillProblem(file, 1, "", "the file is empty")));
    }
    List<DrillProblem> problems =
        DrillValidator.validate(drill).stream()
            .map(v -> new DrillProblem(file, lines.lineOf(v.field()), v.field(), v.message()))
            .toList();
    if (!problems.isEmpty()) {
      throw new DrillValidationException(problems);
    }
    return drill;
  }

  private static DrillProblem bindingProblem(String file, YamlLineIndex lines, JsonProcessingException e) {
    if (!(e instanceof JsonMappingException mapping)) {
      // A YAML syntax error: only the parser knows where.
      return new DrillProblem(file, lineOf(e.getLocation(), 1), "", "not valid YAML: " + e.getOriginalMessage());
    }
    String path = path(mapping.getPath());
    int line = lines.has(path) ? lines.lineOf(path) : lineOf(e.getLocation(), lines.lineOf(path));
    String where = parentOf(path).isEmpty() ? "" : " in " + parentOf(path);
    return switch (mapping) {
      case UnrecognizedPropertyException unknown -> {
        List<String> known = unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
        yield new DrillProblem(
            file,
            line,
            path,
            "unknown field '" + unknown.getPropertyName() + "'" + where + hint(unknown.getPropertyName(), known));
      }
      case InvalidTypeIdException badType -> {
        String typePath = path.isEmpty() ? "type" : path + ".type";
        String id = badType.getTypeId();
        String message =
            id == null
                ? "missing field 'type'" + (path.isEmpty() ? "" : " in " + path) + " (one of: " + String.join(", ", FAULT_TYPES) + ")"
                : "unknown fault type '" + id + "'" + (path.isEmpty() ? "" : " in " + path) + hint(id, FAULT_TYPES);
        yield new DrillProblem(file, lines.lineOf(typePath), typePath, message);
      }
      case InvalidFormatException badValue when badValue.getTargetType() != null && badValue.getTargetType().isEnum() ->
          new DrillProblem(
              file,
              line,
              path,
              path + ": '" + badValue.getValue() + "' is not one of " + enumNames(badValue.getTargetType()));
      // Stream-level problems (a duplicate key) know their own line better than the path does.
      default -> new DrillProblem(file, lineOf(e.getLocation(), line), path, (path.isEmpty() ? "" : path + ": ") + e.getOriginalMessage());
    };
  }

  private static String hint(String wrong, List<String> valid) {
    Optional<String> closest = ClosestName.to(wrong, valid);
    return closest.map(name -> " (did you mean '" + name + "'?)").orElse(" (valid: " + String.join(", ", valid) + ")");
  }

  private static String enumNames(Class<?> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
        .collect(Collectors.joining(", "));
  }

  private static int lineOf(JsonLocation location, int fallback) {
    return location != null && location.getLineNr() > 0 ? location.getLineNr() : fallback;
  }

  private static String parentOf(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    if (cut < 0) {
      return "";
    }
    // "faults[0].latncy" → "faults[0]"; "faults[0]" → "faults"
    return path.substring(0, cut);
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      } else if (reference.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      }
    }
    return path.toString();
  }

  /** Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 durations. */
  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      String text = parser.getValueAsString();
      if (text == null) {
        return (Duration) context.handleUnexpectedToken(Duration.class, parser);
      }
      try {
        return DurationText.parse(text);
      } catch (IllegalArgumentException e) {
        throw InvalidFormatException.from(parser, e.getMessage(), text, Duration.class);
      }
    }
  }
}
