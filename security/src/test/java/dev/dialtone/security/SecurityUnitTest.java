package dev.dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.security.authz.AccessPolicy;
import dev.dialtone.security.authz.Credentials;
import dev.dialtone.security.authz.Principal;
import dev.dialtone.security.authz.Role;
import dev.dialtone.security.identity.SpiffeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecurityUnitTest {

  @Test
  void spiffeIdsRoundTrip() {
    assertThat(SpiffeId.parse("spiffe://acme-voice/region/us-east/agent/agent-1"))
        .contains(SpiffeId.agent("acme-voice", "us-east", "agent-1"));
    assertThat(SpiffeId.parse("spiffe://acme-voice/operator/alice")).contains(SpiffeId.operator("acme-voice", "alice"));
    assertThat(SpiffeId.parse("spiffe://acme-voice/replica/cp-2")).contains(SpiffeId.replica("acme-voice", "cp-2"));
    assertThat(SpiffeId.agent("acme-voice", "us-east", "a").toString()).isEqualTo("spiffe://acme-voice/region/us-east/agent/a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "https://acme/operator/a", "spiffe://acme/region/us-east/agent/", "spiffe://acme/admin/a",
      "spiffe://ACME/operator/a", "spiffe://acme/operator/a/extra", "spiffe://acme/region//agent/a"})
  void malformedIdsAreNotDialtoneIdentities(String uri) {
    assertThat(SpiffeId.parse(uri)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "dialtone.v1.AdminService/GetStatus, VIEWER, true",
    "dialtone.v1.AdminService/Switchover, VIEWER, false",
    "dialtone.v1.AdminService/Switchover, OPERATOR, true",
    "dialtone.v1.AdminService/Freeze, OPERATOR, true",
    "dialtone.v1.AdminService/RunDrill, OPERATOR, true",
    "dialtone.v1.AdminService/ApplyDrill, VIEWER, false",
    "dialtone.v1.AdminService/ApplyDrill, OPERATOR, true",
    "dialtone.v1.AdminService/DeleteDrill, VIEWER, false",
    "dialtone.v1.AdminService/DeleteDrill, OPERATOR, true",
    "dialtone.v1.AdminService/Failover, OPERATOR, false",
    "dialtone.v1.AdminService/Failover, ADMIN, true",
    "dialtone.v1.AdminService/SetOutageMode, OPERATOR, false",
    "dialtone.v1.AdminService/CancelDrain, VIEWER, false",
    "dialtone.v1.AdminService/CancelDrain, OPERATOR, true",
    "dialtone.v1.AdminService/DeregisterRegion, OPERATOR, false",
    "dialtone.v1.AdminService/DeregisterRegion, ADMIN, true",
    "dialtone.v1.AdminService/SomethingNew, ADMIN, false",
    "dialtone.v1.AgentService/Report, ADMIN, false",
  })
  void rolesOpenExactlyTheirMethods(String method, Role role, boolean allowed) {
    Principal principal = new Principal("p", Optional.empty(), Optional.of(role));
    assertThat(AccessPolicy.dialtoneDefaults().denial(method, principal).isEmpty()).isEqualTo(allowed);
  }

  @Test
  void onlyAgentIdentitiesMayReport() {
    var agent = new Credentials("acme", Map.of(), List.of()).forCertificate(SpiffeId.agent("acme", "us-east", "a1"));
    assertThat(AccessPolicy.dialtoneDefaults().denial("dialtone.v1.AgentService/Report", agent.principal().orElseThrow())).isEmpty();
    assertThat(AccessPolicy.dialtoneDefaults().denial("dialtone.v1.AdminService/GetStatus", agent.principal().orElseThrow()))
        .contains("may not call dialtone.v1.AdminService/GetStatus: spiffe://acme/region/us-east/agent/a1 has no role, needs viewer");
  }

  @Test
  void tokensAreMatchedByHashOnly() {
    var credentials = new Credentials("acme", Map.of(),
        List.of(new Credentials.TokenBinding("ci", Role.OPERATOR, Credentials.hash("tok"))));
    assertThat(credentials.forToken("tok").principal()).map(Principal::name).contains("token:ci");
    assertThat(credentials.forToken("tok2").refusal()).isEqualTo("unknown bearer token");
    assertThatThrownBy(() -> new Credentials.TokenBinding("ci", Role.ADMIN, "tok"))
        .hasMessage("token ci: sha256 must be 64 lower-case hex digits");
  }

  @Test
  void anAgentMayReportOnlyForItsOwnDeploymentAndRegionUnderItsOwnAgentId() {
    var east = new Principal("a", Optional.of(SpiffeId.agent("acme", "us-east", "a1")), Optional.empty());
    assertThat(dev.dialtone.security.identity.ReporterIdentity.denial(east, "acme", "us-east", "a1", false)).isEmpty();
    assertThat(dev.dialtone.security.identity.ReporterIdentity.denial(east, "acme", "us-west", "a1", false))
        .contains("spiffe://acme/region/us-east/agent/a1 may not report for region us-west");
    assertThat(dev.dialtone.security.identity.ReporterIdentity.denial(east, "other", "us-east", "a1", false))
        .contains("spiffe://acme/region/us-east/agent/a1 may not report for deployment other");
    assertThat(dev.dialtone.security.identity.ReporterIdentity.denial(east, "acme", "us-east", "a2", false))
        .contains("spiffe://acme/region/us-east/agent/a1 may not report as agent_id a2 (its certificate is of agent a1)");
    var operator = new Principal("o", Optional.of(SpiffeId.operator("acme", "ada")), Optional.of(Role.ADMIN));
    assertThat(dev.dialtone.security.identity.ReporterIdentity.denial(operator, "acme", "us-east", "ada", false))
        .contains("spiffe://acme/operator/ada is not a region agent");
    assertThat(dev.dialtone.security.identity.ReporterIdentity.denial(Principal.unauthenticated("dev"), "acme", "us-east", "a1", false))
        .contains("reports need an agent certificate identity");
    assertThat(dev.dialtone.security.identity.ReporterIdentity.denial(Principal.unauthenticated("dev"), "acme", "us-east", "a1", true))
        .isEmpty();
  }
}
