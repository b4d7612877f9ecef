package dev.griot.deploy.cassandra;

/** A launcher step failed; the message says what to do about it. */
public final class CassandraLauncherException extends RuntimeException {

  public CassandraLauncherException(String message) {
    super(message);
  }

  public CassandraLauncherException(String message, Throwable cause) {
    super(message, cause);
  }
}
