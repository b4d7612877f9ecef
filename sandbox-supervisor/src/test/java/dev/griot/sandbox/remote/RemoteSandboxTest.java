package dev.griot.sandbox.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.griot.runner.v1.AttachRequest;
import dev.griot.runner.v1.DescribeRequest;
import dev.griot.runner.v1.RunnerServiceClient;
import dev.griot.runner.v1.StartRequest;
import dev.griot.sandbox.RecordingListener;
import dev.griot.sandbox.SandboxException;
import dev.griot.sandbox.SandboxHandle;
import dev.griot.sandbox.SandboxSpec;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real runner (bubblewrap sandboxes) and real gRPC clients on loopback. */
class RemoteSandboxTest {

  private static final String TOKEN = "s3cret-token";

  @TempDir static Path home;
  private static GriotRunner runner;
  private static ActorTestKit node;
  private static RemoteSettings settings;
  private static RunnerServiceClient direct;

  @BeforeAll
  static void start() {
    runner = GriotRunner.start(runnerConfig(home, ""));
    node = ActorTestKit.create("node");
    settings = RemoteSettings.fromConfig(ConfigFactory.parseString(
            "griot.sandbox.remote { host = \"127.0.0.1\", port = " + runner.address().getPort() + ", token = \"" + TOKEN + "\"\n"
                + " reattach { min-backoff = 50ms, max-backoff = 200ms, timeout = 30s } }")
        .withFallback(ConfigFactory.load()).resolve());
    direct = RunnerServiceClient.create(
        GrpcClientSettings.connectToServiceAt("127.0.0.1", runner.address().getPort(), node.system()).withTls(false),
        node.system());
  }

  static Config runnerConfig(Path home, String more) {
    return ConfigFactory.parseString("griot.runner { port = 0, token = \"" + TOKEN + "\", home = \"" + home + "\" }\n" + more);
  }

  @AfterAll
  static void stop() {
    direct.close();
    node.shutdownTestKit();
    runner.close();
  }

  private static SandboxSpec shell(String workspace, String script) {
    return new SandboxSpec(List.of("sh", "-c", script), Path.of("/on/the/node", workspace), Map.of());
  }

  private static Path runnerWorkspace(String name) {
    return home.resolve("workspaces").resolve(name);
  }

