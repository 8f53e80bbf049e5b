package dev.dialtone.chaos.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dialtone.chaos.zookeeper.ChaosJson;
import java.io.IOException;

/** A report as JSON (ISO-8601 instants), and back. */
public final class JsonReport {
  private static final ObjectMapper JSON = ChaosJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static String render(DrillReport report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a drill report must always serialize", e);
    }
  }

  public static byte[] bytes(DrillReport report) {
    try {
      return JSON.writeValueAsBytes(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a drill report must always serialize", e);
    }
  }

  public static DrillReport parse(byte[] json) throws IOException {
    return JSON.readValue(json, DrillReport.class);
  }
}
