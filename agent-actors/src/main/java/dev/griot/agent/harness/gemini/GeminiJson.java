package dev.griot.agent.harness.gemini;

import dev.griot.agent.harness.HarnessJson;
import com.fasterxml.jackson.databind.JsonNode;
import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.Usage;
import dev.griot.agent.harness.HarnessErrorText;

/** What both Gemini CLI output formats share: errors, exit codes, token counts. */
final class GeminiJson {

  /** Exit codes of the Gemini CLI ({@code FatalError} subclasses and the shell wrapper's). */
  static final int EXIT_API_ERROR = 1;
  static final int EXIT_AUTH = 41;
  static final int EXIT_BAD_INPUT = 42;
  static final int EXIT_SANDBOX = 44;
  static final int EXIT_CONFIG = 52;
  static final int EXIT_TURN_LIMIT = 53;
  static final int EXIT_TOOL = 54;
  static final int EXIT_UNTRUSTED = 55;
  static final int EXIT_CANCELLED = 130;

  private GeminiJson() {}



  /**
   * The tokens of a stream-json {@code result}'s {@code stats}: {@code input_tokens} (the prompt,
   * cached part included) less {@code cached} as input, {@code cached} as cache reads, {@code
   * output_tokens} as output.
   */
  static Usage streamUsage(JsonNode stats) {
    long prompt = stats.path("input_tokens").asLong(0);
    long cached = stats.path("cached").asLong(0);
    return new Usage(Math.max(0, prompt - cached), stats.path("output_tokens").asLong(0), cached, 0);
  }

  /** The tokens of a {@code -o json} {@code stats}, summed over its models. */
  static Usage jsonUsage(JsonNode stats) {
    Usage total = Usage.ZERO;
    for (JsonNode model : stats.path("models")) {
      JsonNode t = model.path("tokens");
      long prompt = t.path("prompt").asLong(t.path("input").asLong(0));
      long cached = t.path("cached").asLong(0);
      total = total.plus(new Usage(Math.max(0, prompt - cached), t.path("candidates").asLong(0), cached, 0));
    }
    return total;
  }

  /**
   * The failure an error object ({@code {"type": ..., "message": ...}}) means: the CLI's fatal
   * error classes by name, otherwise the HTTP status its message names ({@link HarnessErrorText}).
   */
  static HarnessEvent.Error failure(JsonNode error) {
    String type = error.path("type").asText("");
    String message = error.path("message").asText("");
    if (message.isEmpty()) message = "gemini reported " + (type.isEmpty() ? "an error" : type);
    FailureKind kind = switch (type) {
      case "FatalTurnLimitedError" -> FailureKind.MAX_TURNS;
      case "FatalCancellationError" -> FailureKind.CANCELLED;
      case "FatalAuthenticationError", "FatalInputError", "FatalConfigError", "FatalSandboxError",
          "FatalToolExecutionError", "FatalUntrustedWorkspaceError" -> FailureKind.FATAL;
      default -> HarnessErrorText.kindOf(message);
    };
    return new HarnessEvent.Error(kind, message);
  }

  /** The failure an exit code means when no error was reported on stdout. */
  static HarnessEvent.Error exitFailure(int exitCode) {
    return switch (exitCode) {
      case 0 -> HarnessJson.exitWithoutResult(0);
      case EXIT_AUTH -> new HarnessEvent.Error(FailureKind.FATAL, "gemini refused its credentials (exit 41)");
      case EXIT_BAD_INPUT -> new HarnessEvent.Error(FailureKind.FATAL, "gemini refused its input (exit 42)");
      case EXIT_SANDBOX, EXIT_CONFIG, EXIT_TOOL, EXIT_UNTRUSTED -> new HarnessEvent.Error(
          FailureKind.FATAL, "gemini stopped on a fatal error (exit " + exitCode + ")");
      case EXIT_TURN_LIMIT -> new HarnessEvent.Error(FailureKind.MAX_TURNS, "gemini reached its turn limit (exit 53)");
      case EXIT_CANCELLED -> new HarnessEvent.Error(FailureKind.CANCELLED, "gemini cancelled (exit 130)");
      case 126, 127 -> new HarnessEvent.Error(
          FailureKind.SANDBOX, "gemini could not be started: not found or not executable (exit " + exitCode + ")");
      default -> HarnessJson.exitWithoutResult(exitCode);
    };
  }
}
