package dev.griot.sandbox;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** A started sandbox: its process id, its exit, and the means to stop it with all it started. */
public interface SandboxHandle {

  /**
   * The operating-system id of the sandbox's main process: on this host when {@link #onThisHost()},
   * else on the host that runs it (a runner's), or -1 where there is no such id (a Pod).
   */
  long pid();

  /** Whether the sandbox's processes run on this host, so {@link #pid()} names a process here. */
  default boolean onThisHost() {
    return true;
  }

  /**
   * Completes with the exit code once the process ended and {@link SandboxListener#onExit} was
   * called, so every output line has been delivered by then.
   */
  CompletionStage<Integer> exit();

  /**
   * Stops the whole process tree without blocking the caller: SIGTERM to the main process, every
   * descendant and its process group now, then SIGKILL to whatever of them is still alive after
   * {@code grace}. Calling it again, or after the exit, is harmless.
   */
  void kill(Duration grace);

  /**
   * Stops every process of the sandbox where it is, so that a checkpoint reads its workspace
   * while nothing writes it; blocks briefly (call it off actor threads). False when this
   * sandbox cannot be paused (then nothing was stopped). Always follow a successful pause with
   * {@link #resume()}; pauses nest, and the processes go on when the last one is resumed.
   */
  default boolean pause() {
    return false;
  }

  /** Lets the processes stopped by {@link #pause()} go on; harmless when nothing is stopped. */
  default void resume() {}

  /**
   * Once {@link #exit()} completed: what the sandbox's resource limits did (memory failures, OOM
   * kills, refused forks). Empty while it runs, and for sandboxes that enforce no limits.
   */
  default Optional<LimitEvents> limitEvents() {
    return Optional.empty();
  }
}
