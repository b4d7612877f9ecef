package dev.griot.sandbox;

import dev.griot.sandbox.egress.EgressGateway;
import dev.griot.sandbox.egress.EgressRoute;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sandbox with no network reaches its model only through the node's egress gateway, which
 * allows the configured routes and adds the credential; the sandbox never holds the key.
 */
class EgressGatewayTest {

  private static final String KEY = "sk-test-secret-0123456789";
  private static final ExecutorService executor = Executors.newCachedThreadPool();
  private static HttpServer model;
  private static EgressGateway gateway;
  private static final ConcurrentLinkedQueue<String> keysSeen = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() throws Exception {
    model = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    model.createContext("/v1/messages", ex -> {
      keysSeen.add(String.valueOf(ex.getRequestHeaders().getFirst("x-api-key")));
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      byte[] answer = ("{\"echo\":" + body + "}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("content-type", "application/json");
      ex.sendResponseHeaders(200, answer.length);
      ex.getResponseBody().write(answer);
      ex.close();
    });
    model.start();
    URI upstream = URI.create("http://127.0.0.1:" + model.getAddress().getPort());
    gateway = new EgressGateway(List.of(new EgressRoute("anthropic", upstream, "x-api-key", "", Optional.of(KEY))), executor);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    model.stop(0);
    executor.shutdownNow();
  }

  @Test
  void theSandboxReachesItsModelOnlyThroughTheGatewayWhichAddsTheKey() throws Exception {
    Path ws = Files.createTempDirectory("egress");
    var sandbox = new BubblewrapSandbox(BubblewrapSettings.fromConfig(ConfigFactory.load()), executor, Optional.of(gateway.address()));
    int modelPort = model.getAddress().getPort();
    String script = String.join("; ",
        "curl -s -H 'x-api-key: stolen' -d '{\"q\":1}' \"$GRIOT_EGRESS_URL/anthropic/v1/messages\"",
        "echo",
        "echo forbidden=$(curl -s -o /dev/null -w '%{http_code}' \"$GRIOT_EGRESS_URL/evil/steal\")",
        "echo direct=$(curl -s --max-time 3 -o /dev/null -w '%{http_code}' http://127.0.0.1:" + modelPort + "/v1/messages || true)",
        "echo keys-in-env=$(env | grep -c " + KEY + ")");
    var listener = new RecordingListener();
    keysSeen.clear();
    var handle = sandbox.start(new SandboxSpec(List.of("sh", "-c", script), ws, Map.of()).withEgress(true), listener);
    assertEquals(0, handle.exit().toCompletableFuture().get(60, TimeUnit.SECONDS), listener.stderr.toString());
    List<String> out = List.copyOf(listener.stdout);
    assertEquals("{\"echo\":{\"q\":1}}", out.get(0), out.toString());
    assertTrue(out.contains("forbidden=403"), "a route not configured is refused: " + out);
    assertTrue(out.contains("direct=000"), "no way around the gateway: " + out);
    assertTrue(out.contains("keys-in-env=0"), out.toString());
    assertEquals(List.of(KEY), List.copyOf(keysSeen), "the model saw the gateway's key, never the sandbox's");
    Path sockets = Path.of(System.getProperty("java.io.tmpdir"), "griot-egress");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (socketsIn(sockets) > 0 && System.nanoTime() < deadline) Thread.onSpinWait(); // closed as the sandbox exits
    assertEquals(0, socketsIn(sockets), "the sandbox's egress socket is gone with it");
  }

  @Test
  void aContainerReachesItsModelOnlyThroughTheGatewayToo(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path rootfs = BusyboxRootfs.create(dir.resolve("rootfs"));
    Path state = Files.createDirectories(dir.resolve("runc-state"));
    RuncSettings defaults = RuncSettings.fromConfig(ConfigFactory.parseString(
        "griot.sandbox.container.rootfs = \"" + rootfs + "\"").withFallback(ConfigFactory.load()));
    var sandbox = new RuncSandbox(new RuncSettings(defaults.runtime(), rootfs, Optional.of(state), defaults.path(),
        defaults.lang(), defaults.defaultLimits(), defaults.cgroupParent()), executor, Optional.of(gateway.address()));
    int modelPort = model.getAddress().getPort();
    String script = String.join("; ",
        "wget -q -O - --header 'x-api-key: stolen' --post-data '{\"q\":2}' \"$GRIOT_EGRESS_URL/anthropic/v1/messages\"",
        "echo",
        "wget -q -O /dev/null \"$GRIOT_EGRESS_URL/evil/steal\" && echo forbidden=no || echo forbidden=yes",
        "wget -q -T 3 -O /dev/null http://127.0.0.1:" + modelPort + "/v1/messages && echo direct=yes || echo direct=no",
        "echo keys-in-env=$(env | grep -c " + KEY + ")");
    var listener = new RecordingListener();
    keysSeen.clear();
    Path ws = dir.resolve("ws");
    var handle = sandbox.start(new SandboxSpec(List.of("sh", "-c", script), ws, Map.of()).withEgress(true), listener);
    assertEquals(0, handle.exit().toCompletableFuture().get(60, TimeUnit.SECONDS), listener.stderr.toString());
    List<String> out = List.copyOf(listener.stdout);
    assertEquals("{\"echo\":{\"q\":2}}", out.get(0), out + " " + listener.stderr);
    assertTrue(out.contains("forbidden=yes"), "a route not configured is refused: " + out);
    assertTrue(out.contains("direct=no"), "no way around the gateway: " + out);
    assertTrue(out.contains("keys-in-env=0"), out.toString());
    assertEquals(List.of(KEY), List.copyOf(keysSeen), "the model saw the gateway's key, never the container's");
    assertEquals("", sandbox.exec("list", "-q").output(), "no container left");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (socatsFor(dir) > 0 && System.nanoTime() < deadline) Thread.onSpinWait();
    assertEquals(0, socatsFor(dir), "the socat that served the container is gone with it");
  }

  /** Host socat processes started for a bundle of this test (their unix socket names a container). */
  private static long socatsFor(Path dir) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/socat")).orElse(false))
        .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("griot-egress")).orElse(false))
        .filter(p -> p.parent().map(pp -> !pp.info().command().orElse("").endsWith("bwrap")).orElse(true))
        .count();
  }

  private static long socketsIn(Path dir) throws java.io.IOException {
    try (var files = Files.list(dir)) {
      return files.count();
    }
  }
}
