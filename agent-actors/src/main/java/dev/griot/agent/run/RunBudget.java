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
 * @param maxCostUsd USD, the tokens used priced at the run's model's {@link ModelPrices}
 */
public record RunBudget(int maxTurns, long maxTokens, double maxCostUsd) implements CborSerializable {

  public static final RunBudget NONE = new RunBudget(0, 0, 0);

  public RunBudget {
    if (maxTurns < 0 || maxTokens < 0 || !(maxCostUsd >= 0) || Double.isInfinite(maxCostUsd))
      throw new IllegalArgumentException("budgets must not be negative");
  }

  /** Turn and token budgets only. */
  public RunBudget(int maxTurns, long maxTokens) {
    this(maxTurns, maxTokens, 0);
  }

  /**
   * Why a run of {@code spec} with these turns and usage is over budget, or null if it is not. A
   * cost budget whose model has no price (any more) counts as crossed: it cannot be held.
   */
  String crossedBy(int turns, Usage usage, RunSpec spec, ModelPrices prices) {
    if (maxTurns > 0 && turns > maxTurns) return "turn budget of " + maxTurns + " exceeded";
    long tokens = usage.inputTokens() + usage.outputTokens();
    if (maxTokens > 0 && tokens > maxTokens) return "token budget of " + maxTokens + " exceeded (" + tokens + " used)";
    if (maxCostUsd > 0) {
      var cost = prices.cost(spec, usage);
      if (cost.isEmpty()) return prices.unpriced(spec).orElse("cost budget cannot be held");
      if (cost.get() > maxCostUsd)
        return String.format(java.util.Locale.ROOT, "cost budget of $%s exceeded ($%.6f at %s prices)",
            java.math.BigDecimal.valueOf(maxCostUsd).stripTrailingZeros().toPlainString(), cost.get(),
            prices.modelOf(spec).orElse("?"));
    }
    return null;
  }
}
