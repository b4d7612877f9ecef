package dev.griot.agent.harness.claude;

import dev.griot.agent.harness.Turn;
import dev.griot.agent.harness.TurnItem;
import dev.griot.agent.harness.Usage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The turn being read: its items in order, the usage of each model message (counted once per
 * message id, the last report winning, since Claude Code repeats a message's usage on every line
 * of that message), and which tool calls still wait for their result.
 */
final class TurnAssembler {

  private final List<TurnItem> items = new ArrayList<>();
  private final Map<String, Usage> usageByMessage = new LinkedHashMap<>();
  private final Set<String> pendingToolCalls = new HashSet<>();

  boolean hasMessage(String messageId) {
    return usageByMessage.containsKey(messageId);
  }

  void messageUsage(String messageId, Usage usage) {
    usageByMessage.put(messageId, usage);
  }

  void add(TurnItem item) {
    items.add(item);
    if (item instanceof TurnItem.ToolCall call) pendingToolCalls.add(call.toolCallId());
    if (item instanceof TurnItem.ToolResult result) pendingToolCalls.remove(result.toolCallId());
  }

  /** Whether every tool call of the turn has its result, so the model may be called again. */
  boolean allToolCallsAnswered() {
    return pendingToolCalls.isEmpty();
  }

  /** Whether the final usage of every model message of the turn is in {@code finalUsage}: they all ended. */
  boolean allMessagesEnded(Set<String> ended) {
    return !usageByMessage.isEmpty() && ended.containsAll(usageByMessage.keySet());
  }

  Turn build(int number) {
    Usage usage = Usage.ZERO;
    for (Usage u : usageByMessage.values()) usage = usage.plus(u);
    return new Turn(number, items, usage);
  }
}
