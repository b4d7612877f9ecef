package dev.griot.agent.harness.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.HarnessEvent.Error;
import dev.griot.agent.harness.HarnessEvent.Result;
import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.HarnessTestRun;
import dev.griot.agent.harness.ResumeContext;
import dev.griot.agent.harness.Turn;
import dev.griot.agent.harness.TurnItem;
import dev.griot.agent.harness.Usage;
import dev.griot.sandbox.ProcessSandbox;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code shell} harness, running real {@code sh -c} commands. */
class ShellHarnessTest {

  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();
  private static final ProcessSandbox SANDBOX = new ProcessSandbox(EXECUTOR);
  private static final ShellAdapter ADAPTER = new ShellAdapter();

  @TempDir Path workspace;

  @AfterAll
  static void shutdown() {
    EXECUTOR.shutdownNow();
  }

  private HarnessTestRun run(String command, Optional<ResumeContext> resume) throws Exception {
    HarnessInvocation inv =
        new HarnessInvocation("run-7", 1, "the prompt", workspace, Map.of("command", command), resume);
    return HarnessTestRun.run(SANDBOX, ADAPTER, inv);
  }

  @Test
  void everyLineIsAMessageAndTheRunIsOneTurn() throws Exception {
    HarnessTestRun run = run("echo one; echo \"$GRIOT_PROMPT\"; pwd", Optional.empty());

    String cwd = workspace.toRealPath().toString();
    assertEquals(
        List.of(
            new HarnessEvent.AssistantMessage("shell-1-1", "one"),
            new HarnessEvent.AssistantMessage("shell-1-2", "the prompt"),
            new HarnessEvent.AssistantMessage("shell-1-3", cwd),
            new HarnessEvent.TurnCompleted(
                new Turn(
                    1,
                    List.of(
                        new TurnItem.Message("shell-1-1", "one"),
                        new TurnItem.Message("shell-1-2", "the prompt"),
                        new TurnItem.Message("shell-1-3", cwd)),
                    Usage.ZERO)),
            new Result(true, "success", cwd, Usage.ZERO, 0, 1)),
        run.events());
  }

  @Test
  void turnNumberContinuesAfterEarlierAttempts() throws Exception {
    HarnessTestRun run = run("echo again", Optional.of(new ResumeContext("none", 4)));

    assertEquals(List.of(5), run.turns().stream().map(Turn::number).toList());
  }

  @Test
  void tempfailIsTransient() throws Exception {
    HarnessTestRun run = run("echo busy; exit 75", Optional.empty());

    assertEquals(1, run.turns().size());
    assertEquals(false, run.events(Result.class).get(0).success());
    assertEquals(
        List.of(new Error(FailureKind.TRANSIENT, "command exited with code 75")), run.events(Error.class));
  }

  @Test
  void otherFailureIsFatal() throws Exception {
    HarnessTestRun run = run("exit 2", Optional.empty());

    assertTrue(run.turns().get(0).items().isEmpty());
    assertEquals(
        List.of(new Error(FailureKind.FATAL, "command exited with code 2")), run.events(Error.class));
  }
}
