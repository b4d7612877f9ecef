package dev.griot.agent.harness;

import dev.griot.persistence.CborSerializable;

/** Model tokens spent: by one message, one turn, one attempt or one run. */
public record Usage(
    long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens)
    implements CborSerializable {

  /** No tokens at all. */
  public static final Usage ZERO = new Usage(0, 0, 0, 0);

  /** The sum of this and {@code other}. */
  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cacheReadTokens + other.cacheReadTokens,
        cacheCreationTokens + other.cacheCreationTokens);
  }
}
