package dev.griot.agent.worker;

import dev.griot.agent.checkpoint.CheckpointSettings;
import dev.griot.agent.checkpoint.Checkpointer;

/**
 * What a worker checkpoints workspaces with: the blob store's {@link Checkpointer} and the
 * settings of {@code griot.checkpoint}; and the journal's turns, for the recovery prompt of a run
 * whose checkpoint cannot be restored. A node without it (checkpoints disabled) takes none, and a
 * run then resumes only where its workspace is.
 */
public record Checkpoints(Checkpointer checkpointer, CheckpointSettings settings, TurnHistory history) {}
