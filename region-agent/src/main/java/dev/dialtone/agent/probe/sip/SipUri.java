package dev.dialtone.agent.probe.sip;

import java.util.Locale;

/**
 * The parts of a {@code sip:} URI a probe needs: optional user, host, port (default 5060) and
 * transport (default UDP). Accepts {@code sip:[user@]host[:port][;params]}, IPv6 hosts in brackets.
 */
public record SipUri(String text, String user, String host, int port, SipTransport transport) {

  /** Parses {@code uri} or throws {@link IllegalArgumentException} saying what is wrong. */
  public static SipUri parse(String uri) {
    if (uri == null || !uri.regionMatches(true, 0, "sip:", 0, 4)) {
      throw new IllegalArgumentException("not a sip: URI: " + uri);
    }
    String rest = uri.substring(4);
    SipTransport transport = SipTransport.UDP;
    int semi = rest.indexOf(';');
    if (semi >= 0) {
      for (String param : rest.substring(semi + 1).split(";")) {
        String[] kv = param.split("=", 2);
        if (kv.length == 2 && kv[0].equalsIgnoreCase("transport")) {
          try {
            transport = SipTransport.valueOf(kv[1].toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported transport '" + kv[1] + "' in " + uri + " (udp or tcp)");
          }
        }
      }
      rest = rest.substring(0, semi);
    }
    int at = rest.lastIndexOf('@');
    String user = at > 0 ? rest.substring(0, at) : null;
    if (at >= 0) {
      rest = rest.substring(at + 1);
    }
    String host;
    String portText = null;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unterminated IPv6 host in " + uri);
      }
      host = rest.substring(1, close);
      if (rest.length() > close + 1) {
        if (rest.charAt(close + 1) != ':') {
          throw new IllegalArgumentException("bad host:port in " + uri);
        }
        portText = rest.substring(close + 2);
      }
    } else {
      int colon = rest.indexOf(':');
      host = colon >= 0 ? rest.substring(0, colon) : rest;
      portText = colon >= 0 ? rest.substring(colon + 1) : null;
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host in " + uri);
    }
    int port = 5060;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port '" + portText + "' in " + uri);
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range in " + uri);
      }
    }
    return new SipUri(uri, user, host, port, transport);
  }

  /** The Request-URI to put in the OPTIONS line: user, host and port, without parameters. */
  public String requestUri() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "sip:" + (user == null ? "" : user + "@") + h + ":" + port;
  }
}
