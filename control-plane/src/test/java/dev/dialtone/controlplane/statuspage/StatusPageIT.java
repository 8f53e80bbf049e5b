package dev.dialtone.controlplane.statuspage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.multibindings.Multibinder;
import com.google.protobuf.Timestamp;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.server.ControlPlaneReplica;
import dev.dialtone.controlplane.testing.FencingActuator;
import dev.dialtone.proto.v1.AgentServiceGrpc;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.DependencyResult;
import dev.dialtone.proto.v1.Directive;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.security.authz.Credentials;
import dev.dialtone.security.identity.SpiffeId;
import dev.dialtone.security.pki.CertificateAuthority;
import dev.dialtone.security.tls.TlsFiles;
import dev.dialtone.security.tls.TransportSecurity;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real browser: Debian's Chromium, headless, driven through its own
 * chromedriver by Selenium, against a replica with mutual TLS on a real ZooKeeper ensemble, fed
 * by two test agents over their own certificates. Without a sign-in the browser gets no data;
 * signed in with a viewer's token it shows the lab's state, and an automatic failover within 2 s
 * of its commit.
 */
class StatusPageIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  private static final AtomicInteger RUN = new AtomicInteger();
  private static final String VIEWER_TOKEN = "wall-screen-t0ken";
  private static final Instant NOW = Instant.now();
  private static final Duration DAY = Duration.ofDays(1);
  /** The page's promise: a change is on screen within this long of being committed. */
  private static final Duration WITHIN = Duration.ofSeconds(2);
  private static final Path SCREENSHOTS = Path.of("target");

  @TempDir Path dir;
  /** One deployment per test: the ensemble is shared, and a failover must not leak into the next test. */
  final String deployment = "status-page-it-" + RUN.incrementAndGet();
  final FencingActuator carrier = new FencingActuator("carrier/test", EpochGuard.none());
  final FencingActuator dns = new FencingActuator("dns/test", EpochGuard.none());
  final Map<String, HealthStatus> db = new ConcurrentHashMap<>(Map.of(
      "us-east", HealthStatus.HEALTH_STATUS_UP, "us-west", HealthStatus.HEALTH_STATUS_UP));
  final AtomicLong sequence = new AtomicLong();
  final List<AutoCloseable> closeables = new ArrayList<>();
  final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
  CertificateAuthority ca;
  Path trust;
  ControlPlaneReplica replica;
  String base;
  WebDriver browser;

  @BeforeEach
  void startReplicaAgentsAndBrowser() throws Exception {
    ca = CertificateAuthority.create("status-page-it-ca", NOW, DAY, new SecureRandom());
    trust = ca.writeTrustBundle(dir.resolve("ca.crt"));
    var server = issue(SpiffeId.replica(deployment, "cp-1"), "cp-1");
    ControlPlaneConfig config = new ControlPlaneConfigLoader().parse("status-page.yaml", """
        deployment: %s
        replicaId: cp-1
        zookeeper: { connect: "%s" }
        grpc: { port: 0 }
        http: { port: 0 }
        tick: 100ms
        policy: { failAfter: 2, holdDown: 0s, staleAfter: 3s }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10] } }
          - { id: us-west, priority: 2, edge: { a: [198.51.100.20] } }
        security:
          tls: { certificate: "%s", key: "%s", trustBundle: "%s", requireClientCertificate: false }
          access:
            certificates: { "spiffe://%s/operator/vera": viewer }
            tokens: [ { name: wall-screen, role: viewer, sha256: "%s" } ]
        statusPage: { port: 0 }
        """.formatted(deployment, zk.peer().connectString(), server.certificateChain(), server.privateKey(), trust,
        deployment, Credentials.hash(VIEWER_TOKEN)));
    replica = new ControlPlaneReplica(config, binder -> {
      Multibinder<TrafficActuator> set = Multibinder.newSetBinder(binder, TrafficActuator.class);
      set.addBinding().toInstance(carrier);
      set.addBinding().toInstance(dns);
    }).start();
    closeables.add(replica);
    StatusPageServer page = replica.statusPage().orElseThrow();
    assertThat(page.tls()).as("HTTPS with the replica's certificate").isTrue();
    base = "https://127.0.0.1:" + page.port();

    StreamObserver<HealthReport> east = agent("us-east");
    StreamObserver<HealthReport> west = agent("us-west");
    timers.scheduleAtFixedRate(() -> {
      east.onNext(report("us-east"));
      west.onNext(report("us-west"));
    }, 0, 100, TimeUnit.MILLISECONDS);
    await().atMost(Duration.ofSeconds(15)).until(() -> dns.routing().startsWith("us-east"));

    browser = dev.dialtone.testkit.HeadlessChromium.start(1280, 1400);
    closeables.add(browser::quit);
  }

  @AfterEach
  void tearDown() throws Exception {
    timers.shutdownNow();
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  @Test
  void withoutSignInTheBrowserSeesNoDataAndAnUnknownTokenIsRefused() throws Exception {
    browser.get(base + "/");
    assertThat(browser.getTitle()).isEqualTo("Dialtone — sign in");
    assertNoData("the sign-in form");
    browser.get(base + "/api/status");
    assertNoData("/api/status without credentials");
    browser.get(base + "/reports/some-run");
    assertNoData("a report without credentials");

    browser.get(base + "/");
    signIn("not-a-token-anyone-holds");
    // The refusal is the answer to the form's post: the sign-in page may be replaced under the first lookup.
    new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(50)).ignoring(StaleElementReferenceException.class)
        .until(ExpectedConditions.textToBe(By.id("refusal"), "That token is not accepted here."));
    assertNoData("after a refused token");

    // The data endpoints answer 401 and nothing else to a client with nothing to show.
    HttpClient anonymous = HttpClient.newBuilder().sslContext(sslContext(null)).build();
    for (String path : List.of("/api/status", "/api/events", "/")) {
      HttpResponse<String> r = anonymous.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(r.body()).as(path).doesNotContain("us-east").doesNotContain("us-west");
    }
  }

  @Test
  void aClientCertificateNeedsTheViewerRole() throws Exception {
    HttpClient viewer = HttpClient.newBuilder().sslContext(sslContext(SpiffeId.operator(deployment, "vera"))).build();
    HttpResponse<String> seen = viewer.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(seen.statusCode()).isEqualTo(200);
    assertThat(seen.body()).contains("\"activeRegion\":\"us-east\"");

    // An agent's certificate is a verified identity of this deployment, but it has no role.
    HttpClient agent = HttpClient.newBuilder().sslContext(sslContext(SpiffeId.agent(deployment, "us-east", "curious"))).build();
    HttpResponse<String> refused = agent.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("has no role, needs viewer").doesNotContain("us-west");
  }

  @Test
  void aViewerSeesTheLabsStateAndTheFailoverWithinTwoSecondsOfItsCommit() throws Exception {
    browser.get(base + "/");
    signIn(VIEWER_TOKEN);
    WebDriverWait shown = new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(50));
    shown.ignoring(StaleElementReferenceException.class); // every snapshot re-renders the sections
    shown.until(ExpectedConditions.textToBe(By.id("live"), "live"));
    shown.until(ExpectedConditions.textToBe(By.id("active-region"), "us-east"));
    // Read through the wait, never straight off the page: a snapshot may replace the element being read.
    shown.until(ExpectedConditions.textToBe(By.id("viewer"), "token:wall-screen"));
    shown.until(ExpectedConditions.textToBe(By.id("deployment"), deployment));
    shown.until(ExpectedConditions.textToBe(By.cssSelector("#mode .badge"), "AUTO"));
    shown.until(d -> d.findElement(By.cssSelector("[data-region=us-west] h3 .badge")).getText().equals("UP"));
    shown.until(d -> {
      String llm = d.findElement(By.cssSelector("[data-region=us-east] [data-dependency=llm]")).getText();
      return llm.contains("UP") && llm.contains("180 ms");
    });
    shown.until(d -> d.findElement(By.cssSelector("[data-actuator='dns/test'] .to")).getText().startsWith("us-east"));

    db.put("us-east", HealthStatus.HEALTH_STATUS_DOWN);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> placement().activeRegion().equals("us-west"));
    Instant committed = placement().changedAt();
    Duration left = WITHIN.minus(Duration.between(committed, Instant.now()));
    new WebDriverWait(browser, left.isNegative() ? Duration.ZERO : left, Duration.ofMillis(20))
        .ignoring(StaleElementReferenceException.class)
        .until(ExpectedConditions.textToBe(By.id("active-region"), "us-west"));
    Duration onScreen = Duration.between(committed, Instant.now());
    assertThat(onScreen).as("failover on the page after its commit").isLessThanOrEqualTo(WITHIN);

    shown.until(d -> d.findElement(By.cssSelector("[data-region=us-east] h3 .badge")).getText().equals("DOWN"));
    shown.until(d -> d.findElement(By.id("history")).getText().contains("why:"));
    shown.until(d -> d.findElement(By.cssSelector("[data-actuator='dns/test'] .to")).getText().startsWith("us-west"));
    screenshot("status-page-desktop.png");
    browser.manage().window().setSize(new Dimension(390, 1600));
    shown.until(d -> d.findElement(By.id("regions")).getSize().getWidth() < 390);
    screenshot("status-page-phone.png");
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private void assertNoData(String where) {
    String page = browser.getPageSource();
    assertThat(page).as(where).doesNotContain("us-east").doesNotContain("us-west").doesNotContain(deployment);
  }

  private void signIn(String token) {
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.id("sign-in")).click();
  }

  private Placement placement() throws Exception {
    return replica.replica().store().placement().orElseThrow().value();
  }

  private void screenshot(String name) throws Exception {
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.createDirectories(SCREENSHOTS);
    Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  private CertificateAuthority.Issued.PemFiles issue(SpiffeId id, String name) {
    return ca.issue(CertificateAuthority.LeafSpec.loopback(name, id.toUri(), NOW, DAY)).written(dir, name);
  }

  /** A client's TLS context trusting the throwaway CA, presenting {@code id}'s certificate (none if null). */
  private SSLContext sslContext(SpiffeId id) throws Exception {
    if (id == null) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      try (var in = Files.newInputStream(trust)) {
        store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory trusts = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trusts.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trusts.getTrustManagers(), null);
      return context;
    }
    var files = issue(id, id.kind().name().toLowerCase() + "-" + id.name());
    TransportSecurity security = TransportSecurity.mutualTls(
        new TlsFiles(files.certificateChain(), files.privateKey(), trust, Duration.ofSeconds(30)), timers, true);
    closeables.add(security);
    return security.sslContext().orElseThrow();
  }

  private StreamObserver<HealthReport> agent(String region) {
    var files = issue(SpiffeId.agent(deployment, region, "agent-" + region), "agent-" + region);
    TransportSecurity security = TransportSecurity.mutualTls(
        new TlsFiles(files.certificateChain(), files.privateKey(), trust, Duration.ofSeconds(30)), timers, true);
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", replica.grpcPort(),
        security.channelCredentials(deployment)).build();
    closeables.add(security);
    closeables.add(channel::shutdownNow);
    StreamObserver<HealthReport> out = AgentServiceGrpc.newStub(channel).report(new StreamObserver<Directive>() {
      @Override public void onNext(Directive d) {}
      @Override public void onError(Throwable t) {}
      @Override public void onCompleted() {}
    });
    return new StreamObserver<>() { // gRPC stream observers are not thread-safe: one sender at a time
      @Override public synchronized void onNext(HealthReport r) { out.onNext(r); }
      @Override public synchronized void onError(Throwable t) { out.onError(t); }
      @Override public synchronized void onCompleted() { out.onCompleted(); }
    };
  }

  private HealthReport report(String region) {
    Instant now = Instant.now();
    return HealthReport.newBuilder().setDeployment(deployment).setRegion(region).setAgentId("agent-" + region)
        .setIncarnation(1).setSequence(sequence.incrementAndGet())
        .setObservedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setReady(true)
        .addDependencies(dependency("db", DependencyKind.DEPENDENCY_KIND_DB, db.get(region), 4))
        .addDependencies(dependency("llm", DependencyKind.DEPENDENCY_KIND_LLM, HealthStatus.HEALTH_STATUS_UP, 180))
        .addDependencies(dependency("cache", DependencyKind.DEPENDENCY_KIND_CACHE, HealthStatus.HEALTH_STATUS_UP, 1))
        .build();
  }

  private static DependencyResult dependency(String name, DependencyKind kind, HealthStatus status, int millis) {
    DependencyResult.Builder d = DependencyResult.newBuilder().setName(name).setKind(kind).setStatus(status)
        .setCritical(kind != DependencyKind.DEPENDENCY_KIND_CACHE)
        .setLatency(com.google.protobuf.Duration.newBuilder().setNanos(millis * 1_000_000));
    if (status == HealthStatus.HEALTH_STATUS_DOWN) {
      d.setErrorText("connection refused (test agent says so)");
    }
    return d.build();
  }
}
