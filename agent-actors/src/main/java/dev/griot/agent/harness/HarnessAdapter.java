package dev.griot.agent.harness;

import dev.griot.sandbox.SandboxSpec;
import java.util.List;
import java.util.Map;

/**
 * Knows one harness: which options it takes, the command line that starts an attempt, and the
 * parser of its output.
 */
public interface HarnessAdapter {

  /** The name a run spec uses to pick this harness ({@code scripted}, {@code shell}, ...). */
  String name();

  /**
   * Human-readable problems with {@code options}: unknown keys, missing required ones, bad
   * values. Empty when the options are fine.
   */
  List<String> validate(Map<String, String> options);

  /**
   * The sandbox spec that starts the attempt {@code inv}.
   *
   * @throws IllegalArgumentException when the options were not valid
   */
  SandboxSpec command(HarnessInvocation inv);

  /** A fresh parser for one attempt, numbering turns from {@code startTurnNumber + 1}. */
  HarnessParser newParser(int startTurnNumber);

  /**
   * Whether a new session of this harness can be told, in its prompt, what the run did so far (a
   * {@link RecoveryPrompt}) when its own session cannot be restored: true for model-driven
   * harnesses; false where the prompt is no conversation (a shell command), which then simply
   * runs again.
   */
  default boolean takesRecoveryPrompt() {
    return true;
  }
}
