package dev.griot.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the Gemini API, enough for the real Gemini CLI: {@code :streamGenerateContent}
 * answers one server-sent event with a text and usage, {@code :generateContent} (the CLI's model
 * router) a routing decision. It records every request's key and the conversation it carried.
 */
final class FakeGeminiServer implements AutoCloseable {

  /** One request: the API key it carried and the user texts of its conversation. */
  record Seen(String path, String apiKey, List<String> userTexts) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  final List<Seen> requests = new CopyOnWriteArrayList<>();
  volatile String answer = "Hello from the fake Gemini.";
  /** Answer the first streamed request, then keep its connection open without ending it. */
  volatile boolean hangFirstStream;
  private final java.util.concurrent.atomic.AtomicBoolean hung = new java.util.concurrent.atomic.AtomicBoolean();

  private final java.util.concurrent.CountDownLatch stalledLatch = new java.util.concurrent.CountDownLatch(1);
  private final Stall stalled = () -> {
    try {
      stalledLatch.await(120, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  };

  private interface Stall {
    void await();
  }

  FakeGeminiServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
      List<String> texts = new java.util.ArrayList<>();
      for (JsonNode c : body.path("contents"))
        if (c.path("role").asText().equals("user"))
          for (JsonNode p : c.path("parts")) if (p.has("text")) texts.add(p.get("text").asText());
      String path = ex.getRequestURI().getPath();
      requests.add(new Seen(path, String.valueOf(ex.getRequestHeaders().getFirst("x-goog-api-key")), List.copyOf(texts)));
      if (path.endsWith(":streamGenerateContent")) {
        String chunk = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":" + JSON.writeValueAsString(answer)
            + "}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":12,"
            + "\"candidatesTokenCount\":6,\"totalTokenCount\":18},\"modelVersion\":\"gemini-2.5-pro\"}";
        byte[] sse = ("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("content-type", "text/event-stream");
        if (hangFirstStream && hung.compareAndSet(false, true)) { // the model stalls mid-answer
          ex.sendResponseHeaders(200, 0);
          ex.getResponseBody().write(sse);
          ex.getResponseBody().flush();
          stalled.await();
          return;
        }
        ex.sendResponseHeaders(200, sse.length);
        ex.getResponseBody().write(sse);
      } else { // the router asks which model fits
        String decision = "{\"complexity_reasoning\":\"a greeting\",\"complexity_score\":1}";
        byte[] b = ("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":" + JSON.writeValueAsString(decision)
            + "}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1,"
            + "\"candidatesTokenCount\":1,\"totalTokenCount\":2}}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("content-type", "application/json");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
      }
    }
  }

  @Override
  public void close() {
    stalledLatch.countDown();
    server.stop(0);
  }
}
