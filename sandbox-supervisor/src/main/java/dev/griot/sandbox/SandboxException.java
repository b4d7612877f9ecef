package dev.griot.sandbox;

/**
 * A sandbox could not be prepared or its program could not be started. A {@linkplain #refused
 * refusal} says the same spec will never start here (a program that is not there, a rootfs that
 * is missing, a gateway the node does not have): trying again cannot help, unlike a failure to
 * fork or to write a folder.
 */
public final class SandboxException extends RuntimeException {

  private final boolean permanent;

  public SandboxException(String message) {
    this(message, null, false);
  }

  public SandboxException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private SandboxException(String message, Throwable cause, boolean permanent) {
    super(message, cause);
    this.permanent = permanent;
  }

  /** The spec can never start on this node as it is configured. */
  public static SandboxException refused(String message) {
    return new SandboxException(message, null, true);
  }

  /** Whether another attempt of the same spec would fail the same way. */
  public boolean permanent() {
    return permanent;
  }
}
