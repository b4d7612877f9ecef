package dev.griot.agent.harness;

import dev.griot.agent.harness.FailureClassifier;
import dev.griot.agent.harness.FailureKind;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading the HTTP status out of an agent CLI's error text, for the harnesses whose error events
 * carry only a message (Codex, Gemini): the status then decides the kind through {@link
 * FailureClassifier#forHttpStatus}.
 */
public final class HarnessErrorText {

  private static final Pattern STATUS =
      Pattern.compile(
          "(?i)(?:status(?:\\s+code)?|http(?:\\s+error)?)\\s*[:=]?\\s*\"?([1-5]\\d\\d)\\b"
              + "|\"?\\bcode\"?\\s*[:=]\\s*\"?([1-5]\\d\\d)\\b"
              + "|\\b([1-5]\\d\\d)\\s+(?:unauthorized|forbidden|bad request|not found|too many requests"
              + "|internal server error|bad gateway|service unavailable|gateway timeout|payload too large"
              + "|unprocessable entity|request timeout|conflict)");

  private HarnessErrorText() {}

  /**
   * The HTTP status an error message names ({@code "unexpected status 401 Unauthorized"}, {@code
   * "status: 429"}, {@code "[API Error: ... (Status: UNAUTHENTICATED)]"}), or 0 when it names none.
   * gRPC-style words count as their HTTP equivalent: {@code UNAUTHENTICATED} 401, {@code
   * PERMISSION_DENIED} 403, {@code INVALID_ARGUMENT} 400, {@code NOT_FOUND} 404, {@code
   * RESOURCE_EXHAUSTED} 429, {@code UNAVAILABLE} 503; so do "invalid api key" and "api key not
   * valid" (401).
   */
  public static int httpStatusIn(String message) {
    if (message == null || message.isEmpty()) return 0;
    Matcher m = STATUS.matcher(message);
    if (m.find()) {
      for (int g = 1; g <= m.groupCount(); g++) if (m.group(g) != null) return Integer.parseInt(m.group(g));
    }
    String upper = message.toUpperCase(Locale.ROOT);
    if (upper.contains("UNAUTHENTICATED") || upper.contains("INVALID API KEY")
        || upper.contains("API KEY NOT VALID") || upper.contains("INCORRECT API KEY")) return 401;
    if (upper.contains("PERMISSION_DENIED")) return 403;
    if (upper.contains("INVALID_ARGUMENT")) return 400;
    if (upper.contains("NOT_FOUND")) return 404;
    if (upper.contains("RESOURCE_EXHAUSTED")) return 429;
    if (upper.contains("UNAVAILABLE")) return 503;
    return 0;
  }

  /** The kind of a model API failure described only by {@code message}. */
  public static FailureKind kindOf(String message) {
    int status = httpStatusIn(message);
    return status == 0 ? FailureKind.TRANSIENT : FailureClassifier.forHttpStatus(status);
  }
}
