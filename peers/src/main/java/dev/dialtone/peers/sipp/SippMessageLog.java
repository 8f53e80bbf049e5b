package dev.dialtone.peers.sipp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the CSV of SIP messages SIPp writes with {@code -trace_shortmsg}: one tab-separated line per
 * message sent (S) or received (R) with its wall-clock time, Call-ID, CSeq and first line.
 */
final class SippMessageLog {
  /** One traced message. */
  record Message(Instant at, boolean sent, String callId, String cseqMethod, String firstLine) {
    /** The status code of a response, 0 for a request. */
    int status() {
      return SipOptionsPing.statusCode(firstLine);
    }
  }

  private SippMessageLog() {}

  static List<Message> read(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read SIPp message trace " + file, e);
    }
    List<Message> messages = new ArrayList<>(lines.size());
    for (String line : lines) {
      String[] f = line.split("\t");
      // A line being written may be partial: skip it, the next read sees it whole.
      if (f.length < 7 || !f[6].endsWith("SIP/2.0") && !f[6].startsWith("SIP/2.0 ")) {
        continue;
      }
      String[] seconds = f[2].split("\\.");
      Instant at = Instant.ofEpochSecond(Long.parseLong(seconds[0]), Long.parseLong(seconds[1]) * 1_000);
      String cseq = f[5].substring(f[5].lastIndexOf(' ') + 1);
      messages.add(new Message(at, "S".equals(f[3]), f[4], cseq, f[6]));
    }
    return messages;
  }

  /**
   * The time of the first message per Call-ID matching {@code sent}, {@code method} and
   * {@code status} (0 for requests), in order of occurrence.
   */
  static Map<String, Instant> firstPerCall(List<Message> messages, boolean sent, String method, int status) {
    Map<String, Instant> calls = new LinkedHashMap<>();
    for (Message m : messages) {
      if (m.sent() == sent && m.cseqMethod().equals(method) && m.status() == status
          && (status != 0 || m.firstLine().startsWith(method + " "))) {
        calls.putIfAbsent(m.callId(), m.at());
      }
    }
    return calls;
  }
}
