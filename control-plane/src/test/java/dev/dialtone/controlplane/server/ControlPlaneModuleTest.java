package dev.dialtone.controlplane.server;

import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.framework.state.StandardConnectionStateErrorPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControlPlaneModuleTest {
  @ParameterizedTest
  @CsvSource({"'', STANDARD", "'stopOn: SUSPENDED', STANDARD", "'stopOn: LOST', SESSION"})
  void theConfiguredStopOnChoosesCuratorsConnectionStateErrorPolicy(String stopOn, String policy) {
    ControlPlaneConfig config = new ControlPlaneConfigLoader().parse("cp.yaml", """
        deployment: acme
        replicaId: cp-1
        zookeeper: { connect: "127.0.0.1:1", sessionTimeout: 4s %s }
        regions: [ { id: us-east, priority: 1, edge: { a: [192.0.2.1] } } ]
        security: { plaintext: true }
        """.formatted(stopOn.isEmpty() ? "" : ", " + stopOn));

    CuratorFramework client = new ControlPlaneModule(config).curator();

    assertThat(client.getConnectionStateErrorPolicy()).isInstanceOf(policy.equals("STANDARD")
        ? StandardConnectionStateErrorPolicy.class : SessionConnectionStateErrorPolicy.class);
    assertThat(client.getZookeeperClient().getConnectionTimeoutMs()).isEqualTo(3_000);
    client.close();
  }
}
