package dev.griot.agent.run;

import dev.griot.persistence.CborSerializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a user asked for: which harness runs which prompt with which options, on which queue,
 * under which deadlines, retry policy and budget, in which sandbox kind ({@code ""}: the node's
 * default). Immutable; two specs are equal when every field is,
 * which is how a repeated submit under the same idempotency key is told from a conflicting one.
 */
public record RunSpec(
    String harness,
    String prompt,
    Map<String, String> options,
    String queue,
    RunTimeouts timeouts,
    RetryPolicy retry,
    String idempotencyKey,
    RunBudget budget,
    String sandbox)
    implements CborSerializable {

  public RunSpec {
    Objects.requireNonNull(harness, "harness");
    Objects.requireNonNull(prompt, "prompt");
    // sorted, so the stored bytes of a spec do not depend on hash order
    options = Collections.unmodifiableMap(new TreeMap<>(options == null ? Map.of() : options));
    queue = queue == null || queue.isBlank() ? "default" : queue;
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(retry, "retry");
    idempotencyKey = idempotencyKey == null ? "" : idempotencyKey;
    budget = budget == null ? RunBudget.NONE : budget; // specs stored before budgets existed
    sandbox = sandbox == null ? "" : sandbox; // "": the node's default kind; specs stored before it existed
  }

  /** A spec in the node's default sandbox kind. */
  public RunSpec(
      String harness, String prompt, Map<String, String> options, String queue, RunTimeouts timeouts,
      RetryPolicy retry, String idempotencyKey, RunBudget budget) {
    this(harness, prompt, options, queue, timeouts, retry, idempotencyKey, budget, "");
  }

  /** A spec without a budget. */
  public RunSpec(
      String harness, String prompt, Map<String, String> options, String queue, RunTimeouts timeouts,
      RetryPolicy retry, String idempotencyKey) {
    this(harness, prompt, options, queue, timeouts, retry, idempotencyKey, RunBudget.NONE);
  }
}
