package dev.griot.sandbox;

/**
 * Receives what a sandboxed process prints and how it ends.
 *
 * <p>Stdout lines arrive in order, one call after the other; so do stderr lines. The two streams
 * are read by different threads, so a stdout and a stderr call may run at the same time. {@link
 * #onExit} is called exactly once, after every stdout and stderr line has been delivered. A
 * listener that throws does not stop the delivery of further lines.
 */
public interface SandboxListener {

  /** One line of standard output, without its line terminator. */
  void onStdoutLine(String line);

  /** One line of standard error, without its line terminator. */
  void onStderrLine(String line);

  /**
   * The process ended with {@code exitCode}; {@code 128 + n} when it was ended by signal {@code
   * n} (143 for SIGTERM, 137 for SIGKILL).
   */
  void onExit(int exitCode);
}
