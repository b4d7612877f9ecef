package dev.griot.agent.run;

import dev.griot.persistence.CborSerializable;
import java.time.Duration;
import java.util.Optional;

/**
 * The deadlines of a run. A zero duration means "no deadline". The queue-wait deadline counts from
 * the moment the run is queued, the start deadline from the attempt's assignment, the run deadline
 * from the attempt's start (start-to-close of one attempt), the input deadline from the moment the
 * harness asked a human.
 */
public record RunTimeouts(Duration queueWait, Duration start, Duration run, Duration input)
    implements CborSerializable {

  public RunTimeouts {
    queueWait = orZero(queueWait);
    start = orZero(start);
    run = orZero(run);
    input = orZero(input);
  }

  private static Duration orZero(Duration d) {
    return d == null ? Duration.ZERO : d;
  }

  static Optional<Duration> ifSet(Duration d) {
    return d.isZero() ? Optional.empty() : Optional.of(d);
  }
}
