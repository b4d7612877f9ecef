package dev.griot.agent.worker;

import dev.griot.agent.checkpoint.CheckpointRef;
import dev.griot.agent.checkpoint.Manifest;
import dev.griot.agent.harness.HarnessAdapter;
import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.RecoveryPrompt;
import dev.griot.agent.harness.ResumeContext;
import dev.griot.agent.harness.Turn;
import dev.griot.agent.run.RunCommand.LeaseGranted;
import dev.griot.sandbox.SandboxSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * How an attempt of a run that already has journaled turns picks up, decided on the worker right
 * before the harness starts (blocking: run it off actor threads):
 *
 * <ol>
 *   <li>the run's checkpoint is of its last journaled turn: the workspace (and the harness's
 *       session files in it) is restored from it, and the harness resumes its own session;
 *   <li>else (no checkpoint, one behind the journal, or one that cannot be read), a harness that
 *       takes a {@link RecoveryPrompt} starts a new session told the journaled turns;
 *   <li>else (a shell command; the journal unreadable; checkpoints off; a sandbox on another
 *       host), the harness starts as the lease says, in the workspace as this node has it.
 * </ol>
 */
final class Resumption {

  /** How long reading the journaled turns for a recovery prompt may take. */
  static final long HISTORY_TIMEOUT_SECONDS = 30;

  /** What the harness starts with, and the restored checkpoint's manifest if one was restored. */
  record Prepared(SandboxSpec spec, Optional<Manifest> restored) {}

  private Resumption() {}

  static Prepared prepare(
      LeaseGranted lease, Path workspace, Optional<Checkpoints> checkpoints, boolean sandboxOnThisHost,
      HarnessAdapter harness, HarnessInvocation invocation, SandboxSpec spec, Logger log) {
    if (checkpoints.isEmpty() || !sandboxOnThisHost || lease.completedTurns() == 0) return new Prepared(spec, Optional.empty());
    String run = "run " + lease.runId() + " attempt " + lease.attempt();
    String why;
    Optional<CheckpointRef> ref = lease.checkpoint();
    if (ref.isEmpty()) {
      why = "the run has no checkpoint";
    } else if (ref.get().turn() != lease.completedTurns()) {
      why = "the latest checkpoint is of turn " + ref.get().turn() + ", the run has " + lease.completedTurns() + " turns";
    } else {
      try {
        Manifest m = checkpoints.get().checkpointer().restore(ref.get().manifest(), workspace);
        log.info("{}: workspace restored from the checkpoint of turn {} ({} files, {} bytes)",
            run, ref.get().turn(), ref.get().files(), ref.get().bytes());
        return new Prepared(spec, Optional.of(m));
      } catch (java.io.IOException | RuntimeException e) {
        why = "cannot restore the checkpoint of turn " + ref.get().turn() + ": " + e.getMessage();
      }
    }
    if (!harness.takesRecoveryPrompt()) {
      log.warn("{}: {}; {} starts again in the workspace as this node has it", run, why, harness.name());
      return new Prepared(spec, Optional.empty());
    }
    List<Turn> turns;
    try {
      turns = checkpoints.get().history().turns(lease.runId(), lease.completedTurns())
          .toCompletableFuture().get(HISTORY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("{}: {}, and its journaled turns cannot be read ({}): resumes in the workspace as this node has it",
          run, why, e);
      return new Prepared(spec, Optional.empty());
    }
    if (turns.size() != lease.completedTurns()) {
      log.warn("{}: {}, and the journal holds {} of its {} turns: resumes in the workspace as this node has it",
          run, why, turns.size(), lease.completedTurns());
      return new Prepared(spec, Optional.empty());
    }
    HarnessInvocation recovery = new HarnessInvocation(
        invocation.runId(), invocation.attempt(), RecoveryPrompt.build(lease.spec().prompt(), turns),
        invocation.workspace(), invocation.options(), Optional.of(ResumeContext.recovery(lease.completedTurns())));
    log.warn("{}: {}: starts a new session, told its {} journaled turns in a recovery prompt", run, why, turns.size());
    return new Prepared(harness.command(recovery), Optional.empty());
  }
}
