package dev.dialtone.dns.provider.rfc2136;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * A UDP responder on 127.0.0.1 that answers every query and update with NOERROR itself, as a
 * spoofer or a server without Dialtone's key would: A queries get {@link #FORGED_ADDRESS}.
 * Unsigned, or signed with a key of its own.
 */
final class ForgedAnswers implements AutoCloseable {
  /** The address every forged A answer holds. */
  static final String FORGED_ADDRESS = "203.0.113.66";

  private final DatagramSocket socket;
  private final TSIG signer;

  /** @param signer the key the answers are signed with, or {@code null} for unsigned answers */
  ForgedAnswers(TSIG signer) throws IOException {
    this.signer = signer;
    this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    Thread.ofPlatform().daemon().name("forged-dns-" + socket.getLocalPort()).start(this::serve);
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
  }

  private void serve() {
    byte[] buffer = new byte[65535];
    while (!socket.isClosed()) {
      try {
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        socket.receive(in);
        Message query = new Message(Arrays.copyOf(in.getData(), in.getLength()));
        byte[] wire = answer(query).toWire(65535);
        socket.send(new DatagramPacket(wire, wire.length, in.getSocketAddress()));
      } catch (IOException e) {
        // Closed, or a datagram that does not parse: the next one may.
      }
    }
  }

  private Message answer(Message query) throws IOException {
    Message answer = new Message(query.getHeader().getID());
    int opcode = query.getHeader().getOpcode();
    answer.getHeader().setOpcode(opcode);
    answer.getHeader().setFlag(Flags.QR);
    answer.getHeader().setFlag(Flags.AA);
    answer.getHeader().setRcode(Rcode.NOERROR);
    Record question = query.getQuestion();
    answer.addRecord(question, Section.QUESTION);
    if (opcode == Opcode.QUERY && question.getType() == Type.A) {
      answer.addRecord(
          new ARecord(question.getName(), DClass.IN, 30, InetAddress.getByName(FORGED_ADDRESS)), Section.ANSWER);
    }
    if (signer != null) {
      answer.setTSIG(signer, Rcode.NOERROR, query.getTSIG());
    }
    return answer;
  }

  @Override
  public void close() {
    socket.close();
  }
}
