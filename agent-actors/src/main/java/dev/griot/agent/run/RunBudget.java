package dev.griot.agent.run;

import dev.griot.agent.harness.Usage;
import dev.griot.persistence.CborSerializable;

/**
 * Limits on what one run may spend, across all its attempts; 0 means no limit. The run checks
 * them at every journaled turn and stops the harness at the turn that goes beyond one (a run that
 * finishes within its budget is never stopped): that turn is kept, and the run is dead-lettered
 * with a {@code budget} failure.
 *
 * @param maxTurns completed turns
 * @param maxTokens input plus output tokens
 */
public record RunBudget(int maxTurns, long maxTokens) implements CborSerializable {

  public static final RunBudget NONE = new RunBudget(0, 0);

  public RunBudget {
    if (maxTurns < 0 || maxTokens < 0) throw new IllegalArgumentException("budgets must not be negative");
  }

  /** Why a run with these turns and usage is over budget, or null if it is not. */
  String crossedBy(int turns, Usage usage) {
    if (maxTurns > 0 && turns > maxTurns) return "turn budget of " + maxTurns + " exceeded";
    long tokens = usage.inputTokens() + usage.outputTokens();
    if (maxTokens > 0 && tokens > maxTokens) return "token budget of " + maxTokens + " exceeded (" + tokens + " used)";
    return null;
  }
}
