package dev.griot.agent.harness;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.griot.persistence.CborSerializable;

/** What a completed {@link Turn} holds, in the order the harness produced it; journaled. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = TurnItem.Message.class, name = "message"),
  @JsonSubTypes.Type(value = TurnItem.ToolCall.class, name = "tool-call"),
  @JsonSubTypes.Type(value = TurnItem.ToolResult.class, name = "tool-result")
})
public sealed interface TurnItem extends CborSerializable {

  /** Text the model wrote. */
  record Message(String messageId, String text) implements TurnItem {}

  /** A tool the model asked for, with its input as a JSON document. */
  record ToolCall(String toolCallId, String name, String inputJson) implements TurnItem {}

  /** What the tool returned to the model. */
  record ToolResult(String toolCallId, String content, boolean isError) implements TurnItem {}
}
