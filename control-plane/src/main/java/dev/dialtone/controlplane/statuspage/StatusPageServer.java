package dev.dialtone.controlplane.statuspage;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.dialtone.controlplane.actuation.RoutingReadBack;
import dev.dialtone.controlplane.admin.AdminGrpcService;
import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.security.ReplicaSecurity;
import dev.dialtone.proto.v1.GetDrillReportRequest;
import dev.dialtone.proto.v1.GetDrillReportResponse;
import dev.dialtone.proto.v1.ReportFormat;
import dev.dialtone.security.authz.Credentials;
import dev.dialtone.security.authz.Principal;
import io.grpc.StatusException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's status page: {@code /} (the page, or a sign-in form and no data), {@code /api/status}
 * (its data as JSON), {@code /api/events} (the data again on every change, as Server-Sent Events),
 * {@code /reports/<run>} (a drill report), and the page's own script and style. HTTPS with the
 * replica's certificate, a client certificate asked for but not required so a browser without one
 * can sign in with a bearer token instead; plain HTTP (loopback only) in the plaintext profile.
 */
public final class StatusPageServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusPageServer.class);
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** How many live streams one replica serves at once; more get 503 (each holds a thread and a socket). */
  static final int MAX_STREAMS = 64;
  /** How long a stream stays quiet before a keep-alive (which is also when a lapsed sign-in ends it). */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final int MAX_FORM_BYTES = 8 * 1024;
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** Nothing but the replica's own script, style and data: no inline script, no other origin. */
  static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  /** A drill report is one self-contained document: its own inline style and SVG, no script at all. */
  static final String REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none';"
      + " base-uri 'none'";

  private final HttpServer server;
  private final boolean tls;
  private final PageAccess access;
  private final SnapshotFeed feed;
  private final AdminGrpcService admin;
  private final ExecutorService handlers;
  private final AtomicInteger streams = new AtomicInteger();
  private final String cookie;
  private final Resources resources;

  private StatusPageServer(HttpServer server, boolean tls, PageAccess access, SnapshotFeed feed,
      AdminGrpcService admin, ExecutorService handlers) {
    this.server = server;
    this.tls = tls;
    this.access = access;
    this.feed = feed;
    this.admin = admin;
    this.handlers = handlers;
    // __Host-: the browser keeps it for this origin only, over HTTPS only.
    this.cookie = tls ? "__Host-dialtone-signin" : "dialtone-signin";
    this.resources = Resources.load();
  }

  /**
   * Starts the page of a replica as {@code config.statusPage()} says, with the replica's TLS material
   * and access control, reading the replica's state through {@code admin} and the routing from the replica's read-back (which it does not close).
   */
  public static StatusPageServer start(ControlPlaneConfig config, ReplicaSecurity security, AdminGrpcService admin,
      RoutingReadBack routing, Clock clock) throws IOException {
    ControlPlaneConfig.StatusPage c = config.statusPage();
    InetSocketAddress at = new InetSocketAddress(c.address(), c.port());
    Optional<SSLContext> tls = security.sslContext();
    HttpServer server;
    if (tls.isPresent()) {
      HttpsServer https = HttpsServer.create(at, 0);
      SSLContext context = tls.get();
      https.setHttpsConfigurator(new HttpsConfigurator(context) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters p = context.getDefaultSSLParameters();
          p.setWantClientAuth(true); // a viewer's certificate if the browser has one; else a token sign-in
          p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
          params.setSSLParameters(p);
        }
      });
      server = https;
    } else {
      server = HttpServer.create(at, 0);
    }
    String replicaId = config.replicaId();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "status-page-" + replicaId));
    StatusSnapshots snapshots = new StatusSnapshots(admin, routing);
    SnapshotFeed feed = new SnapshotFeed(snapshots::build, c.refresh(), clock, timer);
    PageAccess access = new PageAccess(security.access(), new SignIns(c.signInFor(), clock, new SecureRandom()));
    ExecutorService handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("status-page-http-", 0).factory());
    StatusPageServer page = new StatusPageServer(server, tls.isPresent(), access, feed, admin, handlers);
    server.createContext("/", page::handle);
    server.setExecutor(handlers);
    server.start();
    log.info("[replica={}] status page on {}://{}:{}/", replicaId, tls.isPresent() ? "https" : "http",
        c.address(), page.port());
    return page;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Where it listens. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Whether it serves HTTPS (else plain HTTP, the plaintext profile). */
  public boolean tls() {
    return tls;
  }

  // ---- requests ---------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      switch (path) {
        case "/status.css" -> asset(exchange, method, "text/css; charset=utf-8", resources.css());
        case "/status.js" -> asset(exchange, method, "text/javascript; charset=utf-8", resources.js());
        case "/" -> page(exchange, method);
        case "/sign-in" -> signIn(exchange, method);
        case "/sign-out" -> signOut(exchange, method);
        case "/api/status" -> status(exchange, method);
        case "/api/events" -> events(exchange, method);
        default -> {
          if (path.startsWith("/reports/")) {
            report(exchange, method, path.substring("/reports/".length()));
          } else {
            send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
          }
        }
      }
    } catch (IOException e) {
      log.debug("status page request ended early: {}", e.toString()); // the browser went away
    } catch (RuntimeException e) {
      log.warn("status page request failed", e);
    }
  }

  private PageAccess.Verdict verdict(HttpExchange exchange) {
    SSLSession session = exchange instanceof HttpsExchange https ? https.getSSLSession() : null;
    return access.check(session, exchange.getRequestHeaders().getFirst("Authorization"), signInCookie(exchange));
  }

  private String signInCookie(HttpExchange exchange) {
    List<String> headers = exchange.getRequestHeaders().get("Cookie");
    if (headers == null) {
      return null;
    }
    for (String header : headers) {
      for (String pair : header.split(";")) {
        String p = pair.strip();
        if (p.startsWith(cookie + "=")) {
          return p.substring(cookie.length() + 1);
        }
      }
    }
    return null;
  }

  private static boolean allowedMethod(HttpExchange exchange, String method, String allowed) throws IOException {
    if (method.equals(allowed)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", allowed);
    send(exchange, 405, "text/plain; charset=utf-8", "use " + allowed + "\n");
    return false;
  }

  private void asset(HttpExchange exchange, String method, String type, byte[] body) throws IOException {
    if (allowedMethod(exchange, method, "GET")) {
      send(exchange, 200, type, body);
    }
  }

  /** The page for someone allowed to see it; for anyone else a 401 or 403 with the sign-in form and no data. */
  private void page(HttpExchange exchange, String method) throws IOException {
    if (!allowedMethod(exchange, method, "GET")) {
      return;
    }
    PageAccess.Verdict v = verdict(exchange);
    if (!v.allowed()) {
      signInForm(exchange, v.status(), v.status() == 403 ? v.refusal() : "");
      return;
    }
    send(exchange, 200, "text/html; charset=utf-8", resources.page());
  }

  private void signInForm(HttpExchange exchange, int status, String message) throws IOException {
    if (status == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"dialtone\"");
    }
    send(exchange, status, "text/html; charset=utf-8", resources.signIn(message));
  }

  private void signIn(HttpExchange exchange, String method) throws IOException {
    if (!allowedMethod(exchange, method, "POST") || !sameOrigin(exchange)) {
      return;
    }
    String token = formField(exchange, "token");
    if (token == null || token.isBlank()) {
      signInForm(exchange, 401, "Paste a bearer token: one whose SHA-256 is in security.access.tokens.");
      return;
    }
    SSLSession session = exchange instanceof HttpsExchange https ? https.getSSLSession() : null;
    Credentials.Result who = access.token(session, token.strip());
    if (who.principal().isEmpty()) {
      log.warn("status page sign-in refused: {}", who.refusal()); // the refusal never holds the token
      signInForm(exchange, 401, "That token is not accepted here.");
      return;
    }
    PageAccess.Verdict v = access.allowedToRead(who.principal().get());
    if (!v.allowed()) {
      signInForm(exchange, 403, v.refusal());
      return;
    }
    Principal p = who.principal().get();
    String id = access.signIns().open(p);
    log.info("status page: {} signed in", p.name());
    exchange.getResponseHeaders().add("Set-Cookie", cookie + "=" + id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
        + access.signIns().lifetime().toSeconds() + (tls ? "; Secure" : ""));
    redirectHome(exchange);
  }

  private void signOut(HttpExchange exchange, String method) throws IOException {
    if (!allowedMethod(exchange, method, "POST") || !sameOrigin(exchange)) {
      return;
    }
    access.signIns().close(signInCookie(exchange));
    exchange.getResponseHeaders().add("Set-Cookie", cookie + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
        + (tls ? "; Secure" : ""));
    redirectHome(exchange);
  }

  private static void redirectHome(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Location", "/");
    send(exchange, 303, "text/plain; charset=utf-8", "");
  }

  /** A form posted from another site is refused (the cookie is SameSite=Strict too; this covers signing someone in). */
  private boolean sameOrigin(HttpExchange exchange) throws IOException {
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (origin == null || (host != null && origin.equals((tls ? "https://" : "http://") + host))) {
      return true;
    }
    send(exchange, 403, "text/plain; charset=utf-8", "cross-origin form refused\n");
    return false;
  }

  private static String formField(HttpExchange exchange, String name) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_FORM_BYTES + 1);
    }
    if (body.length > MAX_FORM_BYTES) {
      return null;
    }
    for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        try {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
          return null;
        }
      }
    }
    return null;
  }

  private void status(HttpExchange exchange, String method) throws IOException {
    if (viewerGet(exchange, method).isPresent()) {
      send(exchange, 200, "application/json", feed.fresh().json());
    }
  }

  /** The verdict on a GET by a viewer; empty once the refusal (wrong method, no role) is sent. */
  private java.util.Optional<PageAccess.Verdict> viewerGet(HttpExchange exchange, String method) throws IOException {
    if (!allowedMethod(exchange, method, "GET")) {
      return java.util.Optional.empty();
    }
    PageAccess.Verdict v = verdict(exchange);
    if (!v.allowed()) {
      refuseJson(exchange, v);
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(v);
  }

  private static void refuseJson(HttpExchange exchange, PageAccess.Verdict v) throws IOException {
    if (v.status() == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"dialtone\"");
    }
    send(exchange, v.status(), "application/json", "{\"error\":" + jsonString(v.refusal()) + "}");
  }

  /** A snapshot now, then one on every change, with a keep-alive comment while nothing changes. */
  private void events(HttpExchange exchange, String method) throws IOException {
    java.util.Optional<PageAccess.Verdict> admitted = viewerGet(exchange, method);
    if (admitted.isEmpty()) {
      return;
    }
    PageAccess.Verdict v = admitted.get();
    if (streams.incrementAndGet() > MAX_STREAMS) {
      streams.decrementAndGet();
      exchange.getResponseHeaders().set("Retry-After", "10");
      send(exchange, 503, "text/plain; charset=utf-8", "too many live pages open on this replica\n");
      return;
    }
    try {
      Headers h = exchange.getResponseHeaders();
      securityHeaders(h);
      h.set("Content-Type", "text/event-stream; charset=utf-8");
      h.set("X-Accel-Buffering", "no"); // a proxy in front must not hold events back
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      write(out, "event: viewer\ndata: " + jsonString(v.principal().orElseThrow().name()) + "\n\n");
      SnapshotFeed.Snapshot sent = feed.watch();
      write(out, "retry: 1000\nevent: snapshot\ndata: " + sent.json() + "\n\n");
      while (true) {
        SnapshotFeed.Snapshot next = feed.next(sent.version(), KEEP_ALIVE);
        if (next == null) {
          return; // closing
        }
        if (!verdict(exchange).allowed()) {
          write(out, "event: signed-out\ndata: {}\n\n"); // the sign-in lapsed or was ended
          return;
        }
        if (next.version() == sent.version()) {
          write(out, ": keep-alive\n\n");
        } else {
          write(out, "event: snapshot\ndata: " + next.json() + "\n\n");
          sent = next;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      feed.unwatch();
      streams.decrementAndGet();
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** A drill report as its own page (the same HTML as {@code dialtone drill report --format html}). */
  private void report(HttpExchange exchange, String method, String runId) throws IOException {
    if (!allowedMethod(exchange, method, "GET")) {
      return;
    }
    PageAccess.Verdict v = verdict(exchange);
    if (!v.allowed()) {
      signInForm(exchange, v.status(), v.status() == 403 ? v.refusal() : "");
      return;
    }
    if (!RUN_ID.matcher(runId).matches()) {
      send(exchange, 404, "text/plain; charset=utf-8", "no such drill run\n");
      return;
    }
    try {
      GetDrillReportResponse r = StatusSnapshots.call(admin::getDrillReport,
          GetDrillReportRequest.newBuilder().setRunId(runId).setFormat(ReportFormat.REPORT_FORMAT_HTML).build());
      exchange.getResponseHeaders().set("Content-Security-Policy", REPORT_POLICY);
      send(exchange, 200, "text/html; charset=utf-8", r.getBody());
    } catch (StatusException e) {
      send(exchange, e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND ? 404 : 503, "text/plain; charset=utf-8",
          e.getStatus().getDescription() + "\n");
    }
  }

  // ---- responses --------------------------------------------------------------------------------

  private static void securityHeaders(Headers h) {
    h.putIfAbsent("Content-Security-Policy", List.of(PAGE_POLICY));
    h.set("X-Content-Type-Options", "nosniff");
    // Not no-referrer: under it a browser posts the sign-in form with "Origin: null", and the origin check refuses it.
    h.set("Referrer-Policy", "same-origin");
    h.set("X-Frame-Options", "DENY");
    h.set("Cache-Control", "no-store");
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    Headers h = exchange.getResponseHeaders();
    securityHeaders(h);
    if (exchange instanceof HttpsExchange) {
      h.set("Strict-Transport-Security", "max-age=31536000");
    }
    h.set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** {@code text} as a JSON string literal (Jackson escapes what JSON and a one-line SSE event need). */
  static String jsonString(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a string always serializes", e);
    }
  }

  /** Stops serving: live streams end, then the server. */
  @Override
  public void close() {
    feed.close();
    server.stop(0);
    handlers.shutdownNow();
  }

  /** The page, its script and style, and the sign-in form, from this package's resources. */
  private record Resources(byte[] page, byte[] js, byte[] css, String signInTemplate) {
    static Resources load() {
      return new Resources(read("index.html"), read("status.js"), read("status.css"),
          new String(read("sign-in.html"), StandardCharsets.UTF_8));
    }

    private static byte[] read(String name) {
      try (InputStream in = StatusPageServer.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("the status page's " + name + " is missing from the jar");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the status page's " + name, e);
      }
    }

    byte[] signIn(String message) {
      return signInTemplate.replace("{{message}}", escapeHtml(message)).getBytes(StandardCharsets.UTF_8);
    }
  }

  static String escapeHtml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }
}
