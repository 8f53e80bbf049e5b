package dev.dialtone.peers.sipp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** Sends one real SIP {@code OPTIONS} over UDP or TCP and returns the final status code. */
public final class SipOptionsPing {
  /** No final response within the timeout. */
  public static final int NO_REPLY = -1;

  private SipOptionsPing() {}

  /**
   * Sends {@code OPTIONS} to {@code 127.0.0.1:port} and waits for a final response.
   *
   * @return the status code of the first final (&ge; 200) response, or {@link #NO_REPLY}
   */
  public static int status(int port, SippUas.Transport transport, Duration timeout) throws IOException {
    return status("127.0.0.1", port, transport, timeout);
  }

  /**
   * Sends {@code OPTIONS} to {@code host:port} (e.g. a UAS in a network namespace) from the local
   * address the kernel routes through, and waits for a final response.
   *
   * @return the status code of the first final (&ge; 200) response, or {@link #NO_REPLY}
   */
  public static int status(String host, int port, SippUas.Transport transport, Duration timeout) throws IOException {
    InetAddress target = InetAddress.getByName(host);
    return transport == SippUas.Transport.UDP ? overUdp(target, port, timeout) : overTcp(target, port, timeout);
  }

  // The source address the kernel picks for `target` (127.0.0.1 for loopback): replies go there.
  private static InetAddress localAddressFor(InetAddress target, int port) throws IOException {
    try (DatagramSocket probe = new DatagramSocket()) {
      probe.connect(target, port);
      return probe.getLocalAddress();
    }
  }

  private static int overUdp(InetAddress target, int port, Duration timeout) throws IOException {
    InetAddress local = localAddressFor(target, port);
    // Unconnected on purpose: an ICMP "port unreachable" must read as no reply, not as an error.
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
      byte[] request =
          request(target.getHostAddress(), port, "UDP", local.getHostAddress(), socket.getLocalPort())
              .getBytes(StandardCharsets.US_ASCII);
      socket.send(new DatagramPacket(request, request.length, target, port));
      long deadline = System.currentTimeMillis() + timeout.toMillis();
      byte[] buffer = new byte[65_535];
      while (true) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return NO_REPLY;
        }
        socket.setSoTimeout((int) left);
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(reply);
        } catch (SocketTimeoutException e) {
          return NO_REPLY;
        }
        int code = statusCode(new String(buffer, 0, reply.getLength(), StandardCharsets.US_ASCII));
        if (code >= 200) {
          return code;
        }
      }
    }
  }

  private static int overTcp(InetAddress target, int port, Duration timeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(target, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      socket.getOutputStream()
          .write(request(target.getHostAddress(), port, "TCP", socket.getLocalAddress().getHostAddress(),
              socket.getLocalPort()).getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      try {
        while (true) {
          String head = readHead(in);
          if (head == null) {
            return NO_REPLY;
          }
          int code = statusCode(head);
          if (code >= 200) {
            return code;
          }
        }
      } catch (SocketTimeoutException e) {
        return NO_REPLY;
      }
    }
  }

  // Reads up to the blank line ending a message head; responses to OPTIONS carry no body we need.
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = contentLength(text);
    if (length > 0) {
      in.readNBytes(length);
    }
    return text;
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String name = line.substring(0, colon).trim();
        if (name.equalsIgnoreCase("Content-Length") || name.equals("l")) {
          return Integer.parseInt(line.substring(colon + 1).trim());
        }
      }
    }
    return 0;
  }

  static int statusCode(String message) {
    if (!message.startsWith("SIP/2.0 ") || message.length() < 11) {
      return 0;
    }
    return Integer.parseInt(message.substring(8, 11));
  }

  private static String request(String host, int port, String transport, String localHost, int localPort) {
    String id = UUID.randomUUID().toString();
    String target = "sip:uas@" + host + ":" + port + ";transport=" + transport.toLowerCase(java.util.Locale.ROOT);
    return "OPTIONS " + target + " SIP/2.0\r\n"
        + "Via: SIP/2.0/" + transport + " " + localHost + ":" + localPort + ";branch=z9hG4bK" + id.substring(0, 18) + ";rport\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:ping@" + localHost + ">;tag=" + id.substring(24) + "\r\n"
        + "To: <" + target + ">\r\n"
        + "Call-ID: " + id + "@" + localHost + "\r\n"
        + "CSeq: 1 OPTIONS\r\n"
        + "Contact: <sip:ping@" + localHost + ":" + localPort + ";transport=" + transport.toLowerCase(java.util.Locale.ROOT) + ">\r\n"
        + "Accept: application/sdp\r\n"
        + "Content-Length: 0\r\n\r\n";
  }
}
