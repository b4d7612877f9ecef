package dev.griot.sandbox;

/**
 * The sandbox SPI: starts one harness process tree and reports its output lines and its exit.
 * Implementations: {@link BubblewrapSandbox} (process), {@link RuncSandbox} and {@code
 * KubernetesSandbox} (container), {@code RemoteSandbox} (a griot runner), {@link ProcessSandbox}
 * (host, unsafe).
 */
public interface Sandbox {

  /**
   * Starts {@code spec} and returns at once; output and the exit are reported to {@code
   * listener} from other threads.
   *
   * @throws SandboxException when the sandbox could not be prepared or the program not started
   */
  SandboxHandle start(SandboxSpec spec, SandboxListener listener);

  /**
   * Whether its sandboxes run on this host, on the workspace folder of the spec (so the node
   * can checkpoint and restore it); false for a runner's or a Pod's.
   */
  default boolean onThisHost() {
    return true;
  }
}
