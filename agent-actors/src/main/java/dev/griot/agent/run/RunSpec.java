package dev.griot.agent.run;

import dev.griot.persistence.CborSerializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a user asked for: which harness runs which prompt with which options, on which queue,
 * under which deadlines, retry policy and budget, in which sandbox kind ({@code ""}: the node's
 * default), at which priority in its queue (1 is served first, 5 last; 3 by default). Immutable; two specs are equal when every field is,
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
    String sandbox,
    int priority)
    implements CborSerializable {

  /** The priority of a run that names none, and of specs stored before priorities existed. */
  public static final int DEFAULT_PRIORITY = 3;

  /** The highest priority (served first). */
  public static final int MIN_PRIORITY = 1;

  /** The lowest priority (served last). */
  public static final int MAX_PRIORITY = 5;

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
    priority = priority == 0 ? DEFAULT_PRIORITY : priority; // 0: stored before priorities existed
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY)
      throw new IllegalArgumentException("priority must be between 1 and 5, got " + priority);
  }

  /** A spec at the default priority. */
  public RunSpec(
      String harness, String prompt, Map<String, String> options, String queue, RunTimeouts timeouts,
      RetryPolicy retry, String idempotencyKey, RunBudget budget, String sandbox) {
    this(harness, prompt, options, queue, timeouts, retry, idempotencyKey, budget, sandbox, DEFAULT_PRIORITY);
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
