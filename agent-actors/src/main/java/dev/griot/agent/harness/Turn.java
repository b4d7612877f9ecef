package dev.griot.agent.harness;

import dev.griot.persistence.CborSerializable;
import java.util.List;
import java.util.Objects;

/**
 * One completed turn: a model response and the tool results that answer its tool calls. The unit
 * of checkpointing: a turn is journaled whole, or not at all.
 *
 * @param number counts from 1 within the whole run, across attempts
 * @param items messages, tool calls and tool results, in order
 * @param usage the tokens of the turn's model messages
 */
public record Turn(int number, List<TurnItem> items, Usage usage) implements CborSerializable {

  public Turn {
    if (number < 1) throw new IllegalArgumentException("turn numbers start at 1: " + number);
    items = List.copyOf(items);
    Objects.requireNonNull(usage, "usage");
  }
}
