package dev.dialtone.dns.provider.rfc2136;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.ActuationException.Failure;
import dev.dialtone.dns.provider.ChangeSet;
import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.Precondition;
import dev.dialtone.dns.provider.PreconditionFailedException;
import dev.dialtone.dns.provider.ZoneSnapshot;
import dev.dialtone.dns.record.RecordKey;
import dev.dialtone.dns.record.RecordSet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * RFC 2136 dynamic updates signed with TSIG (BIND, Knot, PowerDNS). A shift is ONE UPDATE
 * message whose prerequisites are the ownership TXT RRsets' exact current values, so the server
 * itself refuses a writer that read a stale owner. Reads are real queries to the same server.
 * Every answer must carry a TSIG signature that verifies with the key, and an answer to a read
 * must be authoritative for the zone: otherwise "absent" could come from anyone.
 */
public final class Rfc2136Provider implements DnsProvider {
  private static final Logger log = LoggerFactory.getLogger(Rfc2136Provider.class);
  // Above this, the message goes over TCP (classic DNS over UDP without EDNS stops at 512 bytes).
  private static final int MAX_UDP_MESSAGE = 512;

  private final InetSocketAddress server;
  private final Name zone;
  private final TsigKey key;
  private final Duration timeout;

  /**
   * @param server the primary that accepts updates
   * @param zone the zone, absolute
   * @param key the TSIG key that {@code allow-update}/{@code update-policy} grants
   * @param timeout per message
   */
  public Rfc2136Provider(InetSocketAddress server, String zone, TsigKey key, Duration timeout) {
    this.server = server;
    this.key = key;
    this.timeout = timeout;
    try {
      this.zone = Name.fromString(RecordKey.absolute(zone));
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad zone " + zone, e);
    }
  }

  @Override
  public String name() {
    return "rfc2136";
  }

  private String actuator() {
    return "dns/" + name();
  }

