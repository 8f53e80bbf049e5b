package dev.dialtone.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback ports for peers; a port is free for both TCP and UDP so SIP and DNS can use it. */
public final class FreePorts {
  private FreePorts() {}

  /** A port free on 127.0.0.1 for TCP and UDP at the time of the call. */
  public static int tcpAndUdp() {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket tcp = new ServerSocket()) {
        tcp.setReuseAddress(false);
        tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = tcp.getLocalPort();
        try (DatagramSocket ignored = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
          return port;
        } catch (IOException udpBusy) {
          // Try another one.
        }
      } catch (IOException e) {
        throw new UncheckedIOException("no free loopback port", e);
      }
    }
    throw new IllegalStateException("no loopback port free for both TCP and UDP after 50 tries");
  }
}
