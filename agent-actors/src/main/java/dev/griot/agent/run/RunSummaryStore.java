package dev.griot.agent.run;

import java.util.concurrent.CompletionStage;

/**
 * The read side of runs (what {@code ListRuns} queries). The run entity writes its newest view
 * after every event; writes carry the sequence number so the newest always wins, and repeating
 * one is harmless.
 */
public interface RunSummaryStore {

  CompletionStage<Void> upsert(RunView view);

  /** For unit tests of one entity: the read side is not looked at. */
  RunSummaryStore NONE = view -> java.util.concurrent.CompletableFuture.completedFuture(null);
}
