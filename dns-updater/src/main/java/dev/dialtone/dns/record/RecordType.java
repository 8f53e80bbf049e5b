package dev.dialtone.dns.record;

import org.xbill.DNS.Type;

/** The record types Dialtone manages; TXT only for ownership records. */
public enum RecordType {
  A(Type.A),
  AAAA(Type.AAAA),
  CNAME(Type.CNAME),
  SRV(Type.SRV),
  TXT(Type.TXT);

  private final int wireType;

  RecordType(int wireType) {
    this.wireType = wireType;
  }

  /** The DNS type code, e.g. 1 for A. */
  public int wireType() {
    return wireType;
  }
}
