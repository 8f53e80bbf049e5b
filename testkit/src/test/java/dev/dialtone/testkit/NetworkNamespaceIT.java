package dev.dialtone.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.peers.netns.NetworkNamespace;
import dev.dialtone.peers.netns.NetworkNamespace.Protocol;
import dev.dialtone.peers.sipp.SipOptionsPing;
import dev.dialtone.peers.sipp.SippUas;
import dev.dialtone.peers.sipp.SippUas.Transport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkNamespaceIT {
  private static final Duration ANSWER = Duration.ofSeconds(2);
  private static final Duration SILENCE = Duration.ofMillis(700);

  @TempDir Path dir;

  private static int udpStatus(SippUas uas, Duration timeout) throws IOException {
    return SipOptionsPing.status(uas.host(), uas.port(), Transport.UDP, timeout);
  }

  @Test
  void aUasInsideAnswersOverUdpFromTheHostStopsUnderABlackholeAndAnswersAfterHeal() throws Exception {
    String name;
    try (NetworkNamespace ns = NetworkNamespace.create();
        SippUas uas = SippUas.inNamespace(dir.resolve("uas"), ns)) {
      name = ns.name();
      assertThat(name).matches("dt-\\d+-[0-9a-z]+");
      assertThat(ns.address()).startsWith("10.231.");
      uas.start();
      assertThat(uas.sipUri()).isEqualTo("sip:uas@" + ns.address() + ":" + uas.port() + ";transport=udp");

      assertThat(udpStatus(uas, ANSWER)).isEqualTo(200);

      ns.blackhole(Protocol.UDP, uas.port());
      assertThat(udpStatus(uas, SILENCE)).as("blackholed:\n%s", ns.rules()).isEqualTo(SipOptionsPing.NO_REPLY);

      ns.heal();
      assertThat(udpStatus(uas, ANSWER)).isEqualTo(200);

      ns.refuse(Protocol.UDP, uas.port());
      assertThat(udpStatus(uas, SILENCE)).isEqualTo(SipOptionsPing.NO_REPLY);
      ns.heal();
      assertThat(udpStatus(uas, ANSWER)).isEqualTo(200);
      assertThat(NetworkNamespace.namespaces()).contains(name);
    }
    assertThat(NetworkNamespace.namespaces()).doesNotContain(name);
  }

  @Test
  void overTcpARefusalResetsAndABlackholeHangsAndATaggedHealRemovesOnlyItsRule() throws Exception {
    try (NetworkNamespace ns = NetworkNamespace.create();
        SippUas tcp = SippUas.inNamespace(dir.resolve("tcp"), Transport.TCP, ns);
        SippUas udp = SippUas.inNamespace(dir.resolve("udp"), ns)) {
      tcp.start();
      udp.start();
      assertThat(SipOptionsPing.status(tcp.host(), tcp.port(), Transport.TCP, ANSWER)).isEqualTo(200);

      ns.refuse(Protocol.TCP, tcp.port(), "run-1-0");
      ns.blackhole(Protocol.UDP, udp.port(), "run-2-0");
      assertThatThrownBy(() -> SipOptionsPing.status(tcp.host(), tcp.port(), Transport.TCP, ANSWER))
          .isInstanceOf(ConnectException.class);
      assertThat(udpStatus(udp, SILENCE)).isEqualTo(SipOptionsPing.NO_REPLY);

      assertThat(ns.heal("run-1-0")).isEqualTo(1);
      assertThat(SipOptionsPing.status(tcp.host(), tcp.port(), Transport.TCP, ANSWER)).isEqualTo(200);
      assertThat(udpStatus(udp, SILENCE)).as("the other run's rule stays").isEqualTo(SipOptionsPing.NO_REPLY);
      assertThat(ns.heal("run-1-0")).as("healing twice is fine").isZero();

      ns.blackhole(Protocol.TCP, tcp.port(), "run-3-0");
      assertThatThrownBy(() -> SipOptionsPing.status(tcp.host(), tcp.port(), Transport.TCP, SILENCE))
          .isInstanceOf(SocketTimeoutException.class);
      ns.heal();
      assertThat(udpStatus(udp, ANSWER)).isEqualTo(200);
      assertThat(SipOptionsPing.status(tcp.host(), tcp.port(), Transport.TCP, ANSWER)).isEqualTo(200);
    }
  }

  @Test
  void closeIsIdempotentAndRemovesTheVethAndBadInputIsNamed() throws Exception {
    NetworkNamespace ns = NetworkNamespace.create();
    String hostInterface = ns.hostInterface();
    assertThatThrownBy(() -> ns.blackhole(Protocol.UDP, 0))
        .hasMessageContaining("port must be 1..65535, not 0")
        .hasMessageContaining(ns.name());
    assertThatThrownBy(() -> ns.refuse(Protocol.UDP, 5060, "bad\" tag"))
        .hasMessageContaining("rule tag")
        .hasMessageContaining("bad\" tag");
    // Here the kernel lacks netem; either way the probe answers and leaves no qdisc behind.
    boolean netem = ns.netemAvailable();
    assertThat(ns.netemAvailable()).isEqualTo(netem);

    ns.close();
    ns.close();

    assertThat(NetworkNamespace.namespaces()).doesNotContain(ns.name());
    assertThat(run("ip", "link", "show", hostInterface)).as("the host end of the veth is gone").isNotZero();
    assertThatThrownBy(() -> ns.blackhole(Protocol.UDP, 5060)).hasMessageContaining("is closed");
  }

  @Test
  void sweepDeletesTheNamespacesOfDeadProcessesOnly() throws Exception {
    Process dead = new ProcessBuilder("true").start();
    assertThat(dead.waitFor(5, TimeUnit.SECONDS)).isTrue();
    String leftover = "dt-" + dead.pid() + "-zz";
    assertThat(run("ip", "netns", "add", leftover)).isZero();
    try (NetworkNamespace live = NetworkNamespace.create()) {
      assertThat(NetworkNamespace.sweepLeftovers()).contains(leftover).doesNotContain(live.name());

      assertThat(NetworkNamespace.namespaces()).doesNotContain(leftover).contains(live.name());
    } finally {
      run("ip", "netns", "del", leftover);
    }
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }
}
