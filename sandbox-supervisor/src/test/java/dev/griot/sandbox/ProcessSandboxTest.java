package dev.griot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessSandboxTest {

  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();
  private static final ProcessSandbox SANDBOX = new ProcessSandbox(EXECUTOR);

  @TempDir Path workspace;

  @AfterAll
  static void shutdown() {
    EXECUTOR.shutdownNow();
  }

  private static int awaitExit(SandboxHandle handle) throws Exception {
    return handle.exit().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private SandboxSpec sh(String script) {
    return new SandboxSpec(List.of("sh", "-c", script), workspace, Map.of());
  }

  @Test
  void deliversStdoutStderrAndExitCode() throws Exception {
    RecordingListener listener = new RecordingListener();
    SandboxHandle handle = SANDBOX.start(sh("echo a; echo b >&2; exit 3"), listener);

    assertEquals(3, awaitExit(handle));
    assertEquals(List.of("a"), listener.stdout());
    assertEquals(List.of("b"), listener.stderr());
    assertEquals(3, listener.exitCode);
    assertEquals(1, listener.exits.get());
  }

  @Test
  void deliversManyLinesInOrderBeforeTheExit() throws Exception {
    RecordingListener listener = new RecordingListener();
    SandboxHandle handle = SANDBOX.start(sh("i=1; while [ $i -le 5000 ]; do echo $i; i=$((i+1)); done"), listener);

    assertEquals(0, awaitExit(handle));
    List<String> lines = listener.stdout();
    assertEquals(5000, lines.size());
    for (int i = 0; i < lines.size(); i++) assertEquals(String.valueOf(i + 1), lines.get(i));
  }

  @Test
  void childSeesOnlyItsOwnEnvironment() throws Exception {
    RecordingListener listener = new RecordingListener();
    SandboxSpec spec = new SandboxSpec(List.of("env"), workspace, Map.of("GRIOT_RUN_ID", "run-1"));
    SandboxHandle handle = SANDBOX.start(spec, listener);

    assertEquals(0, awaitExit(handle));
    Map<String, String> env =
        listener.stdout().stream()
            .map(l -> l.split("=", 2))
            .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    assertEquals(Set.of("PATH", "HOME", "LANG", "GRIOT_RUN_ID"), env.keySet());
    assertEquals("run-1", env.get("GRIOT_RUN_ID"));
    assertEquals(workspace.resolve(".home").toString(), env.get("HOME"));
    assertEquals(ProcessSandboxSettings.load().path(), env.get("PATH"));
    // Whatever the node itself has (JAVA_HOME, MAVEN_*, API keys...) stays out.
    for (String parentKey : System.getenv().keySet()) {
      if (!Set.of("PATH", "HOME", "LANG").contains(parentKey))
        assertFalse(env.containsKey(parentKey), parentKey + " leaked into the sandbox");
    }
    assertNotEquals(System.getenv("HOME"), env.get("HOME"));
    assertTrue(Files.isDirectory(workspace.resolve(".home")));
  }

  @Test
  void workspaceIsTheWorkingDirectory() throws Exception {
    RecordingListener listener = new RecordingListener();
    SandboxHandle handle = SANDBOX.start(sh("pwd; touch made-here"), listener);

    assertEquals(0, awaitExit(handle));
    assertEquals(List.of(workspace.toRealPath().toString()), listener.stdout());
    assertTrue(Files.exists(workspace.resolve("made-here")));
  }

  @Test
  void stdinIsEmpty() throws Exception {
    RecordingListener listener = new RecordingListener();
    SandboxHandle handle = SANDBOX.start(sh("wc -c"), listener);

    assertEquals(0, awaitExit(handle));
    assertEquals(List.of("0"), listener.stdout().stream().map(String::trim).toList());
  }

  @Test
  void childLeadsItsOwnProcessGroup() throws Exception {
    RecordingListener listener = new RecordingListener();
    SandboxHandle handle = SANDBOX.start(sh("echo $$; cut -d' ' -f5,6 /proc/$$/stat"), listener);

    assertEquals(0, awaitExit(handle));
    String pid = String.valueOf(handle.pid());
    assertTrue(SANDBOX.usesSessions());
    assertEquals(List.of(pid, pid + " " + pid), listener.stdout(), "pid, then process group and session");
  }

  @Test
  void killStopsTheWholeTree() throws Exception {
    RecordingListener listener = new RecordingListener();
    SandboxHandle handle =
        SANDBOX.start(sh("sleep 1000 & sleep 1000 & echo started; wait"), listener);
    assertEquals("started", listener.firstLine.get(30, TimeUnit.SECONDS));
    List<ProcessHandle> descendants =
        ProcessHandle.of(handle.pid()).orElseThrow().descendants().toList();
    assertEquals(2, descendants.size(), "two sleeps: " + descendants);

    handle.kill(Duration.ofSeconds(5));

    assertEquals(143, awaitExit(handle));
    for (ProcessHandle d : descendants) {
      d.onExit().get(30, TimeUnit.SECONDS);
      assertFalse(d.isAlive());
    }
  }

  @Test
  void killEscalatesToSigkillWhenTermIsIgnored() throws Exception {
    RecordingListener listener = new RecordingListener();
    SandboxHandle handle =
        SANDBOX.start(sh("trap '' TERM; sleep 1000 & sleep 1000 & echo started; wait"), listener);
    assertEquals("started", listener.firstLine.get(30, TimeUnit.SECONDS));
    List<ProcessHandle> descendants =
        ProcessHandle.of(handle.pid()).orElseThrow().descendants().toList();
    assertEquals(2, descendants.size());

    handle.kill(Duration.ofMillis(300));

    assertEquals(137, awaitExit(handle));
    for (ProcessHandle d : descendants) {
      d.onExit().get(30, TimeUnit.SECONDS);
      assertFalse(d.isAlive());
    }
  }

  @Test
  void backgroundChildIsNotLeftBehindWhenTheMainProcessEnds() throws Exception {
    RecordingListener listener = new RecordingListener();
    SandboxHandle handle = SANDBOX.start(sh("sleep 1000 & echo $!"), listener);

    assertEquals(0, awaitExit(handle));
    long orphan = Long.parseLong(listener.stdout().get(0));
    var left = ProcessHandle.of(orphan);
    if (left.isPresent()) left.get().onExit().get(30, TimeUnit.SECONDS);
    assertTrue(ProcessHandle.of(orphan).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void unknownProgramIsRefusedAtStart() {
    SandboxSpec spec = new SandboxSpec(List.of("no-such-program-griot"), workspace, Map.of());
    assertThrows(SandboxException.class, () -> SANDBOX.start(spec, new RecordingListener()));
  }
}
