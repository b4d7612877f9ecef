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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process sandbox for real: bwrap, the host's cgroups, real processes. */
class BubblewrapSandboxTest {

  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();
  private static final BubblewrapSettings SETTINGS = BubblewrapSettings.fromConfig(ConfigFactory.load());
  private static final BubblewrapSandbox SANDBOX = new BubblewrapSandbox(SETTINGS, EXECUTOR);

  @TempDir Path workspace;
  @TempDir Path elsewhere;

  @AfterAll
  static void shutdown() {
    EXECUTOR.shutdownNow();
  }

  private static int awaitExit(SandboxHandle handle) throws Exception {
    return handle.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private SandboxSpec sh(String script) {
    return new SandboxSpec(List.of("sh", "-c", script), workspace, Map.of());
  }

  private RecordingListener run(SandboxSpec spec) throws Exception {
    RecordingListener listener = new RecordingListener();
    awaitExit(SANDBOX.start(spec, listener));
    return listener;
  }

  @Test
  void deliversStdoutStderrAndExitCode() throws Exception {
    RecordingListener l = run(sh("echo a; echo b >&2; exit 3"));
    assertEquals(List.of("a"), l.stdout());
    assertEquals(List.of("b"), l.stderr());
    assertEquals(3, l.exitCode);
  }

  @Test
  void writesOnlyInsideItsWorkspaceAndHome() throws Exception {
    Path outside = Files.createDirectories(elsewhere.resolve("other-run"));
    assertTrue(workspace.startsWith("/tmp"), "the @TempDir is under /tmp: " + workspace);
    RecordingListener l = run(sh(String.join("\n",
        "try() { if \"$@\" 2>/dev/null; then echo \"wrote: $*\"; else echo \"refused: $*\"; fi; }",
        "try touch /usr/x",
        "try touch /tmp/../etc/x",
        "try touch /x",
        "try touch " + outside + "/y",
        "try touch " + System.getProperty("user.home") + "/x",
        "try touch " + workspace.getParent() + "/beside",
        "try touch in-workspace",
        "try touch \"$HOME/in-home\"",
        "echo \"home=$HOME\"")));

    assertEquals(0, l.exitCode, l.stderr().toString());
    assertEquals(List.of(
        "refused: touch /usr/x",
        "refused: touch /tmp/../etc/x",
        "refused: touch /x",
        "refused: touch " + outside + "/y",
        "refused: touch " + System.getProperty("user.home") + "/x",
        // the sandbox's /tmp is a tmpfs of its own: this lands there, not beside the host's workspace
        "wrote: touch " + workspace.getParent() + "/beside",
        "wrote: touch in-workspace",
        "wrote: touch /griot/workspace/.home/in-home",
        "home=/griot/workspace/.home"), l.stdout());
    assertTrue(Files.exists(workspace.resolve("in-workspace")));
    assertTrue(Files.exists(workspace.resolve(".home/in-home")));
    assertFalse(Files.exists(outside.resolve("y")));
    assertFalse(Files.exists(workspace.getParent().resolve("beside")));
    assertFalse(Files.exists(Path.of("/usr/x")));
  }

  @Test
  void cannotConnectToAPortOnTheHostUnlessGivenTheNetwork() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String probe = "if echo hi > /dev/tcp/127.0.0.1/" + server.getLocalPort() + "; then echo connected; else echo refused; fi";
      RecordingListener isolated = run(new SandboxSpec(List.of("bash", "-c", probe), workspace, Map.of()));
      assertEquals(List.of("refused"), isolated.stdout());

      // the same probe with the host's network reaches the server: the refusal above is the sandbox's doing
      CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
        try (Socket s = server.accept()) {
          s.getInputStream().readAllBytes();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      }, EXECUTOR);
      RecordingListener shared = run(new SandboxSpec(List.of("bash", "-c", probe), workspace, Map.of()).withNetwork(true));
      assertEquals(List.of("connected"), shared.stdout());
      accepted.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void isKilledAtItsMemoryLimit() throws Exception {
    SandboxSpec spec = sh("head -c 200m /dev/zero | tail").withLimits(new SandboxLimits(64L << 20, 0, 0));
    RecordingListener l = new RecordingListener();
    SandboxHandle h = SANDBOX.start(spec, l);

    assertEquals(137, awaitExit(h), "tail was SIGKILLed: " + l.stderr());
    LimitEvents events = h.limitEvents().orElseThrow();
    // oom_control's oom_kill (v1) or memory.events' oom_kill (v2); some kernels leave failcnt at 0
    assertTrue(events.oomKilled(), events.toString());
  }

