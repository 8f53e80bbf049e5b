package dev.dialtone.config.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every field path in a YAML document ({@code faults[0].latency} → 9), built from the
 * parser's token locations, so that problems found after binding still point at their line.
 */
public final class YamlLineIndex {
  private final Map<String, Integer> lines;

  private YamlLineIndex(Map<String, Integer> lines) {
    this.lines = lines;
  }

  /** Indexes what parses; a syntax error just ends the index (binding reports it). */
  public static YamlLineIndex of(String text) {
    Map<String, Integer> lines = new HashMap<>();
    lines.put("", 1);
    Deque<Frame> stack = new ArrayDeque<>();
    try (JsonParser parser = new YAMLFactory().createParser(text)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        int line = parser.currentTokenLocation().getLineNr();
        Frame parent = stack.peek();
        if (token == JsonToken.FIELD_NAME) {
          String path = join(parent.path, parser.currentName());
          parent.pendingField = path;
          lines.putIfAbsent(path, line);
          continue;
        }
        String path = "";
        if (parent != null) {
          if (parent.array) {
            path = parent.path + "[" + parent.nextIndex++ + "]";
            lines.putIfAbsent(path, line);
          } else {
            path = parent.pendingField;
          }
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          stack.push(new Frame(path, token == JsonToken.START_ARRAY));
        } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          stack.pop();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Partial index: the binder names the syntax error with its own location.
    }
    return new YamlLineIndex(lines);
  }

  private static String join(String parent, String field) {
    return parent.isEmpty() ? field : parent + "." + field;
  }

  /** The line of {@code path}, or of its nearest indexed ancestor. */
  public int lineOf(String path) {
    String current = path;
    while (true) {
      Integer line = lines.get(current);
      if (line != null) {
        return line;
      }
      int cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
      if (cut <= 0) {
        return lines.getOrDefault(current.substring(0, Math.max(cut, 0)), 1);
      }
      current = current.substring(0, cut);
    }
  }

  public boolean has(String path) {
    return lines.containsKey(path);
  }

  private static final class Frame {
    final String path;
    final boolean array;
    int nextIndex;
    String pendingField;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }
  }
}
