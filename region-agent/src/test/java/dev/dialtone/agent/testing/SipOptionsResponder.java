package dev.dialtone.agent.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A minimal UDP SIP responder answering every OPTIONS with 200 OK, echoing Via, From, To,
 * Call-ID and CSeq. Only a load generator for the footprint benchmark; the SIP probe's
 * correctness is proven against SIPp.
 */
public final class SipOptionsResponder implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;

  public SipOptionsResponder() throws SocketException {
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    thread = Thread.ofPlatform().daemon().name("sip-responder").start(this::serve);
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void serve() {
    byte[] buffer = new byte[8192];
    while (!socket.isClosed()) {
      try {
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        socket.receive(in);
        StringBuilder reply = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : new String(buffer, 0, in.getLength(), StandardCharsets.UTF_8).split("\r\n")) {
          String lower = line.toLowerCase(java.util.Locale.ROOT);
          if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("call-id:") || lower.startsWith("cseq:")) {
            reply.append(line).append("\r\n");
          } else if (lower.startsWith("to:")) {
            reply.append(line).append(";tag=responder\r\n");
          }
        }
        reply.append("Content-Length: 0\r\n\r\n");
        byte[] out = reply.toString().getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    socket.close();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
