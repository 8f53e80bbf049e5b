package dev.dialtone.agent.probe.sip;

/** The transport a SIP OPTIONS probe uses. */
public enum SipTransport {
  UDP,
  TCP
}