  @Test
  void cannotForkPastItsPidLimit() throws Exception {
    SandboxSpec spec = sh("i=0; while [ $i -lt 64 ]; do sleep 30 & i=$((i+1)); echo $i; done")
        .withLimits(new SandboxLimits(0, 16, 0));
    RecordingListener l = new RecordingListener();
    SandboxHandle h = SANDBOX.start(spec, l);

    int exit = awaitExit(h);
    assertNotEquals(0, exit);
    assertTrue(l.stdout().size() < 16, "started " + l.stdout().size() + " sleeps");
    assertTrue(String.join("\n", l.stderr()).contains("fork"), l.stderr().toString());
    assertTrue(h.limitEvents().orElseThrow().forksRefused() > 0);
  }

  @Test
  void findsNoApiKeyInItsEnvironmentOrFileSystem() throws Exception {
    Path fakeHome = Files.createDirectories(elsewhere.resolve("home"));
    Files.writeString(fakeHome.resolve(".anthropic-key"), "ANTHROPIC_API_KEY=sk-test" + "-secret\n");
    Files.createDirectories(fakeHome.resolve(".griot"));
    Files.writeString(fakeHome.resolve(".griot/credentials"), "sk-test" + "-secret\n");

    // the needle is split so that no command line in the sandbox holds it whole
    // a control: the one copy the sandbox may see is the one in its own workspace
    Files.writeString(workspace.resolve("control"), "sk-test" + "-secret\n");
    RecordingListener grep = run(sh("n=sk-test; grep -rlsI -D skip --exclude-dir=proc --exclude-dir=usr \"$n-secret\" /; "
        + "test -e " + fakeHome + " && echo visible || echo invisible; "
        + "test -e " + System.getProperty("user.home") + " && echo host-home || echo no-host-home"));
    assertEquals(List.of("/griot/workspace/control", "invisible", "no-host-home"), grep.stdout(), grep.stderr().toString());

    RecordingListener env = run(new SandboxSpec(List.of("env"), workspace, Map.of("GRIOT_RUN_ID", "run-1")));
    Map<String, String> vars = env.stdout().stream()
        .map(line -> line.split("=", 2))
        .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    // PWD is bwrap's own, from --chdir
    assertEquals(Set.of("PATH", "HOME", "LANG", "PWD", "GRIOT_RUN_ID"), vars.keySet());
    assertEquals("/griot/workspace", vars.get("PWD"), "the workspace is at the same place on every node");
    assertEquals("/griot/workspace/.home", vars.get("HOME"));
  }

  @Test
  void killDuringALongCommandLeavesNoProcessAndNoCgroup() throws Exception {
    RecordingListener l = new RecordingListener();
    SandboxHandle h = SANDBOX.start(sh("sleep 1000 & sleep 1000 & echo started; wait"), l);
    assertEquals("started", l.firstLine.get(30, TimeUnit.SECONDS));
    List<Path> cgroups = cgroupsOf(h.pid());
    assertFalse(cgroups.isEmpty(), "the sandbox is in cgroups of its own");
    List<ProcessHandle> inside = processesIn(cgroups);
    List<ProcessHandle> tree = ProcessHandle.of(h.pid()).orElseThrow().descendants().toList();
    assertTrue(inside.size() >= 5, "sh, bwrap, its init, the shell, two sleeps: " + inside);
    assertTrue(inside.stream().map(ProcessHandle::pid).collect(Collectors.toSet())
        .containsAll(tree.stream().map(ProcessHandle::pid).toList()), "every descendant is in the cgroup");

    h.kill(Duration.ofSeconds(5));

    assertEquals(143, awaitExit(h));
    for (ProcessHandle p : inside) p.onExit().get(30, TimeUnit.SECONDS);
    assertTrue(inside.stream().noneMatch(ProcessHandle::isAlive));
    for (Path c : cgroups) assertFalse(Files.exists(c), c + " is removed");
  }

