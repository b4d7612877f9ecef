package dev.griot.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the fake model APIs of the real-CLI tests share: an HTTP server on loopback, the model's
 * behaviour (first ask for a tool to run {@link #toolCommand}, then answer {@link #answer}), and the
 * stall of {@link #hangFirstToolAnswer}: the first answer to a tool result starts and then goes
 * silent until the server closes, so the CLI's attempt hangs mid-answer.
 */
abstract class FakeModelServer implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  final AtomicInteger ids = new AtomicInteger();
  volatile String answer;
  /** The command the model asks the CLI's shell tool to run first; null: answer at once. */
  volatile String toolCommand = "env";
  /** Start the first answer to a tool result, then keep its stream open without ending it. */
  volatile boolean hangFirstToolAnswer;
  private final AtomicBoolean hung = new AtomicBoolean();
  private final CountDownLatch closing = new CountDownLatch(1);

  FakeModelServer(String answer) throws IOException {
    this.answer = answer;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  abstract void handle(HttpExchange ex) throws IOException;

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Whether this answer (not a tool call, to a tool result) is the one to stall; if so, stalls
   * until the server closes. Only the first such answer does.
   */
  boolean stallsHere(boolean tool, boolean answersATool) {
    if (tool || !hangFirstToolAnswer || !answersATool || !hung.compareAndSet(false, true)) return false;
    try {
      closing.await(120, TimeUnit.SECONDS); // the model goes silent mid-answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }

  /** One server-sent event. */
  static void event(OutputStream os, String name, JsonNode data) throws IOException {
    os.write(("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
    os.flush();
  }

  static void send(HttpExchange ex, int status, String type, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", type);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
  }
}
