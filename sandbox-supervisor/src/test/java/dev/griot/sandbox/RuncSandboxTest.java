package dev.griot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container sandbox for real: runc, a busybox rootfs, the host's cgroups, real processes. */
class RuncSandboxTest {

  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();
  @TempDir static Path shared;
  private static Path rootfs;
  private static Path stateRoot;
  private static RuncSettings settings;
  private static RuncSandbox sandbox;

  @TempDir Path workspace;
  @TempDir Path elsewhere;

  @BeforeAll
  static void setUp() throws Exception {
    rootfs = BusyboxRootfs.create(shared.resolve("rootfs"));
    // a state folder of its own, so that "no container left" is about this test's containers only
    stateRoot = Files.createDirectories(shared.resolve("runc-state"));
    RuncSettings defaults = RuncSettings.fromConfig(ConfigFactory.parseString(
        "griot.sandbox.container.rootfs = \"" + rootfs + "\"").withFallback(ConfigFactory.load()));
    settings = new RuncSettings(defaults.runtime(), rootfs, Optional.of(stateRoot), defaults.path(), defaults.lang(),
        defaults.defaultLimits(), defaults.cgroupParent());
    sandbox = new RuncSandbox(settings, EXECUTOR);
  }

  @AfterAll
  static void shutdown() {
    EXECUTOR.shutdownNow();
  }

