package dev.dialtone.peers.sipp;

/** The SIPp scenario XML the test kit's user agents run. */
final class SippScenarios {
  private SippScenarios() {}

  private static final String HEAD =
      """
      <?xml version="1.0" encoding="ISO-8859-1" ?>
      <!DOCTYPE scenario SYSTEM "sipp.dtd">
      """;

  /**
   * The UAS scenario for {@code mode}: SIPp runs it once per new Call-ID, so the first message
   * picks the branch — an OPTIONS (optional, jumps away) or an INVITE.
   */
  static String uas(SippUas.Mode mode) {
    return switch (mode) {
      case OK -> opening("ok", "options")
          + response("100 Trying", false, "", true)
          + response("180 Ringing", true, "", true)
          + response("200 OK", true, " retrans=\"500\"", true)
          + """
            <recv request="ACK" timeout="10000" ontimeout="end"/>
            <recv request="BYE" timeout="60000" ontimeout="end"/>
          """
          + response("200 OK", false, " next=\"end\"", false)
          + """
            <label id="options"/>
          """
          + response("200 OK", false, "", true)
          + """
            <label id="end"/>
          </scenario>
          """;
      case SERVICE_UNAVAILABLE -> opening("503", "options")
          + response("503 Service Unavailable", false, " retrans=\"500\"", true)
          + """
            <recv request="ACK" timeout="5000" ontimeout="end" next="end"/>
            <label id="options"/>
          """
          + response("503 Service Unavailable", false, "", true)
          + """
            <label id="end"/>
          </scenario>
          """;
      case SILENT -> opening("silent", "end") + """
            <label id="end"/>
          </scenario>
          """;
    };
  }

  // An OPTIONS jumps to {@code optionsLabel}; anything else must be an INVITE.
  private static String opening(String name, String optionsLabel) {
    return HEAD + "<scenario name=\"dialtone-uas-" + name + "\">\n"
        + "  <recv request=\"OPTIONS\" optional=\"true\" next=\"" + optionsLabel + "\"/>\n"
        + "  <recv request=\"INVITE\"/>\n";
  }

  // In-dialog requests (the BYE) already carry our To tag, so their answer must not add one.
  private static String response(String status, boolean contact, String attributes, boolean toTag) {
    return "  <send" + attributes + ">\n    <![CDATA[\n"
        + "      SIP/2.0 " + status + "\n"
        + "      [last_Via:]\n"
        + "      [last_From:]\n"
        + (toTag ? "      [last_To:];tag=[pid]SIPpTag01[call_number]\n" : "      [last_To:]\n")
        + "      [last_Call-ID:]\n"
        + "      [last_CSeq:]\n"
        + (contact ? "      Contact: <sip:uas@[local_ip]:[local_port];transport=[transport]>\n" : "")
        + "      Content-Length: 0\n\n"
        + "    ]]>\n  </send>\n";
  }

  /**
   * The UAC scenario: INVITE to the Request-URI given as {@code -key ruri}, then ACK and BYE along the route set of the 200 ({@code rrs}), so the
   * in-dialog requests pass a record-routing proxy and reach the answering UAS.
   */
  static String uac() {
    return HEAD + """
        <scenario name="dialtone-uac">
          <send retrans="500">
            <![CDATA[
              INVITE [ruri] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
              To: <sip:[service]@[remote_ip]:[remote_port]>
              Call-ID: [call_id]
              CSeq: 1 INVITE
              Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
              Max-Forwards: 70
              Content-Length: 0

            ]]>
          </send>
          <recv response="100" optional="true"/>
          <recv response="180" optional="true"/>
          <recv response="183" optional="true"/>
          <recv response="200" rrs="true" rtd="true"/>
          <send>
            <![CDATA[
              ACK [next_url] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              [routes]
              From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
              To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
              Call-ID: [call_id]
              CSeq: 1 ACK
              Max-Forwards: 70
              Content-Length: 0

            ]]>
          </send>
          <send retrans="500">
            <![CDATA[
              BYE [next_url] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              [routes]
              From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
              To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
              Call-ID: [call_id]
              CSeq: 2 BYE
              Max-Forwards: 70
              Content-Length: 0

            ]]>
          </send>
          <recv response="200"/>
        </scenario>
        """;
  }
}
