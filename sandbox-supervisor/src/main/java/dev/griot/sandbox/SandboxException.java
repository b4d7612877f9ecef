package dev.griot.sandbox;

/** A sandbox could not be prepared or its program could not be started. */
public final class SandboxException extends RuntimeException {

  public SandboxException(String message) {
    super(message);
  }

  public SandboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
