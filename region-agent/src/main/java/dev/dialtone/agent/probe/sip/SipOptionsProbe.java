package dev.dialtone.agent.probe.sip;

import dev.dialtone.agent.probe.Probe;
import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.agent.time.Ticker;
import dev.dialtone.proto.v1.FailureCause;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * SIP OPTIONS to an edge or trunk over UDP or TCP. 2xx is UP; 408, 5xx and silence are DOWN; any
 * other final answer (404, 405, 6xx…) is UP with {@code sip_status} in the details, because the
 * edge's SIP stack answered and many trunks refuse OPTIONS for an unknown user while routing
 * calls fine. Over UDP, the request is retransmitted per RFC 3261 Timer E (T1 = 500 ms, doubling,
 * capped at T2 = 4 s) until the probe timeout.
 */
public final class SipOptionsProbe implements Probe {
  /** RFC 3261 T1: the round-trip estimate, first retransmission interval. */
  public static final Duration T1 = Duration.ofMillis(500);
  /** RFC 3261 T2: the retransmission interval cap for non-INVITE requests. */
  public static final Duration T2 = Duration.ofSeconds(4);

  private final SipUri target;
  private final Ticker ticker;
  private final RandomGenerator random;
  private long cseq;

  public SipOptionsProbe(SipUri target, Ticker ticker, RandomGenerator random) {
    this.target = target;
    this.ticker = ticker;
    this.random = random;
  }

  @Override
  public ProbeResult attempt(Duration timeout) throws InterruptedException {
    long deadline = ticker.nanos() + timeout.toNanos();
    try {
      SipResponse response =
          target.transport() == SipTransport.UDP ? overUdp(deadline) : overTcp(deadline);
      if (response == null) {
        return ProbeResult.down(FailureCause.FAILURE_CAUSE_TIMEOUT, "no final SIP answer within " + timeout);
      }
      return classify(response);
    } catch (UnknownHostException e) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_DNS, "cannot resolve " + target.host());
    } catch (PortUnreachableException e) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_REFUSED, "refused (ICMP port unreachable)");
    } catch (ConnectException | NoRouteToHostException e) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_REFUSED, "refused: " + e.getMessage());
    } catch (SocketTimeoutException e) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_TIMEOUT, "no answer within " + timeout);
    } catch (IOException | IllegalArgumentException e) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_OTHER, e.toString());
    }
  }

  /** Maps a final response to a result. */
  static ProbeResult classify(SipResponse response) {
    int code = response.status();
    Map<String, String> details = Map.of("sip_status", Integer.toString(code));
    String text = code + " " + response.reason();
    if (code == 408 || code >= 500 && code < 600) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_SERVER_ERROR, "answered " + text).withDetails(details);
    }
    return ProbeResult.up().withDetails(details);
  }

  SipOptionsRequest newRequest(String localHost, int localPort) {
    HexFormat hex = HexFormat.of();
    return new SipOptionsRequest(
        target, target.transport(), localHost, localPort,
        SipOptionsRequest.BRANCH_COOKIE + hex.toHexDigits(random.nextLong()),
        hex.toHexDigits(random.nextLong()) + "@dialtone",
        hex.toHexDigits(random.nextInt()),
        ++cseq);
  }

  private SipResponse overUdp(long deadline) throws IOException, InterruptedException {
    try (DatagramSocket socket = new DatagramSocket()) {
      InetAddress address = InetAddress.getByName(target.host());
      socket.connect(new InetSocketAddress(address, target.port()));
      SipOptionsRequest request = newRequest(socket.getLocalAddress().getHostAddress(), socket.getLocalPort());
      byte[] wire = request.encode();
      DatagramPacket out = new DatagramPacket(wire, wire.length);
      byte[] buffer = new byte[8192];
      long interval = T1.toNanos();
      long nextSend = ticker.nanos();
      while (true) {
        long now = ticker.nanos();
        if (now >= deadline) {
          return null;
        }
        if (now >= nextSend) {
          socket.send(out);
          nextSend = now + interval;
          interval = Math.min(interval * 2, T2.toNanos());
        }
        if (Thread.interrupted()) {
          throw new InterruptedException("SIP probe interrupted");
        }
        long wait = Math.min(nextSend, deadline) - now;
        socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(wait).toMillis()));
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(in);
        } catch (SocketTimeoutException e) {
          continue;
        }
        SipResponse response = tryParse(buffer, in.getLength());
        if (response != null && request.isAnsweredBy(response)) {
          if (response.status() >= 200) {
            return response;
          }
          // A provisional answer stops retransmission (RFC 3261 §17.1.2.2 moves to T2 pacing).
          nextSend = Long.MAX_VALUE;
        }
      }
    }
  }

  private SipResponse overTcp(long deadline) throws IOException {
    try (Socket socket = new Socket()) {
      InetAddress address = InetAddress.getByName(target.host());
      socket.connect(new InetSocketAddress(address, target.port()), remainingMillis(deadline));
      SipOptionsRequest request = newRequest(socket.getLocalAddress().getHostAddress(), socket.getLocalPort());
      socket.getOutputStream().write(request.encode());
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      while (true) {
        socket.setSoTimeout(remainingMillis(deadline));
        byte[] message = readMessage(in);
        if (message == null) {
          throw new ConnectException("connection closed by peer before a final answer");
        }
        SipResponse response = tryParse(message, message.length);
        if (response != null && request.isAnsweredBy(response) && response.status() >= 200) {
          return response;
        }
      }
    }
  }

  /** Reads one message from a stream: the head up to the blank line, then Content-Length bytes. */
  private static byte[] readMessage(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] crlfcrlf = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == crlfcrlf[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 65_536) {
        throw new IOException("SIP message head longer than 64 KiB");
      }
    }
    byte[] bytes = head.toByteArray();
    SipResponse parsed = tryParse(bytes, bytes.length);
    int body = parsed == null ? 0 : parsed.contentLength();
    if (body > 0) {
      in.readNBytes(Math.min(body, 65_536));
    }
    return bytes;
  }

  private static SipResponse tryParse(byte[] bytes, int length) {
    try {
      return SipResponse.parse(bytes, length);
    } catch (IllegalArgumentException e) {
      // Stray or malformed datagrams are ignored, as a UAC transaction layer would.
      return null;
    }
  }

  private int remainingMillis(long deadline) throws SocketTimeoutException {
    long ms = Duration.ofNanos(deadline - ticker.nanos()).toMillis();
    if (ms <= 0) {
      throw new SocketTimeoutException("probe timeout reached");
    }
    return (int) ms;
  }
}
