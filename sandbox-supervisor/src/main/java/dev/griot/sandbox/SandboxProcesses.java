package dev.griot.sandbox;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

/** Every process of one started sandbox, and the means to end them. */
interface SandboxProcesses {

  /**
   * SIGTERM to the sandbox's processes now, SIGKILL after {@code grace} to every one still
   * alive. Blocks only briefly; run it off actor threads.
   */
  void terminate(Duration grace, Executor executor);

  /**
   * The main process has ended: kill what it left behind and release what the sandbox held (its
   * cgroups). Called once, before the exit is reported.
   */
  void killLeftovers();

  /**
   * Stops every process of the sandbox where it is (SIGSTOP, or the container runtime's pause),
   * so its files can be read while nothing writes them; false when it could not.
   */
  default boolean pause() {
    return false;
  }

  /** Lets the processes stopped by {@link #pause()} go on. */
  default void resume() {}

  /** What the resource limits did, once {@link #killLeftovers()} ran; empty without limits. */
  default Optional<LimitEvents> limitEvents() {
    return Optional.empty();
  }
}
