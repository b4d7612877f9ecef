package dev.griot.agent.run;

import dev.griot.agent.harness.FailureKind;
import dev.griot.persistence.CborSerializable;
import java.time.Instant;
import java.util.Optional;

/**
 * One try at executing a run: a record inside the run, never a run of its own. Its number is
 * the fencing epoch: a worker's report for any other number is refused.
 */
public record Attempt(
    int number,
    String workerId,
    Instant assignedAt,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt,
    Optional<FailureKind> failure,
    String failureMessage)
    implements CborSerializable {

  public Attempt {
    startedAt = startedAt == null ? Optional.empty() : startedAt;
    endedAt = endedAt == null ? Optional.empty() : endedAt;
    failure = failure == null ? Optional.empty() : failure;
    failureMessage = failureMessage == null ? "" : failureMessage;
  }

  static Attempt assigned(int number, String workerId, Instant at) {
    return new Attempt(number, workerId, at, Optional.empty(), Optional.empty(), Optional.empty(), "");
  }

  Attempt started(Instant at) {
    return new Attempt(number, workerId, assignedAt, Optional.of(at), endedAt, failure, failureMessage);
  }

  Attempt ended(Instant at) {
    return new Attempt(number, workerId, assignedAt, startedAt, Optional.of(at), failure, failureMessage);
  }

  Attempt failed(FailureKind kind, String message, Instant at) {
    return new Attempt(number, workerId, assignedAt, startedAt, Optional.of(at), Optional.of(kind), message);
  }
}
