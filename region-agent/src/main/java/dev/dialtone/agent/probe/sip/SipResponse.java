package dev.dialtone.agent.probe.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A parsed SIP response: status line and headers (compact forms expanded, names lower-cased). */
public record SipResponse(int status, String reason, Map<String, List<String>> headers) {

  private static final Map<String, String> COMPACT =
      Map.of("v", "via", "i", "call-id", "f", "from", "t", "to", "l", "content-length", "m", "contact");

  /** Parses the head of a response (up to the blank line) or throws {@link IllegalArgumentException}. */
  public static SipResponse parse(byte[] bytes, int length) {
    String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    String head = end >= 0 ? text.substring(0, end) : text;
    String[] lines = head.split("\r\n");
    String statusLine = lines[0];
    if (!statusLine.startsWith("SIP/2.0 ")) {
      throw new IllegalArgumentException("not a SIP response: " + abbreviate(statusLine));
    }
    String[] parts = statusLine.split(" ", 3);
    int status;
    try {
      status = Integer.parseInt(parts[1]);
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("bad status line: " + abbreviate(statusLine));
    }
    if (status < 100 || status > 699) {
      throw new IllegalArgumentException("bad status code: " + status);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    String lastName = null;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if ((line.startsWith(" ") || line.startsWith("\t")) && lastName != null) {
        // Header folding (RFC 3261 §7.3.1): continue the previous value.
        List<String> values = headers.get(lastName);
        values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.strip());
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      name = COMPACT.getOrDefault(name, name);
      lastName = name;
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
    }
    return new SipResponse(status, parts.length > 2 ? parts[2] : "", headers);
  }

  /** The first value of a header, or empty. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? "" : values.get(0);
  }

  /** The Call-ID header. */
  public String callId() {
    return header("call-id");
  }

  /** The CSeq header, e.g. {@code 1 OPTIONS}, whitespace normalised. */
  public String cseq() {
    return header("cseq").replaceAll("\\s+", " ");
  }

  /** The branch parameter of the topmost Via (comma-separated Vias count). */
  public String topViaBranch() {
    String via = header("via");
    int comma = via.indexOf(',');
    if (comma >= 0) {
      via = via.substring(0, comma);
    }
    for (String param : via.split(";")) {
      String[] kv = param.strip().split("=", 2);
      if (kv.length == 2 && kv[0].equalsIgnoreCase("branch")) {
        return kv[1].strip();
      }
    }
    return "";
  }

  /** The Content-Length, 0 when absent. */
  public int contentLength() {
    String v = header("content-length");
    try {
      return v.isEmpty() ? 0 : Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }
}