  @Test
  void pauseStopsEveryProcessOfTheSandboxAndTheLastResumeLetsThemGoOn() throws Exception {
    RecordingListener l = new RecordingListener();
    SandboxHandle h = SANDBOX.start(sh("sleep 1000 & sleep 1000 & echo started; wait"), l);
    assertEquals("started", l.firstLine.get(30, TimeUnit.SECONDS));
    List<Path> cgroups = cgroupsOf(h.pid());
    List<ProcessHandle> inside = processesIn(cgroups);
    Optional<Path> freezer = freezerOf(cgroups);

    assertTrue(h.pause());
    // With a freezer the whole cgroup is frozen (no process is sent a signal); without, each is stopped.
    freezer.ifPresent(f -> assertTrue(frozen(f), "the sandbox's cgroup is frozen: " + f));
    if (freezer.isEmpty()) for (ProcessHandle p : inside) assertEquals('T', state(p), "stopped: " + p.info());
    assertTrue(h.pause(), "pauses nest");
    h.resume();
    freezer.ifPresent(f -> assertTrue(frozen(f), "still frozen until the last resume"));
    if (freezer.isEmpty()) for (ProcessHandle p : inside) assertEquals('T', state(p), "still stopped until the last resume: " + p.info());
    h.resume();
    freezer.ifPresent(f -> assertFalse(frozen(f), "thawed"));
    for (ProcessHandle p : inside) assertNotEquals('T', state(p), "going on: " + p.info());

    h.kill(Duration.ofSeconds(5));
    assertEquals(143, awaitExit(h));
    assertFalse(h.pause(), "nothing to pause once it ended");
  }

  @Test
  void killEndsAPausedSandbox() throws Exception {
    RecordingListener l = new RecordingListener();
    SandboxHandle h = SANDBOX.start(sh("sleep 1000 & echo started; wait"), l);
    assertEquals("started", l.firstLine.get(30, TimeUnit.SECONDS));
    assertTrue(h.pause());

    h.kill(Duration.ofSeconds(5)); // a frozen or stopped process would not see SIGTERM

    assertEquals(143, awaitExit(h));
    h.resume(); // the pause's owner resumes late: harmless
  }

  @Test
  void theOrphanReaperEndsASandboxItsDeadNodeLeftPaused() throws Exception {
    RecordingListener l = new RecordingListener();
    SandboxHandle h = SANDBOX.start(sh("sleep 1000 & echo started; wait"), l);
    assertEquals("started", l.firstLine.get(30, TimeUnit.SECONDS));
    OrphanReaper reaper = new OrphanReaper(Files.createTempDirectory("reaper"), ProcessSandboxSettings.load());
    reaper.started(h.pid());
    assertTrue(h.pause()); // the node dies here: nobody resumes it

    assertEquals(List.of(h.pid()), reaper.reapAll()); // its next incarnation

    awaitExit(h); // a frozen process would not die, not even of SIGKILL
  }

