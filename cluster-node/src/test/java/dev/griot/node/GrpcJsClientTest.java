package dev.griot.node;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RunService as a non-Java client sees it: Node.js with @grpc/grpc-js and
 * @grpc/proto-loader, reading the proto file itself, over plain HTTP/2. The npm packages are
 * installed into src/test/js on first use (npm ci), so this needs node and npm on the PATH.
 */
class GrpcJsClientTest {

  private static final Path JS = Path.of("src/test/js").toAbsolutePath();
  private static final Path PROTO = Path.of("src/main/protobuf").toAbsolutePath();
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isDirectory(JS.resolve("node_modules/@grpc/grpc-js")))
      assertEquals(0, run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300).exitCode, "npm ci in " + JS);
    node = TestNode.start("grpcjs", Map.of());
    try (var client = new GrpcTestClient(node.grpcPort)) {
      client.awaitReady();
    }
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void aNodeJsClientSubmitsWatchesToTheEndGetsPreciseErrorsAndFindsTheServiceByReflection() throws Exception {
    // The reflection service's proto ships in the pekko-grpc runtime jar.
    Path reflection = Files.createTempDirectory("reflection-proto");
    Path reflectionProto = reflection.resolve("grpc/reflection/v1alpha/reflection.proto");
    Files.createDirectories(reflectionProto.getParent());
    try (var in = getClass().getClassLoader().getResourceAsStream("grpc/reflection/v1alpha/reflection.proto")) {
      Files.copy(in, reflectionProto);
    }
    Result r = run(List.of("node", JS.resolve("run-service-client.mjs").toString(), String.valueOf(node.grpcPort),
        PROTO.toString(), reflection.toString()), 120);
    assertEquals(0, r.exitCode, r.output);
    String json = r.output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(() -> new AssertionError(r.output));
    JsonNode out = new ObjectMapper().readTree(json);
    assertTrue(out.get("runId").asText().startsWith("run-"));
    assertTrue(out.get("created").asBoolean());
    List<Integer> turns = new ArrayList<>();
    out.get("events").forEach(e -> {
      if (e.get("kind").asText().equals("turn_completed")) turns.add(e.get("turn").asInt());
    });
    assertEquals(List.of(1, 2, 3), turns);
    JsonNode last = out.get("events").get(out.get("events").size() - 1);
    assertEquals("RUN_STATE_COMPLETED", last.get("state").asText());
    assertEquals("completed", last.get("kind").asText());
    assertEquals("INVALID_ARGUMENT", out.get("badCode").asText());
    assertEquals("prompt must not be empty", out.get("badMessage").asText());
    List<String> services = new ArrayList<>();
    out.get("services").forEach(n -> services.add(n.asText()));
    assertTrue(services.contains("griot.v1.RunService"), "server reflection lists the RunService: " + services);
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command, int timeoutSeconds) throws Exception {
    Process p = new ProcessBuilder(command).directory(JS.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "timed out: " + command);
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
