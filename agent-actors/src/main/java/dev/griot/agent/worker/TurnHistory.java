package dev.griot.agent.worker;

import dev.griot.agent.harness.Turn;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The journaled turns of a run, read back for a recovery prompt. */
@FunctionalInterface
public interface TurnHistory {

  /** Turns 1 to {@code upTo} of run {@code runId}, in order, as journaled. */
  CompletionStage<List<Turn>> turns(String runId, int upTo);
}
