package dev.griot.deploy.cassandra;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * What {@link CassandraLauncher#start()} did.
 *
 * @param outcome whether it started a server or found one answering
 * @param pid     the server's pid when the launcher knows it
 * @param took    time from the call until CQL answered
 */
public record StartResult(Outcome outcome, OptionalLong pid, Duration took) {

  /** Whether a server was started or reused. */
  public enum Outcome {
    /** This call started the server. */
    STARTED,
    /** A CQL server already answered on the port (or another launcher was starting one). */
    ALREADY_RUNNING
  }

  /** One human-readable line. */
  public String describe() {
    String who = pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "";
    return switch (outcome) {
      case STARTED -> "started" + who + " in " + took.toMillis() + " ms";
      case ALREADY_RUNNING -> "already running" + who;
    };
  }
}
