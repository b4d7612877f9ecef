package dev.griot.agent.harness;

/**
 * Decides the {@link FailureKind} of model API errors and harness exits, the same for every
 * harness: what a retry may cure is {@link FailureKind#TRANSIENT}, what it cannot is {@link
 * FailureKind#FATAL}.
 */
public final class FailureClassifier {

  private FailureClassifier() {}

  /**
   * The kind of a failed model request by its HTTP status: 401 and 403 (credentials), and the
   * other 4xx a repeat cannot fix (400, 404, 413, 422), are fatal; 408, 409, 429, every 5xx
   * (including Anthropic's 529 "overloaded") and no status at all (a connection error) are
   * transient.
   */
  public static FailureKind forHttpStatus(int status) {
    return switch (status) {
      case 400, 401, 403, 404, 413, 422 -> FailureKind.FATAL;
      default -> FailureKind.TRANSIENT;
    };
  }

  /** Whether the status says the credentials were refused. */
  public static boolean isAuthFailure(int status) {
    return status == 401 || status == 403;
  }
}