  @Override
  public ZoneSnapshot read(Collection<RecordKey> keys) throws ActuationException {
    Map<RecordKey, RecordSet> found = new HashMap<>();
    for (RecordKey k : keys) {
      Message query = Message.newQuery(Record.newRecord(name(k.name()), k.type().wireType(), DClass.IN));
      String what = "query " + k;
      Message response = send(query, what);
      int rcode = response.getRcode();
      if (rcode == Rcode.REFUSED) {
        throw new ActuationException(
            Failure.PERMANENT, actuator(),
            "server " + address() + " REFUSED the " + what + ": it does not serve zone " + zone
                + " (or its allow-query does not admit this host)");
      }
      if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
        throw refusal(response, what);
      }
      // Absence is only evidence when it comes from the zone's own server: a referral or an
      // answer from a parent zone would read as "nothing here, nobody owns it".
      requireAuthoritative(response, what);
      if (rcode == Rcode.NXDOMAIN) {
        continue;
      }
      List<String> data = new ArrayList<>();
      long ttl = -1;
      for (Record r : response.getSection(Section.ANSWER)) {
        // A query for A at a CNAME answers with the CNAME: keep only the asked type.
        if (r.getType() == k.type().wireType() && r.getName().equals(name(k.name()))) {
          data.add(r.rdataToString());
          ttl = r.getTTL();
        }
      }
      if (!data.isEmpty()) {
        found.put(k, new RecordSet(k, Duration.ofSeconds(ttl), data));
      }
    }
    return new ZoneSnapshot(found);
  }

  @Override
  public void apply(ChangeSet change) throws ActuationException {
    Update update = new Update(zone);
    for (Precondition p : change.preconditions()) {
      if (p.expected() == null) {
        update.absent(name(p.key().name()), p.key().type().wireType());
      } else {
        for (Record r : records(p.expected(), 0)) {
          update.present(r);
        }
      }
    }
    for (RecordSet d : change.deletes()) {
      update.delete(name(d.name()), d.type().wireType());
    }
    for (RecordSet u : change.upserts()) {
      update.delete(name(u.name()), u.type().wireType());
      update.add(records(u, u.ttl().toSeconds()));
    }
    Message response = send(update, "update");
    int rcode = response.getRcode();
    if (rcode == Rcode.NOERROR) {
      log.debug("update applied: {}", change);
      return;
    }
    if (rcode == Rcode.NXRRSET || rcode == Rcode.YXRRSET || rcode == Rcode.NXDOMAIN || rcode == Rcode.YXDOMAIN) {
      throw new PreconditionFailedException(
          actuator(),
          "server " + address() + " refused the update: prerequisite failed (" + Rcode.string(rcode)
              + "): an ownership record no longer holds " + change.preconditions());
    }
    throw refusal(response, "update");
  }

  private void requireAuthoritative(Message response, String what) throws ActuationException {
    String rcode = Rcode.string(response.getRcode());
    if (!response.getHeader().getFlag(Flags.AA)) {
      throw new ActuationException(
          Failure.PERMANENT, actuator(),
          "server " + address() + " is not authoritative for zone " + zone + ": its " + rcode + " answer to the " + what
              + " lacks the AA bit (a referral or a cached answer); point the provider at the zone's primary");
    }
    if (response.getSection(Section.ANSWER).isEmpty()) {
      for (Record r : response.getSection(Section.AUTHORITY)) {
        if (r.getType() == Type.SOA && !r.getName().equals(zone)) {
          throw new ActuationException(
              Failure.PERMANENT, actuator(),
              "server " + address() + " answered the " + what + " (" + rcode + ") from zone " + r.getName() + ", not "
                  + zone + ": it does not serve zone " + zone);
        }
      }
    }
  }

  // A server that rejects our key answers unsigned (RFC 8945 5.3.2), so such an answer cannot be
  // verified; it is believed because it only ever stops us.
  private ActuationException keyRejected(String tsigError) {
    return new ActuationException(
        Failure.PERMANENT, actuator(),
        "server " + address() + " rejected TSIG key '" + key.name() + "' (" + key.algorithm() + "): "
            + tsigError + " — the key file's name, algorithm or secret does not match the server's"
            + (tsigError.equals("BADTIME") ? " (or the clocks differ by more than the fudge)" : ""));
  }

  private ActuationException unverified(Message response, String what) {
    TSIGRecord tsig = response.getTSIG();
    String answered = "server " + address() + " answered the " + what + " for zone " + zone + " ("
        + Rcode.string(response.getRcode()) + ")";
    String why =
        tsig == null
            ? " unsigned, though it was signed with TSIG key '" + key.name() + "'"
            : tsig.getName().equals(key.dnsName())
                ? " with a TSIG signature that does not verify with key '" + key.name() + "' (" + key.algorithm() + ")"
                : " signed with TSIG key '" + tsig.getName() + "', not '" + key.name() + "'";
    return new ActuationException(
        Failure.PERMANENT, actuator(),
        answered + why + ": refusing the answer (the server does not hold this key, its secret differs from the key"
            + " file's, or the answer is forged)");
  }

  private ActuationException refusal(Message response, String what) {
    int rcode = response.getRcode();
    String message =
        switch (rcode) {
          case Rcode.NOTAUTH ->
              "server " + address() + " is not authoritative for zone " + zone + " (NOTAUTH) and would not take the " + what;
          case Rcode.REFUSED ->
              "server " + address() + " REFUSED the " + what + " for zone " + zone + ": its allow-update/update-policy does not grant key '"
                  + key.name() + "' these names";
          case Rcode.NOTZONE -> "a name is outside zone " + zone + " (NOTZONE)";
          case Rcode.SERVFAIL -> "server " + address() + " failed (SERVFAIL) on " + what;
          default -> "server " + address() + " answered " + Rcode.string(rcode) + " to " + what;
        };
    Failure failure = rcode == Rcode.SERVFAIL ? Failure.TRANSIENT : Failure.PERMANENT;
    return new ActuationException(failure, actuator(), message);
  }

  private Message send(Message message, String what) throws ActuationException {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(timeout);
    TSIG signer = key.signer();
    resolver.setTSIGKey(signer);
    // The signature is added on send: count it when deciding whether UDP can carry the message.
    resolver.setTCP(message.toWire().length + signer.recordLength() > MAX_UDP_MESSAGE);
    Message response;
    try {
      response = resolver.send(message);
    } catch (IOException e) {
      throw new ActuationException(
          Failure.TRANSIENT, actuator(), what + " to " + address() + " failed: " + e, e);
    }
    // dnsjava checks the answer's signature but only records the outcome: act on it here.
    if (!response.isVerified()) {
      TSIGRecord tsig = response.getTSIG();
      if (tsig != null && tsig.getError() != Rcode.NOERROR && tsig.getName().equals(key.dnsName())) {
        throw keyRejected(Rcode.TSIGstring(tsig.getError()));
      }
      throw unverified(response, what);
    }
    return response;
  }

  private String address() {
    return server.getHostString() + ":" + server.getPort();
  }

  private Record[] records(RecordSet set, long ttl) throws ActuationException {
    Record[] out = new Record[set.data().size()];
    for (int i = 0; i < out.length; i++) {
      try {
        out[i] = Record.fromString(name(set.name()), set.type().wireType(), DClass.IN, ttl, set.data().get(i), Name.root);
      } catch (IOException e) {
        throw new ActuationException(Failure.PERMANENT, actuator(), "bad record data " + set + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static Name name(String absolute) {
    try {
      return Name.fromString(absolute);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad DNS name " + absolute, e);
    }
  }

  @Override
  public String toString() {
    return "rfc2136[" + address() + " zone=" + zone + " key=" + key + "]";
  }
}
