package dev.dialtone.dns.ownership;

import dev.dialtone.dns.record.RecordKey;
import dev.dialtone.dns.record.RecordType;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who owns a managed name, as the TXT record {@code "dialtone deployment=<id> epoch=<n>"} at
 * {@code _dialtone-owner.<name>}.
 *
 * <p>Why a prefixed name rather than a TXT at the name itself: a name managed as CNAME may hold
 * no other data (RFC 1034), a TXT at the name would be mixed with other TXT data published
 * there (site verification, SPF), and it would show up in every {@code ANY}/TXT answer for the
 * service name. The prefix keeps one owner RRset per managed name whatever its type.
 *
 * @param deployment the owning deployment's id, e.g. {@code acme-voice}
 * @param epoch the leadership epoch that wrote last
 */
public record OwnerRecord(String deployment, long epoch) {
  /** The label prepended to a managed name to find its ownership record. */
  public static final String PREFIX = "_dialtone-owner.";

  private static final Pattern TEXT = Pattern.compile("dialtone deployment=([A-Za-z0-9._-]+) epoch=(\\d{1,18})");

  public OwnerRecord {
    if (deployment == null || !deployment.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("deployment id must match [A-Za-z0-9._-]+, got '" + deployment + "'");
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
  }

  /** The ownership RRset's key for managed {@code name}. */
  public static RecordKey keyFor(String name) {
    return new RecordKey(PREFIX + name, RecordType.TXT);
  }

  /** The record's text, unquoted. */
  public String text() {
    return "dialtone deployment=" + deployment + " epoch=" + epoch;
  }

  /** The TXT data in presentation form (quoted), as RRsets hold it. */
  public String txtData() {
    return "\"" + text() + "\"";
  }

  /** Parses TXT data (quoted or not); empty if it is not exactly a Dialtone ownership text. */
  public static Optional<OwnerRecord> parse(String txtData) {
    String text = txtData.strip();
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      text = text.substring(1, text.length() - 1);
    }
    Matcher m = TEXT.matcher(text);
    return m.matches() ? Optional.of(new OwnerRecord(m.group(1), Long.parseLong(m.group(2)))) : Optional.empty();
  }
}
