package dev.dialtone.agent.probe.sip;

import java.nio.charset.StandardCharsets;

/**
 * One SIP OPTIONS request (RFC 3261 §11) with the identifiers a response must echo: the Via
 * branch (with the RFC 3261 magic cookie {@code z9hG4bK}), the Call-ID and the CSeq number.
 */
public record SipOptionsRequest(
    SipUri target, SipTransport transport, String localHost, int localPort,
    String branch, String callId, String fromTag, long cseq) {

  /** The magic cookie that marks an RFC 3261 branch. */
  public static final String BRANCH_COOKIE = "z9hG4bK";

  /** The wire form, CRLF-terminated lines and an empty body. */
  public byte[] encode() {
    String sentBy = (localHost.contains(":") ? "[" + localHost + "]" : localHost) + ":" + localPort;
    String text =
        "OPTIONS " + target.requestUri() + " SIP/2.0\r\n"
            + "Via: SIP/2.0/" + transport.name() + " " + sentBy + ";branch=" + branch + ";rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:dialtone-probe@" + sentBy + ">;tag=" + fromTag + "\r\n"
            + "To: <" + target.requestUri() + ">\r\n"
            + "Call-ID: " + callId + "\r\n"
            + "CSeq: " + cseq + " OPTIONS\r\n"
            + "Contact: <sip:dialtone-probe@" + sentBy + ";transport=" + transport.name().toLowerCase(java.util.Locale.ROOT) + ">\r\n"
            + "Accept: application/sdp\r\n"
            + "User-Agent: dialtone-region-agent\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code response} answers this request (same top Via branch, Call-ID and CSeq). */
  public boolean isAnsweredBy(SipResponse response) {
    return branch.equals(response.topViaBranch())
        && callId.equals(response.callId())
        && ("" + cseq + " OPTIONS").equalsIgnoreCase(response.cseq());
  }
}
