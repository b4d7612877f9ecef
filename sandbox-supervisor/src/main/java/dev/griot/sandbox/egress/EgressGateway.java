package dev.griot.sandbox.egress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The node's egress gateway: the only way out of a sandbox that has no network. It listens on the
 * node's loopback (sandboxes reach it through a unix socket bound into them, see
 * {@link UnixSocketBridge}), allows only the configured routes, strips whatever credentials the
 * request carries and adds the route's own, and streams the answer back (server-sent events
 * included). Everything else gets 403.
 */
public final class EgressGateway implements AutoCloseable {

  /** Headers never passed on: hop-by-hop ones, and every credential a sandbox might send. */
  private static final Set<String> DROPPED = Set.of(
      "host", "connection", "content-length", "transfer-encoding", "upgrade", "keep-alive", "proxy-connection",
      "te", "trailer", "expect", "authorization", "x-api-key", "x-goog-api-key", "proxy-authorization");

  private final Map<String, EgressRoute> routes;
  private final HttpServer server;
  private final HttpClient client;

  public EgressGateway(List<EgressRoute> routes, Executor executor) throws IOException {
    Map<String, EgressRoute> byName = new LinkedHashMap<>();
    routes.forEach(r -> byName.put(r.name(), r));
    this.routes = Map.copyOf(byName);
    this.client = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1).build();
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The routes of {@code griot.sandbox.egress.routes}. */
  public static List<EgressRoute> routesFromConfig(Config root) {
    Config routes = root.getConfig("griot.sandbox.egress.routes");
    return routes.root().keySet().stream().sorted().map(n -> EgressRoute.fromConfig(n, routes.getConfig(n))).toList();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      String[] parts = path.split("/", 3);
      EgressRoute route = parts.length > 1 ? routes.get(parts[1]) : null;
      if (route == null) {
        refuse(ex, 403, "egress to '" + (parts.length > 1 ? parts[1] : "") + "' is not allowed; routes: " + routes.keySet());
        return;
      }
      String rest = parts.length > 2 ? "/" + parts[2] : "";
      String query = ex.getRequestURI().getRawQuery();
      URI target = URI.create(route.upstream() + rest + (query == null ? "" : "?" + query));
      byte[] body = ex.getRequestBody().readAllBytes();
      HttpRequest.Builder req = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(10))
          .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      ex.getRequestHeaders().forEach((k, vs) -> {
        if (!DROPPED.contains(k.toLowerCase(Locale.ROOT))) vs.forEach(v -> req.header(k, v));
      });
      route.credential().ifPresent(c -> req.header(route.credentialHeader(), route.credentialPrefix() + c));
      HttpResponse<InputStream> res;
      try {
        res = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        refuse(ex, 502, "interrupted");
        return;
      } catch (IOException e) {
        refuse(ex, 502, "upstream " + route.upstream() + " failed: " + e.getMessage());
        return;
      }
      res.headers().map().forEach((k, vs) -> {
        if (!DROPPED.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) ex.getResponseHeaders().put(k, vs);
      });
      ex.sendResponseHeaders(res.statusCode(), 0); // chunked: answers stream as they come
      try (InputStream in = res.body(); OutputStream out = ex.getResponseBody()) {
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) >= 0; ) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    }
  }

  private static void refuse(HttpExchange ex, int status, String message) throws IOException {
    byte[] b = (message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
