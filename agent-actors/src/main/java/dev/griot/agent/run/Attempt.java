package dev.griot.agent.run;

import dev.griot.agent.harness.FailureKind;
import dev.griot.persistence.CborSerializable;
import java.time.Instant;
import java.util.Optional;

/**
 * One try at executing a run: a record inside the run, never a run of its own. Its number is
 * the fencing epoch: a worker's report for any other number is refused. A yielded attempt was
 * handed back by its worker (its node shut down) and does not count against the retry policy;
 * {@code failureMessage} then says why it was handed back.
 */
public record Attempt(
    int number,
    String workerId,
    Instant assignedAt,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt,
    Optional<FailureKind> failure,
    String failureMessage,
    boolean yielded)
    implements CborSerializable {

  public Attempt {
    startedAt = startedAt == null ? Optional.empty() : startedAt;
    endedAt = endedAt == null ? Optional.empty() : endedAt;
    failure = failure == null ? Optional.empty() : failure;
    failureMessage = failureMessage == null ? "" : failureMessage;
  }

  static Attempt assigned(int number, String workerId, Instant at) {
    return new Attempt(number, workerId, at, Optional.empty(), Optional.empty(), Optional.empty(), "", false);
  }

  Attempt started(Instant at) {
    return new Attempt(number, workerId, assignedAt, Optional.of(at), endedAt, failure, failureMessage, yielded);
  }

  Attempt ended(Instant at) {
    return new Attempt(number, workerId, assignedAt, startedAt, Optional.of(at), failure, failureMessage, yielded);
  }

  /** Handed back by its worker at a turn boundary: ended, not failed. */
  Attempt yielded(String reason, Instant at) {
    return new Attempt(number, workerId, assignedAt, startedAt, Optional.of(at), Optional.empty(), reason, true);
  }

  Attempt failed(FailureKind kind, String message, Instant at) {
    return new Attempt(number, workerId, assignedAt, startedAt, Optional.of(at), Optional.of(kind), message, false);
  }
}
