package dev.griot.agent.worker;

import static org.junit.jupiter.api.Assertions.*;

import dev.griot.agent.checkpoint.CheckpointRef;
import dev.griot.agent.checkpoint.CheckpointSettings;
import dev.griot.agent.checkpoint.Checkpointer;
import dev.griot.agent.checkpoint.WorkspaceScanner;
import dev.griot.agent.harness.HarnessAdapter;
import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.HarnessParser;
import dev.griot.agent.harness.ResumeContext;
import dev.griot.agent.harness.Turn;
import dev.griot.agent.harness.TurnItem;
import dev.griot.agent.harness.Usage;
import dev.griot.agent.run.RetryPolicy;
import dev.griot.agent.run.RunCommand.LeaseGranted;
import dev.griot.agent.run.RunSpec;
import dev.griot.agent.run.RunTimeouts;
import dev.griot.persistence.testkit.InMemoryBlobStore;
import dev.griot.sandbox.SandboxSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ResumptionTest {

  @TempDir Path dir;
  private final InMemoryBlobStore store = new InMemoryBlobStore();
  private final CheckpointSettings settings = new CheckpointSettings(64 * 1024, List.of(), 1 << 20, true);
  private final Checkpointer checkpointer = new Checkpointer(store, settings);
  private final List<Turn> journal = List.of(turn(1), turn(2));
  private final Checkpoints checkpoints =
      new Checkpoints(checkpointer, settings, (runId, upTo) -> CompletableFuture.completedFuture(journal.subList(0, upTo)));
  private final Adapter adapter = new Adapter(true);

  private static Turn turn(int n) {
    return new Turn(n, List.of(new TurnItem.Message("m" + n, "did step " + n)), Usage.ZERO);
  }

  /** Records the invocations it builds commands for. */
  private static final class Adapter implements HarnessAdapter {
    final boolean recovers;
    final List<HarnessInvocation> built = new ArrayList<>();

    Adapter(boolean recovers) {
      this.recovers = recovers;
    }

    public String name() {
      return recovers ? "model" : "shell";
    }

    public List<String> validate(Map<String, String> options) {
      return List.of();
    }

    public SandboxSpec command(HarnessInvocation inv) {
      built.add(inv);
      return new SandboxSpec(List.of("harness", inv.prompt()), inv.workspace(), Map.of());
    }

    public HarnessParser newParser(int startTurnNumber) {
      throw new UnsupportedOperationException();
    }

    public boolean takesRecoveryPrompt() {
      return recovers;
    }
  }

  private LeaseGranted lease(int completedTurns, Optional<CheckpointRef> checkpoint) {
    RunSpec spec = new RunSpec("model", "Fix the build", Map.of(), "default",
        new RunTimeouts(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO),
        new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(60), 0.0), "");
    return new LeaseGranted("run-1", 2, spec, Optional.of("session-1"), completedTurns, checkpoint);
  }

  private Resumption.Prepared prepare(LeaseGranted lease, Adapter adapter, Optional<Checkpoints> checkpoints, boolean onHost) {
    Path ws = dir.resolve("ws");
    HarnessInvocation inv = new HarnessInvocation(lease.runId(), lease.attempt(), lease.spec().prompt(), ws, Map.of(),
        Optional.of(new ResumeContext("session-1", lease.completedTurns())));
    SandboxSpec original = new SandboxSpec(List.of("harness", "--resume", "session-1"), ws, Map.of());
    return Resumption.prepare(lease, ws, checkpoints, onHost, adapter, inv, original, LoggerFactory.getLogger(getClass()));
  }

  private CheckpointRef checkpointOf(Path workspace, int turn) throws Exception {
    return checkpointer.upload(WorkspaceScanner.scan(workspace, Optional.empty(), settings), turn)
        .toCompletableFuture().get(10, TimeUnit.SECONDS).ref();
  }

  @Test
  void theCheckpointOfTheLastTurnIsRestoredAndTheHarnessResumesItsOwnSession() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    Files.writeString(source.resolve("session.jsonl"), "turn 1\nturn 2\n");
    CheckpointRef ref = checkpointOf(source, 2);

    Resumption.Prepared p = prepare(lease(2, Optional.of(ref)), adapter, Optional.of(checkpoints), true);

    assertEquals(List.of("harness", "--resume", "session-1"), p.spec().command());
    assertTrue(p.restored().isPresent());
    assertEquals("turn 1\nturn 2\n", Files.readString(dir.resolve("ws/session.jsonl")));
    assertTrue(adapter.built.isEmpty());
  }

  @Test
  void withoutACheckpointOfTheLastTurnAModelHarnessStartsANewSessionToldTheJournaledTurns() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source"));
    CheckpointRef behind = checkpointOf(source, 1);

    for (Optional<CheckpointRef> checkpoint : List.of(Optional.<CheckpointRef>empty(), Optional.of(behind),
        Optional.of(new CheckpointRef("0".repeat(64), 2, 1, 1)))) { // none; behind the journal; missing from the store
      adapter.built.clear();
      Resumption.Prepared p = prepare(lease(2, checkpoint), adapter, Optional.of(checkpoints), true);

      assertTrue(p.restored().isEmpty(), checkpoint.toString());
      HarnessInvocation recovery = adapter.built.get(0);
      assertTrue(recovery.isRecovery());
      assertTrue(recovery.nativeResume().isEmpty(), "a new session");
      assertEquals(2, recovery.completedTurns());
      assertTrue(recovery.prompt().contains("Fix the build") && recovery.prompt().contains("did step 2"), recovery.prompt());
      assertEquals(recovery.prompt(), p.spec().command().get(1));
    }
  }

  @Test
  void aShellCommandAnUnreadableJournalAndASandboxElsewhereStartAsTheLeaseSays() {
    Adapter shell = new Adapter(false);
    assertEquals("--resume", prepare(lease(2, Optional.empty()), shell, Optional.of(checkpoints), true).spec().command().get(1));
    assertTrue(shell.built.isEmpty());

    Checkpoints unreadable = new Checkpoints(checkpointer, settings,
        (runId, upTo) -> CompletableFuture.failedFuture(new IllegalStateException("journal down")));
    assertEquals("--resume", prepare(lease(2, Optional.empty()), adapter, Optional.of(unreadable), true).spec().command().get(1));
    Checkpoints short1 = new Checkpoints(checkpointer, settings, (runId, upTo) -> CompletableFuture.completedFuture(List.of(turn(1))));
    assertEquals("--resume", prepare(lease(2, Optional.empty()), adapter, Optional.of(short1), true).spec().command().get(1));
    assertEquals("--resume", prepare(lease(2, Optional.empty()), adapter, Optional.of(checkpoints), false).spec().command().get(1));
    assertEquals("--resume", prepare(lease(2, Optional.empty()), adapter, Optional.empty(), true).spec().command().get(1));
    assertTrue(adapter.built.isEmpty());
  }
}
