package dev.griot.agent.harness;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.griot.persistence.CborSerializable;

/**
 * The normalized event model every harness parser produces, whatever the harness's own line
 * protocol. The worker forwards these to the run; {@link TurnCompleted} is the checkpoint.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
  @JsonSubTypes.Type(value = HarnessEvent.SessionStarted.class, name = "session-started"),
  @JsonSubTypes.Type(value = HarnessEvent.AssistantMessage.class, name = "assistant-message"),
  @JsonSubTypes.Type(value = HarnessEvent.ToolCall.class, name = "tool-call"),
  @JsonSubTypes.Type(value = HarnessEvent.ToolResult.class, name = "tool-result"),
  @JsonSubTypes.Type(value = HarnessEvent.TurnCompleted.class, name = "turn-completed"),
  @JsonSubTypes.Type(value = HarnessEvent.InputRequested.class, name = "input-requested"),
  @JsonSubTypes.Type(value = HarnessEvent.Result.class, name = "result"),
  @JsonSubTypes.Type(value = HarnessEvent.Retrying.class, name = "retrying"),
  @JsonSubTypes.Type(value = HarnessEvent.Error.class, name = "error")
})
public sealed interface HarnessEvent extends CborSerializable {

  /** The harness opened (or resumed) its session; the id is what a later attempt resumes. */
  record SessionStarted(String sessionId, String model) implements HarnessEvent {}

  /** Text the model wrote; live, the same text arrives again inside its turn. */
  record AssistantMessage(String messageId, String text) implements HarnessEvent {}

  /** The model asked for a tool; {@code inputJson} is the tool input as a JSON document. */
  record ToolCall(String toolCallId, String name, String inputJson) implements HarnessEvent {}

  /** A tool answered the call {@code toolCallId}. */
  record ToolResult(String toolCallId, String content, boolean isError) implements HarnessEvent {}

  /** A turn boundary: the whole turn, to be journaled before it is acknowledged. */
  record TurnCompleted(Turn turn) implements HarnessEvent {}

  /** The harness waits for a human's answer to {@code question}. */
  record InputRequested(String question) implements HarnessEvent {}

  /**
   * The harness's own final report.
   *
   * @param success whether the harness reports success
   * @param subtype the harness's word for the outcome ({@code success}, {@code error_max_turns},
   *     ...)
   * @param text the final answer, or the errors when there is none
   * @param usage the tokens of the attempt as the harness counts them
   * @param costUsd the cost of the attempt as the harness counts it
   * @param numTurns the number of turns as the harness counts them
   */
  record Result(
      boolean success, String subtype, String text, Usage usage, double costUsd, int numTurns)
      implements HarnessEvent {}

  /** The harness is retrying a failed model request by itself. */
  record Retrying(int attempt, int maxRetries, long retryDelayMs, int errorStatus, String error)
      implements HarnessEvent {}

  /** The attempt failed, or is failing, for the reason {@code kind}. */
  record Error(FailureKind kind, String message) implements HarnessEvent {}
}
