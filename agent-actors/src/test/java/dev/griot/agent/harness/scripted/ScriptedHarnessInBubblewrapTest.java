package dev.griot.agent.harness.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.griot.agent.harness.HarnessEvent.Error;
import dev.griot.agent.harness.HarnessEvent.Result;
import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.HarnessTestRun;
import dev.griot.agent.harness.Turn;
import dev.griot.sandbox.BubblewrapSandbox;
import dev.griot.sandbox.BubblewrapSettings;
import dev.griot.sandbox.SandboxSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripted harness (a child JVM on the node's classpath) inside the {@code process} sandbox:
 * bubblewrap, read-only root, the JVM and the classpath bound read-only, the node's default
 * limits.
 */
class ScriptedHarnessInBubblewrapTest {

  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();
  private static final BubblewrapSandbox SANDBOX =
      new BubblewrapSandbox(BubblewrapSettings.fromConfig(ConfigFactory.load()), EXECUTOR);
  private static final ScriptedAdapter ADAPTER = new ScriptedAdapter();

  @TempDir Path workspace;

  @AfterAll
  static void shutdown() {
    EXECUTOR.shutdownNow();
  }

  @Test
  void fiveTurnsRunToASuccessfulResult() throws Exception {
    HarnessInvocation inv =
        new HarnessInvocation("run-bwrap", 1, "say hello", workspace, Map.of("turns", "5"), Optional.empty());

    HarnessTestRun run = HarnessTestRun.run(SANDBOX, ADAPTER, inv);

    assertEquals(0, run.exitCode(), run.stderr().toString());
    assertEquals(0, run.malformedLines());
    assertEquals(IntStream.rangeClosed(1, 5).boxed().toList(), run.turns().stream().map(Turn::number).toList());
    Result result = run.events(Result.class).get(0);
    assertTrue(result.success());
    assertEquals(5, result.numTurns());
    assertTrue(run.events(Error.class).isEmpty());
    assertTrue(Files.isDirectory(workspace.resolve(".home/.claude/projects")), "it wrote its session in its home");
  }

  @Test
  void theSpecDeclaresTheJvmAndEveryClasspathEntry() {
    SandboxSpec spec = ADAPTER.command(
        new HarnessInvocation("run-bwrap", 1, "say hello", workspace, Map.of("turns", "1"), Optional.empty()));
    List<Path> ro = spec.readOnlyPaths();
    assertTrue(ro.contains(Path.of(System.getProperty("java.home"))), ro.toString());
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
      assertTrue(ro.contains(Path.of(entry).toAbsolutePath().normalize()), entry);
    assertTrue(ro.stream().noneMatch(p -> workspace.startsWith(p)), "nothing that holds the workspace: " + ro);
    assertTrue(!spec.network());
  }
}
