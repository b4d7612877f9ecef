package dev.griot.agent.checkpoint;

import java.io.IOException;

/**
 * A workspace could not be checkpointed or restored for a reason of the checkpoint itself: the
 * workspace is too big, a blob is missing from the store or does not hash to its key, a manifest
 * cannot be read.
 */
public final class CheckpointException extends IOException {

  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
