package dev.dialtone.dns.record;

import java.net.URI;

/**
 * The host and port of a SIP URI such as {@code sip:edge.us-east.example.com:5060}, as an SRV
 * record needs them. SIP URIs are opaque to {@link URI}, so the scheme-specific part is parsed
 * here: user info and parameters are dropped; the port defaults to 5060 ({@code sips}: 5061).
 */
public record SipTarget(String host, int port) {

  /** Parses {@code uri}; the host becomes an absolute, lower-case DNS name. */
  public static SipTarget of(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("sip") && !scheme.equals("sips")) {
      throw new IllegalArgumentException("not a SIP URI: " + uri);
    }
    String rest = uri.getSchemeSpecificPart();
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      rest = rest.substring(at + 1);
    }
    int semi = rest.indexOf(';');
    if (semi >= 0) {
      rest = rest.substring(0, semi);
    }
    int question = rest.indexOf('?');
    if (question >= 0) {
      rest = rest.substring(0, question);
    }
    int port = scheme.equals("sips") ? 5061 : 5060;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      try {
        port = Integer.parseInt(rest.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port in SIP URI: " + uri, e);
      }
      rest = rest.substring(0, colon);
    }
    if (rest.isBlank() || rest.matches("[0-9.]+")) {
      // An SRV target must be a host name, not an address literal (RFC 2782).
      throw new IllegalArgumentException("SIP URI needs a host name for an SRV target: " + uri);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("bad port in SIP URI: " + uri);
    }
    return new SipTarget(RecordKey.absolute(rest.endsWith(".") ? rest : rest + "."), port);
  }
}