  @AfterEach
  void noContainerAndNoBundleLeft() throws Exception {
    assertEquals(List.of(), containers(), "runc list");
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      // bundles of this JVM's sandboxes are gone (other processes may create their own meanwhile)
      List<Path> bundles = s.filter(p -> p.getFileName().toString().startsWith("griot-bundle-"))
          .filter(p -> Files.exists(p.resolve("config.json")))
          .filter(p -> readQuietly(p.resolve("config.json")).contains(rootfs.toString()))
          .toList();
      assertEquals(List.of(), bundles);
    }
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }

  /** The ids {@code runc list} shows in this test's state folder. */
  private static List<String> containers() throws Exception {
    List<String> ids = new ArrayList<>();
    for (String line : runc("list", "-q").output().lines().toList()) if (!line.isBlank()) ids.add(line.trim());
    return ids;
  }

  private static RuncSandbox.Result runc(String... args) {
    return sandbox.exec(args);
  }

  private static int awaitExit(SandboxHandle handle) throws Exception {
    return handle.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private SandboxSpec sh(String script) {
    return new SandboxSpec(List.of("sh", "-c", script), workspace, Map.of());
  }

  private RecordingListener run(SandboxSpec spec) throws Exception {
    RecordingListener listener = new RecordingListener();
    awaitExit(sandbox.start(spec, listener));
    assertEquals(1, listener.exits.get());
    return listener;
  }

  /** The container id: the last argument of the {@code runc run} process. */
  private static String containerId(SandboxHandle h) {
    String[] args = ProcessHandle.of(h.pid()).orElseThrow().info().arguments().orElseThrow();
    return args[args.length - 1];
  }

  @Test
  void deliversStdoutStderrAndExitCode() throws Exception {
    RecordingListener l = run(sh("echo a; echo b >&2; exit 3"));
    assertEquals(List.of("a"), l.stdout());
    assertEquals(List.of("b"), l.stderr());
    assertEquals(3, l.exitCode);
  }

  @Test
  void everyStdoutLineArrivesBeforeTheExit() throws Exception {
    RecordingListener l = run(sh("i=0; while [ $i -lt 5000 ]; do echo line-$i; i=$((i+1)); done"));
    assertEquals(0, l.exitCode, l.stderr().toString());
    assertEquals(5000, l.stdout().size());
    assertEquals("line-4999", l.stdout().get(4999));
  }

  @Test
  void writesOnlyInsideItsWorkspace() throws Exception {
    List<String> before = tree(rootfs);
    RecordingListener l = run(sh(String.join("\n",
        "try() { if \"$@\" 2>/dev/null; then echo \"wrote: $*\"; else echo \"refused: $*\"; fi; }",
        "try touch /x",
        "try touch /bin/x",
        "try touch /etc/x",
        "try touch /griot/x",
        "try touch /proc/sys/x",
        "try touch in-workspace",
        "try touch \"$HOME/in-home\"",
        "echo \"pwd=$(pwd) home=$HOME\"",
        "test -e " + elsewhere + " && echo host-visible || echo host-invisible")));

    assertEquals(0, l.exitCode, l.stderr().toString());
    assertEquals(List.of(
        "refused: touch /x",
        "refused: touch /bin/x",
        "refused: touch /etc/x",
        "refused: touch /griot/x",
        "refused: touch /proc/sys/x",
        "wrote: touch in-workspace",
        "wrote: touch /griot/workspace/.home/in-home",
        "pwd=/griot/workspace home=/griot/workspace/.home",
        "host-invisible"), l.stdout());
    assertTrue(Files.exists(workspace.resolve("in-workspace")));
    assertTrue(Files.exists(workspace.resolve(".home/in-home")));
    // an argument naming the host workspace (or a path in it) is rewritten to the workspace inside
    RecordingListener byHostPath = run(new SandboxSpec(List.of("touch", workspace + "/by-host-path"), workspace, Map.of()));
    assertEquals(0, byHostPath.exitCode, byHostPath.stderr().toString());
    assertTrue(Files.exists(workspace.resolve("by-host-path")));
    assertEquals(before, tree(rootfs), "the source rootfs is untouched");
  }

  private static List<String> tree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(Path::toString).sorted().toList();
    }
  }

  @Test
  void seesOnlyItsOwnEnvironmentAndNoCapabilities() throws Exception {
    RecordingListener l = run(new SandboxSpec(List.of("sh", "-c", "env | sort; grep CapEff /proc/self/status"),
        workspace, Map.of("GRIOT_RUN_ID", "run-1")));
    List<String> names = l.stdout().stream().filter(s -> s.contains("=")).map(s -> s.split("=", 2)[0]).toList();
    // PWD and SHLVL are the shell's own
    assertEquals(List.of("GRIOT_RUN_ID", "HOME", "LANG", "PATH", "PWD", "SHLVL"), names);
    assertTrue(l.stdout().contains("CapEff:\t0000000000000000"), l.stdout().toString());
  }

  @Test
  void cannotConnectToAPortOnTheHostUnlessGivenTheNetwork() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String probe = "if echo hi | nc -w 2 127.0.0.1 " + server.getLocalPort() + "; then echo connected; else echo refused; fi";
      RecordingListener isolated = run(sh(probe + "; ip -o link | cut -d: -f2"));
      assertEquals(List.of("refused", " lo"), isolated.stdout(), isolated.stderr().toString());

      // the same probe with the host's network reaches the server: the refusal above is the container's doing
      CompletableFuture<String> accepted = CompletableFuture.supplyAsync(() -> {
        try (Socket s = server.accept()) {
          return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      }, EXECUTOR);
      RecordingListener sharedNet = run(sh(probe).withNetwork(true));
      assertEquals(List.of("connected"), sharedNet.stdout(), sharedNet.stderr().toString());
      assertEquals("hi", accepted.get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void isKilledAtItsMemoryLimit() throws Exception {
    SandboxSpec spec = sh("head -c 200m /dev/zero | tail").withLimits(new SandboxLimits(64L << 20, 0, 0));
    RecordingListener l = new RecordingListener();
    SandboxHandle h = sandbox.start(spec, l);

    assertEquals(137, awaitExit(h), "tail was SIGKILLed: " + l.stderr());
    LimitEvents events = h.limitEvents().orElseThrow();
    assertTrue(events.oomKilled() || events.memoryFailures() > 0, events.toString());
  }

  @Test
  void cannotForkPastItsPidLimit() throws Exception {
    SandboxSpec spec = sh("i=0; while [ $i -lt 64 ]; do sleep 30 & i=$((i+1)); echo $i; done")
        .withLimits(new SandboxLimits(0, 16, 0));
    RecordingListener l = new RecordingListener();
    SandboxHandle h = sandbox.start(spec, l);

    int exit = awaitExit(h);
    assertNotEquals(0, exit);
    assertTrue(l.stdout().size() < 16, "started " + l.stdout().size() + " sleeps");
    assertTrue(String.join("\n", l.stderr()).contains("fork"), l.stderr().toString());
    assertTrue(h.limitEvents().orElseThrow().forksRefused() > 0, h.limitEvents().toString());
  }

  @Test
  void cancelDuringALongSleepLeavesNoProcessAndNoContainer() throws Exception {
    RecordingListener l = new RecordingListener();
    // sleep becomes the container's pid 1, which ignores a SIGTERM it has no handler for: KILL follows the grace
    SandboxHandle h = sandbox.start(sh("sleep 300 & echo started; exec sleep 300"), l);
    assertEquals("started", l.firstLine.get(30, TimeUnit.SECONDS));
    String id = containerId(h);
    List<ProcessHandle> inside = containerProcesses(id);
    assertEquals(2, inside.size(), "two sleeps: " + inside);

    long t0 = System.nanoTime();
    h.kill(Duration.ofMillis(300));

    assertEquals(137, awaitExit(h));
    assertTrue(System.nanoTime() - t0 >= 300_000_000L, "KILL came after the grace");
    for (ProcessHandle p : inside) p.onExit().get(30, TimeUnit.SECONDS);
    assertFalse(ProcessHandle.of(h.pid()).map(ProcessHandle::isAlive).orElse(false));
    assertFalse(containers().contains(id));
    assertFalse(runc("state", id).ok(), "runc state " + id + " fails");
  }

  @Test
  void aHarnessThatHandlesTermEndsWithinTheGrace() throws Exception {
    RecordingListener l = new RecordingListener();
    SandboxHandle h = sandbox.start(sh("trap 'echo bye; exit 143' TERM; echo started; sleep 300 & wait"), l);
    assertEquals("started", l.firstLine.get(30, TimeUnit.SECONDS));
    String id = containerId(h);

    h.kill(Duration.ofSeconds(30));

    assertEquals(143, h.exit().toCompletableFuture().get(20, TimeUnit.SECONDS));
    assertEquals(List.of("started", "bye"), l.stdout());
    assertFalse(runc("state", id).ok());
  }

  @Test
  void killRightAfterStartLeavesNoContainer() throws Exception {
    for (int i = 0; i < 5; i++) {
      SandboxHandle h = sandbox.start(sh("sleep 300"), new RecordingListener());
      h.kill(Duration.ofMillis(100));
      int exit = awaitExit(h);
      assertNotEquals(0, exit);
    }
  }

  @Test
  void refusesAProgramTheContainerDoesNotHaveOrAnEgressRequest() {
    SandboxException missing = assertThrows(SandboxException.class,
        () -> sandbox.start(new SandboxSpec(List.of("no-such-program-griot"), workspace, Map.of()), new RecordingListener()));
    assertTrue(missing.getMessage().startsWith("program not found in the container: no-such-program-griot"), missing.getMessage());
    assertThrows(SandboxException.class, () -> sandbox.start(sh("true").withEgress(true), new RecordingListener()));
    assertThrows(SandboxException.class,
        () -> sandbox.start(sh("true").withReadOnlyPaths(List.of(Path.of("/"))), new RecordingListener()));
  }

  @Test
  void readOnlyPathsOutsideTheImageAreReadableButNotWritable() throws Exception {
    Path tool = Files.createDirectories(elsewhere.resolve("tool"));
    Files.writeString(tool.resolve("data"), "tool data\n");
    RecordingListener l = run(sh("cat " + tool + "/data; touch " + tool + "/x 2>/dev/null || echo read-only")
        .withReadOnlyPaths(List.of(tool)));
    assertEquals(List.of("tool data", "read-only"), l.stdout(), l.stderr().toString());
  }

  @Test
  void aMissingRootfsOrRuntimeIsAPreciseError() throws Exception {
    Path missing = elsewhere.resolve("no-rootfs");
    RuncSettings noRootfs = new RuncSettings("runc", missing, Optional.of(stateRoot), settings.path(), settings.lang(),
        settings.defaultLimits(), "griot");
    SandboxException e = assertThrows(SandboxException.class, () -> new RuncSandbox(noRootfs, EXECUTOR));
    assertEquals("container rootfs " + missing + " does not exist or is not a folder (griot.sandbox.container.rootfs)",
        e.getMessage());

    // the rootfs vanishes after the node started
    Path vanishing = BusyboxRootfs.create(elsewhere.resolve("vanishing"));
    RuncSandbox s = new RuncSandbox(new RuncSettings("runc", vanishing, Optional.of(stateRoot), settings.path(),
        settings.lang(), settings.defaultLimits(), "griot"), EXECUTOR);
    try (Stream<Path> walk = Files.walk(vanishing)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
    SandboxException atStart = assertThrows(SandboxException.class, () -> s.start(sh("true"), new RecordingListener()));
    assertEquals("container rootfs " + vanishing + " does not exist or is not a folder (griot.sandbox.container.rootfs)",
        atStart.getMessage());

    RuncSettings noRuntime = new RuncSettings("no-such-runc-griot", rootfs, Optional.empty(), settings.path(),
        settings.lang(), settings.defaultLimits(), "griot");
    SandboxException runtime = assertThrows(SandboxException.class, () -> new RuncSandbox(noRuntime, EXECUTOR));
    assertTrue(runtime.getMessage().startsWith("OCI runtime ('no-such-runc-griot') not found on "), runtime.getMessage());
  }

  @Test
  void startToExitOfTrue() throws Exception {
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long t0 = System.nanoTime();
      assertEquals(0, awaitExit(sandbox.start(new SandboxSpec(List.of("true"), workspace, Map.of()), new RecordingListener())));
      micros.add((System.nanoTime() - t0) / 1000);
    }
    micros.sort(null);
    System.out.println("container kind: start-to-exit of true, median of 20: " + micros.get(10) / 1000.0 + " ms");
  }

  /** The host pids of the container's processes ({@code runc ps}). */
  private static List<ProcessHandle> containerProcesses(String id) {
    RuncSandbox.Result ps = runc("ps", "--format", "json", id);
    assertTrue(ps.ok(), ps.output());
    String json = ps.output().replaceAll("[\\[\\]\\s]", "");
    List<ProcessHandle> out = new ArrayList<>();
    if (!json.isEmpty()) for (String pid : json.split(",")) ProcessHandle.of(Long.parseLong(pid)).ifPresent(out::add);
    return out;
  }
}
