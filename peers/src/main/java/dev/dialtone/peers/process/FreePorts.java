package dev.dialtone.peers.process;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free loopback ports for peers; a port is free for both TCP and UDP so SIP and DNS can use it.
 * Ports come from 20000-32767, below Linux's ephemeral range (32768-60999): the local ports of
 * outgoing connections are taken from that range, and would otherwise steal a port handed out
 * here before its peer binds it. A port is handed out once per JVM.
 */
public final class FreePorts {
  private static final int LOW = 20_000;
  private static final int HIGH = 32_767;
  // The ports of one machine are one shared resource: this JVM's record of what it handed out.
  private static final Set<Integer> ISSUED = ConcurrentHashMap.newKeySet();
  private static final SplittableRandom RANDOM = new SplittableRandom(ProcessHandle.current().pid() * 7919L ^ System.nanoTime());

  private FreePorts() {}

  /** A port free on 127.0.0.1 for TCP and UDP at the time of the call, never handed out before by this JVM. */
  public static int tcpAndUdp() {
    for (int attempt = 0; attempt < 500; attempt++) {
      int port;
      synchronized (RANDOM) {
        port = RANDOM.nextInt(LOW, HIGH + 1);
      }
      if (!ISSUED.add(port)) {
        continue;
      }
      if (free(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no loopback port in " + LOW + "-" + HIGH + " free for both TCP and UDP after 500 tries");
  }

  private static boolean free(int port) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket tcp = new ServerSocket()) {
      tcp.setReuseAddress(false);
      tcp.bind(new InetSocketAddress(loopback, port));
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
        return true;
      }
    } catch (IOException busy) {
      return false;
    }
  }
}