  private static void await(String what, BooleanSupplier condition) {
    node.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(20), () -> {
      if (!condition.getAsBoolean()) throw new AssertionError("timed out waiting until " + what);
      return null;
    });
  }

  private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Status.Code codeOf(ThrowingCall call) {
    ExecutionException e = assertThrows(ExecutionException.class, call::run);
    return Status.fromThrowable(e.getCause()).getCode();
  }

  interface ThrowingCall {
    void run() throws Exception;
  }

  private static String bearer() {
    return "Bearer " + TOKEN;
  }

  @Test
  void runsASandboxOnTheRunnerAndDeliversItsOutputThenReleasesIt() throws Exception {
    var remote = new RemoteSandbox(settings, node.system());
    var lines = new RecordingListener();
    var handle = (RemoteSandboxHandle) remote.start(shell("ws-plain", "echo out; echo err >&2; echo HOME=$HOME; exit 3"), lines);
    assertEquals(3, get(handle.exit()));
    // the runner's process sandbox shows the workspace it keeps at runnerWorkspace("ws-plain") at /griot/workspace
    assertEquals(List.of("out", "HOME=/griot/workspace/.home"), lines.stdout());
    assertTrue(java.nio.file.Files.isDirectory(runnerWorkspace("ws-plain").resolve(".home")));
    assertEquals(List.of("err"), lines.stderr());
    assertEquals(1, lines.exits.get());
    assertFalse(handle.onThisHost());
    await("the node released the sandbox", () -> !known(handle.id()));
    assertFalse(Files.exists(home.resolve("spool").resolve(handle.id() + ".spool")), "released: its spool is deleted");
  }

  @Test
  void aCutConnectionIsReattachedFromItsOffsetAndTheHarnessGoesOnUntouched() throws Exception {
    try (var proxy = new TcpProxy(runner.address())) {
      var remote = new RemoteSandbox(settings.withPort(proxy.port()), node.system());
      var lines = new RecordingListener();
      String script = "echo start $$; for i in 0 1 2 3 4; do echo a$i; done;"
          + " while [ ! -e go1 ]; do sleep 0.02; done;"
          + " i=0; while [ $i -lt 300 ]; do echo b$i; i=$((i+1)); done;"
          + " while [ ! -e go2 ]; do sleep 0.02; done; echo end $$";
      var handle = (RemoteSandboxHandle) remote.start(shell("ws-cut", script), lines);
      long pid = handle.pid();
      Instant started = ProcessHandle.of(pid).orElseThrow().info().startInstant().orElseThrow();
      await("the first lines arrived", () -> lines.stdout().size() == 6);

      proxy.cut();
      Files.createFile(runnerWorkspace("ws-cut").resolve("go1"));
      await("the harness wrote its next 300 lines to the runner's spool",
          () -> records(handle.id()) >= 306);
      assertEquals(6, lines.stdout().size(), "nothing reaches the node while it is cut off");
      assertTrue(ProcessHandle.of(pid).isPresent(), "the harness runs on");

      proxy.resume();
      Files.createFile(runnerWorkspace("ws-cut").resolve("go2"));
      assertEquals(0, get(handle.exit()));

      List<String> expected = new ArrayList<>();
      IntStream.range(0, 5).forEach(i -> expected.add("a" + i));
      IntStream.range(0, 300).forEach(i -> expected.add("b" + i));
      List<String> got = lines.stdout();
      assertEquals(expected, got.subList(1, got.size() - 1), "every line exactly once, in order");
      assertEquals(got.get(0).replace("start", "end"), got.get(got.size() - 1), "the same shell from start to end");
      assertTrue(handle.attachments() >= 2, "attached again after the cut: " + handle.attachments());
      assertTrue(proxy.connections() >= 2);
      assertEquals(1, lines.exits.get());
      // the process the runner started is the one that ended: never restarted, same pid
      assertEquals(started, ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).orElse(started));
    }
  }

  private static boolean known(String id) {
    try {
      records(id);
      return true;
    } catch (AssertionError e) {
      if (Status.fromThrowable(e.getCause()).getCode() == Status.Code.NOT_FOUND) return false;
      throw e;
    }
  }

  private static long records(String id) {
    try {
      return get(direct.describe().addHeader("authorization", bearer())
          .invoke(DescribeRequest.newBuilder().setSandboxId(id).build())).getRecords();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aWrongTokenIsRefusedForGoodAndStartsNothing() {
    var remote = new RemoteSandbox(settings.withToken("guess"), node.system());
    int before = runner.sandboxes();
    SandboxException e = assertThrows(SandboxException.class, () -> remote.start(shell("ws-token", "echo no"), new RecordingListener()));
    assertTrue(e.permanent(), "a wrong token never gets better by retrying");
    assertTrue(e.getMessage().contains("refused this node's token (UNAUTHENTICATED)"), e.getMessage());
    assertEquals(before, runner.sandboxes());
    assertEquals(Status.Code.UNAUTHENTICATED, codeOf(() -> get(direct.describe()
        .invoke(DescribeRequest.newBuilder().setSandboxId("x").build()))), "no token at all");
  }

  @Test
  void killEndsTheWholeTreeOnTheRunner() throws Exception {
    var remote = new RemoteSandbox(settings, node.system());
    var lines = new RecordingListener();
    SandboxHandle handle = remote.start(shell("ws-kill", "sleep 300 & echo child $!; sleep 300"), lines);
    await("the child started", () -> lines.stdout().size() == 1);
    long pid = handle.pid();
    List<ProcessHandle> tree = ProcessHandle.of(pid).orElseThrow().descendants().toList();
    assertFalse(tree.isEmpty());
    handle.kill(Duration.ofMillis(200));
    int code = get(handle.exit());
    assertTrue(code == 143 || code == 137, "ended by a signal: " + code);
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    await("every process of the sandbox is gone", () -> tree.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void theApiAnswersBadCallsWithPreciseStatuses() throws Exception {
    StartRequest echo = StartRequest.newBuilder().setSandboxId("api-1").addCommand("echo").addCommand("hi")
        .setWorkspace("ws-api").build();
    var first = get(direct.start().addHeader("authorization", bearer()).invoke(echo));
    assertTrue(first.getCreated());
    var again = get(direct.start().addHeader("authorization", bearer()).invoke(echo));
    assertFalse(again.getCreated(), "the same id and spec: the same sandbox");
    assertEquals(first.getPid(), again.getPid());
    List<dev.griot.runner.v1.OutputRecord> all = get(direct.attach().addHeader("authorization", bearer())
        .invoke(AttachRequest.newBuilder().setSandboxId("api-1").build()).runWith(Sink.seq(), node.system()));
    assertEquals("hi", all.get(0).getStdoutLine());
    assertEquals(0, all.get(all.size() - 1).getExitCode());

    assertEquals(Status.Code.ALREADY_EXISTS, codeOf(() -> get(direct.start().addHeader("authorization", bearer())
        .invoke(echo.toBuilder().setCommand(1, "bye").build()))));
    assertEquals(Status.Code.OUT_OF_RANGE, codeOf(() -> get(direct.attach().addHeader("authorization", bearer())
        .invoke(AttachRequest.newBuilder().setSandboxId("api-1").setFromOffset(99).build()).runWith(Sink.seq(), node.system()))));
    assertEquals(Status.Code.NOT_FOUND, codeOf(() -> get(direct.attach().addHeader("authorization", bearer())
        .invoke(AttachRequest.newBuilder().setSandboxId("nobody").build()).runWith(Sink.seq(), node.system()))));
    assertEquals(Status.Code.INVALID_ARGUMENT, codeOf(() -> get(direct.start().addHeader("authorization", bearer())
        .invoke(echo.toBuilder().setSandboxId("api-2").setWorkspace("../etc").build()))));
    assertEquals(Status.Code.INVALID_ARGUMENT, codeOf(() -> get(direct.start().addHeader("authorization", bearer())
        .invoke(echo.toBuilder().setSandboxId("api/3").build()))));
    assertEquals(Status.Code.FAILED_PRECONDITION, codeOf(() -> get(direct.start().addHeader("authorization", bearer())
        .invoke(echo.toBuilder().setSandboxId("api-4").setCommand(0, "no-such-program-here").build()))));
    get(direct.release().addHeader("authorization", bearer())
        .invoke(dev.griot.runner.v1.ReleaseRequest.newBuilder().setSandboxId("api-1").build()));
    assertFalse(Files.exists(home.resolve("spool").resolve("api-1.spool")), "released: its spool is deleted");
  }

  @Test
  void aRunnerServesTlsToNodesThatTrustItsCertificate(@TempDir Path dir) throws Exception {
    Path p12 = dir.resolve("runner.p12");
    Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "runner", "-keyalg", "EC", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(),
        "-storepass", "changeit").redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
    assertEquals(0, keytool.waitFor(), () -> read(dir.resolve("keytool.log")));
    var store = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(p12)) {
      store.load(in, "changeit".toCharArray());
    }
    var mime = java.util.Base64.getMimeEncoder(64, "\n".getBytes());
    Path cert = dir.resolve("runner.crt");
    Path key = dir.resolve("runner.key");
    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n"
        + mime.encodeToString(store.getCertificate("runner").getEncoded()) + "\n-----END CERTIFICATE-----\n");
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
        + mime.encodeToString(store.getKey("runner", "changeit".toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n");

    try (var tls = GriotRunner.start(runnerConfig(dir.resolve("home"),
        "griot.runner.tls { certificate = \"" + cert + "\", private-key = \"" + key + "\" }"))) {
      RemoteSettings trusting = RemoteSettings.fromConfig(ConfigFactory.parseString(
          "griot.sandbox.remote { host = \"127.0.0.1\", port = " + tls.address().getPort() + ", token = \"" + TOKEN + "\"\n"
              + " tls = on, trusted-certificate = \"" + cert + "\" }").withFallback(ConfigFactory.load()).resolve());
      var remote = new RemoteSandbox(trusting, node.system());
      var lines = new RecordingListener();
      assertEquals(0, get(remote.start(shell("ws-tls", "echo over tls"), lines).exit()));
      assertEquals(List.of("over tls"), lines.stdout());
      remote.close();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @Test
  void aRunnerWithoutATokenDoesNotStart() {
    SandboxException e = assertThrows(SandboxException.class, () -> GriotRunner.start(ConfigFactory.parseString(
        "griot.runner { port = 0, token-env = \"GRIOT_TEST_UNSET_TOKEN\" }")));
    assertTrue(e.getMessage().contains("needs a token"), e.getMessage());
  }
}