  /** The process's state letter in /proc (R, S, T for stopped, ...). */
  private static char state(ProcessHandle p) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
    return stat.charAt(stat.lastIndexOf(')') + 2);
  }

  /** The freezer control of the sandbox's cgroups, where the kernel offers one. */
  private static Optional<Path> freezerOf(List<Path> cgroups) {
    for (Path c : cgroups) {
      if (Files.exists(c.resolve("freezer.state"))) return Optional.of(c.resolve("freezer.state"));
      if (Files.exists(c.resolve("cgroup.freeze"))) return Optional.of(c.resolve("cgroup.events"));
    }
    return Optional.empty();
  }

  private static boolean frozen(Path control) {
    try {
      String text = Files.readString(control);
      return control.getFileName().toString().equals("freezer.state")
          ? text.trim().equals("FROZEN")
          : text.lines().anyMatch(line -> line.equals("frozen 1"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void killEscalatesToSigkillWhenTermIsIgnored() throws Exception {
    RecordingListener l = new RecordingListener();
    SandboxHandle h = SANDBOX.start(sh("trap '' TERM; sleep 1000 & sleep 1000 & echo started; wait"), l);
    assertEquals("started", l.firstLine.get(30, TimeUnit.SECONDS));
    List<Path> cgroups = cgroupsOf(h.pid());
    List<ProcessHandle> inside = processesIn(cgroups);

    h.kill(Duration.ofMillis(300));

    assertEquals(137, awaitExit(h));
    for (ProcessHandle p : inside) p.onExit().get(30, TimeUnit.SECONDS);
    for (Path c : cgroups) assertFalse(Files.exists(c), c + " is removed");
  }

  @Test
  void backgroundChildIsNotLeftBehindWhenTheMainProcessEnds() throws Exception {
    RecordingListener l = new RecordingListener();
    // the main process ends once the test has seen its cgroups (it creates "go")
    SandboxHandle h = SANDBOX.start(sh("sleep 1000 & echo started; while [ ! -e go ]; do sleep 0.05; done"), l);
    assertEquals("started", l.firstLine.get(30, TimeUnit.SECONDS));
    List<Path> cgroups = cgroupsOf(h.pid());
    List<ProcessHandle> inside = processesIn(cgroups);
    assertTrue(inside.stream().anyMatch(p -> p.info().commandLine().orElse("").contains("sleep 1000")), inside.toString());
    Files.createFile(workspace.resolve("go"));

    assertEquals(0, awaitExit(h));
    for (ProcessHandle p : inside) p.onExit().get(30, TimeUnit.SECONDS);
    for (Path c : cgroups) assertFalse(Files.exists(c), c + " is removed");
  }

  @Test
  void limitsFromTheSettingsApplyWhenTheSpecNamesNone() throws Exception {
    RecordingListener l = new RecordingListener();
    SandboxHandle h = SANDBOX.start(sh("echo started; while [ ! -e go ]; do sleep 0.05; done"), l);
    assertEquals("started", l.firstLine.get(30, TimeUnit.SECONDS));
    List<Path> cgroups = cgroupsOf(h.pid());
    List<String> values = new ArrayList<>();
    for (Path c : cgroups) {
      for (String f : List.of("memory.limit_in_bytes", "pids.max", "cpu.cfs_quota_us", "memory.max", "cpu.max"))
        if (Files.exists(c.resolve(f))) values.add(f + "=" + Files.readString(c.resolve(f)).trim());
    }
    h.kill(Duration.ZERO);
    awaitExit(h);
    SandboxLimits d = SETTINGS.defaultLimits();
    if (values.stream().anyMatch(v -> v.startsWith("memory.limit_in_bytes"))) {
      assertTrue(values.contains("memory.limit_in_bytes=" + d.memoryBytes()), values.toString());
      assertTrue(values.contains("pids.max=" + d.pids()), values.toString());
      assertTrue(values.contains("cpu.cfs_quota_us=" + CgroupLimits.quotaMicros(d.cpuMillis())), values.toString());
    } else {
      assertTrue(values.contains("memory.max=" + d.memoryBytes()), values.toString());
    }
  }

  @Test
  void refusesAProgramItCannotSeeAndReadOnlyPathsThatExposeTheWorkspaceSurroundings() {
    assertThrows(SandboxException.class,
        () -> SANDBOX.start(new SandboxSpec(List.of("no-such-program-griot"), workspace, Map.of()), new RecordingListener()));
    assertThrows(SandboxException.class,
        () -> SANDBOX.start(sh("true").withReadOnlyPaths(List.of(Path.of("/"))), new RecordingListener()));
    assertThrows(SandboxException.class,
        () -> SANDBOX.start(sh("true").withReadOnlyPaths(List.of(workspace.getParent())), new RecordingListener()));
  }

  @Test
  void readOnlyPathsAreReadableButNotWritable() throws Exception {
    Path tool = Files.createDirectories(elsewhere.resolve("tool"));
    Files.writeString(tool.resolve("data"), "tool data\n");
    RecordingListener l = run(sh("cat " + tool + "/data; touch " + tool + "/x 2>/dev/null || echo read-only")
        .withReadOnlyPaths(List.of(tool)));
    assertEquals(List.of("tool data", "read-only"), l.stdout());
  }

  @Test
  void missingBubblewrapIsAClearErrorAtConstruction() {
    BubblewrapSettings noBwrap = new BubblewrapSettings("no-such-bwrap-griot", SETTINGS.systemPaths(), SETTINGS.etcPaths(),
        SETTINGS.path(), SETTINGS.lang(), SETTINGS.defaultLimits(), true, "griot");
    SandboxException e = assertThrows(SandboxException.class, () -> new BubblewrapSandbox(noBwrap, EXECUTOR));
    assertTrue(e.getMessage().contains("install bubblewrap or set griot.sandbox.kind = host"), e.getMessage());
  }

  /** The folders of the sandbox's own cgroups (memory and pids on v1, the one on v2). */
  static List<Path> cgroupsOf(long pid) throws IOException {
    List<String> mountinfo = Files.readAllLines(Path.of("/proc/self/mountinfo"));
    List<String> cgroup = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"));
    Set<Path> dirs = new java.util.LinkedHashSet<>(CgroupLimits.v1Dirs(mountinfo, cgroup).values());
    if (dirs.isEmpty()) CgroupLimits.v2Dir(mountinfo, cgroup).ifPresent(dirs::add);
    return dirs.stream().filter(d -> d.getParent().getFileName().toString().equals("griot")).toList();
  }

  static List<ProcessHandle> processesIn(List<Path> cgroups) throws IOException {
    Set<Long> pids = new java.util.LinkedHashSet<>();
    for (Path c : cgroups)
      for (String line : Files.readAllLines(c.resolve("cgroup.procs"))) if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
    return pids.stream().flatMap(p -> ProcessHandle.of(p).stream()).toList();
  }
}
