package dev.dialtone.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.peers.bind.BindServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

class BindServerIT {
  @RegisterExtension static final PeerExtension<BindServer> bind = PeerExtension.of(BindServer::new);

  @Test
  void answersSoaAndWritesAKeyFileInBindFormat() throws Exception {
    BindServer server = bind.peer();
    assertThat(server.answersSoa()).isTrue();
    assertThat(server.zone()).isEqualTo("example.com.");
    assertThat(Files.readString(server.tsigKeyFile()))
        .contains("key \"dialtone-key\"", "algorithm hmac-sha256;", "secret \"" + server.tsigSecret() + "\";");
  }

  @Test
  void signedUpdateWithTheRightKeyAddsARecordAndAWrongKeyIsRefused() throws Exception {
    BindServer server = bind.peer();
    Name name = server.absolute("smoke");

    SimpleResolver signed = server.resolver();
    signed.setTSIGKey(new TSIG(TSIG.HMAC_SHA256, server.tsigKeyName() + ".", server.tsigSecret()));
    Update add = new Update(Name.fromString(server.zone()));
    add.add(name, Type.A, 30, "192.0.2.7");
    assertThat(Rcode.string(signed.send(add).getRcode())).isEqualTo("NOERROR");

    Message answer = server.resolver().send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
    assertThat(answer.getSection(Section.ANSWER))
        .singleElement()
        .satisfies(r -> assertThat(((ARecord) r).getAddress().getHostAddress()).isEqualTo("192.0.2.7"));

    SimpleResolver wrongKey = server.resolver();
    byte[] other = new byte[32];
    other[0] = 1;
    wrongKey.setTSIGKey(new TSIG(TSIG.HMAC_SHA256, server.tsigKeyName() + ".", Base64.getEncoder().encodeToString(other)));
    Update denied = new Update(Name.fromString(server.zone()));
    denied.add(server.absolute("intruder"), Type.A, 30, "192.0.2.66");
    Message refused = wrongKey.send(denied);
    assertThat(Rcode.string(refused.getRcode())).isIn("NOTAUTH", "REFUSED");
    Message none = server.resolver().send(Message.newQuery(Record.newRecord(server.absolute("intruder"), Type.A, DClass.IN)));
    assertThat(none.getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void aKeyThatAllowUpdateDoesNotGrantIsRefused() throws Exception {
    BindServer server = bind.peer();
    SimpleResolver unprivileged = server.resolver();
    unprivileged.setTSIGKey(new TSIG(TSIG.HMAC_SHA256, BindServer.UNPRIVILEGED_KEY_NAME + ".", server.unprivilegedSecret()));
    Update update = new Update(Name.fromString(server.zone()));
    update.add(server.absolute("unprivileged"), Type.A, 30, "192.0.2.8");
    assertThat(Rcode.string(unprivileged.send(update).getRcode())).isEqualTo("REFUSED");
  }

  @Test
  void zoneTransfersAreRefusedWithoutTheTsigKey() throws Exception {
    BindServer server = bind.peer();
    Name zone = Name.fromString(server.zone());
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());

    // AXFR and IXFR are both governed by allow-transfer; the zone is Dialtone's routing.
    ZoneTransferIn anonymous = ZoneTransferIn.newAXFR(zone, address, null);
    anonymous.setTimeout(Duration.ofSeconds(5));
    assertThatThrownBy(anonymous::run).isInstanceOf(ZoneTransferException.class).hasMessage("REFUSED");

    ZoneTransferIn anonymousIxfr = ZoneTransferIn.newIXFR(zone, 0, false, address, null);
    anonymousIxfr.setTimeout(Duration.ofSeconds(5));
    assertThatThrownBy(anonymousIxfr::run).isInstanceOf(ZoneTransferException.class).hasMessage("REFUSED");

    ZoneTransferIn signed =
        ZoneTransferIn.newAXFR(zone, address, new TSIG(TSIG.HMAC_SHA256, server.tsigKeyName() + ".", server.tsigSecret()));
    signed.setTimeout(Duration.ofSeconds(5));
    signed.run();
    assertThat(signed.getAXFR()).anyMatch(r -> r.getType() == Type.SOA && r.getName().equals(zone));
  }

  @Test
  void keepsUpdatesAcrossARestartOnTheSamePort() throws Exception {
    BindServer server = bind.peer();
    SimpleResolver signed = server.resolver();
    signed.setTSIGKey(new TSIG(TSIG.HMAC_SHA256, server.tsigKeyName() + ".", server.tsigSecret()));
    Update add = new Update(Name.fromString(server.zone()));
    add.add(server.absolute("durable"), Type.A, 30, "192.0.2.9");
    assertThat(signed.send(add).getRcode()).isEqualTo(Rcode.NOERROR);
    int port = server.port();

    server.stop();
    server.start();

    assertThat(server.port()).isEqualTo(port);
    Message answer = server.resolver().send(Message.newQuery(Record.newRecord(server.absolute("durable"), Type.A, DClass.IN)));
    assertThat(answer.getSection(Section.ANSWER)).hasSize(1);
  }
}
