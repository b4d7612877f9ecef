package dev.griot.node.grpc;

import dev.griot.agent.harness.HarnessRegistry;
import dev.griot.agent.run.RetryPolicy;
import dev.griot.agent.run.RunBudget;
import dev.griot.agent.run.RunSettings;
import dev.griot.agent.run.RunSpec;
import dev.griot.agent.run.RunTimeouts;
import dev.griot.grpc.v1.SubmitRunRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a submit request and turns it into a {@link RunSpec}: pure, so every rule is unit
 * tested. All problems are reported at once, each naming the field.
 */
public final class RunRequests {

  static final int MAX_PROMPT_BYTES = 1 << 20;
  static final int MAX_KEY_LENGTH = 256;
  static final int MAX_ATTEMPTS = 100;
  private static final Pattern QUEUE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  /** Either a spec or the list of problems. */
  public record Checked(RunSpec spec, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** What a queue name is made of. */
  static final String QUEUE_RULE = "1-63 characters of a-z, 0-9, '_' and '-', starting with a letter or digit";

  private RunRequests() {}

  static boolean isQueueName(String name) {
    return QUEUE.matcher(name).matches();
  }

  public static Checked check(SubmitRunRequest in, HarnessRegistry harnesses, RunSettings settings) {
    List<String> problems = new ArrayList<>();
    if (in.getPrompt().isBlank()) problems.add("prompt must not be empty");
    else if (in.getPrompt().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PROMPT_BYTES)
      problems.add("prompt is longer than " + MAX_PROMPT_BYTES + " bytes");
    if (in.getHarness().isBlank()) problems.add("harness must be named (known: " + String.join(", ", sorted(harnesses)) + ")");
    else problems.addAll(harnesses.validate(in.getHarness(), in.getOptionsMap()));
    if (!in.getQueue().isEmpty() && !isQueueName(in.getQueue()))
      problems.add("queue must be " + QUEUE_RULE);
    if (in.getPriority() != 0 && (in.getPriority() < RunSpec.MIN_PRIORITY || in.getPriority() > RunSpec.MAX_PRIORITY))
      problems.add("priority must be between 1 (served first) and 5, or 0 for the default 3; got " + in.getPriority());
    if (in.getIdempotencyKey().length() > MAX_KEY_LENGTH)
      problems.add("idempotency_key is longer than " + MAX_KEY_LENGTH + " characters");

    RunTimeouts d = settings.defaultTimeouts();
    var t = in.getTimeouts();
    Duration queueWait = duration("timeouts.queue_wait", t.hasQueueWait(), t.getQueueWait(), d.queueWait(), settings, problems);
    Duration start = duration("timeouts.start", t.hasStart(), t.getStart(), d.start(), settings, problems);
    Duration run = duration("timeouts.run", t.hasRun(), t.getRun(), d.run(), settings, problems);
    Duration input = duration("timeouts.input", t.hasInput(), t.getInput(), d.input(), settings, problems);

    RetryPolicy dr = settings.defaultRetry();
    var r = in.getRetry();
    int maxAttempts = r.getMaxAttempts() == 0 ? dr.maxAttempts() : r.getMaxAttempts();
    if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS)
      problems.add("retry.max_attempts must be between 1 and " + MAX_ATTEMPTS + ", got " + r.getMaxAttempts());
    Duration initial = duration("retry.initial_backoff", r.hasInitialBackoff(), r.getInitialBackoff(), dr.initialBackoff(), settings, problems);
    // Without a max_backoff of its own, a long initial_backoff raises the default cap to itself.
    Duration defaultMax = initial.compareTo(dr.maxBackoff()) > 0 ? initial : dr.maxBackoff();
    Duration max = duration("retry.max_backoff", r.hasMaxBackoff(), r.getMaxBackoff(), defaultMax, settings, problems);
    if (max.compareTo(initial) < 0) problems.add("retry.max_backoff must not be shorter than retry.initial_backoff");

    var b = in.getBudget();
    if (b.getMaxTurns() < 0) problems.add("budget.max_turns must not be negative");
    if (b.getMaxTokens() < 0) problems.add("budget.max_tokens must not be negative");
    if (!(b.getMaxCostUsd() >= 0) || Double.isInfinite(b.getMaxCostUsd()))
      problems.add("budget.max_cost_usd must be a non-negative number");

    if (!dev.griot.sandbox.SandboxCatalog.known(in.getSandbox()))
      problems.add("unknown sandbox kind '" + in.getSandbox() + "': use " + String.join(", ", dev.griot.sandbox.SandboxCatalog.KNOWN)
          + ", or leave it empty for the node's default");

    if (!problems.isEmpty()) return new Checked(null, List.copyOf(problems));
    RunSpec spec = new RunSpec(
        in.getHarness(), in.getPrompt(), in.getOptionsMap(), in.getQueue(),
        new RunTimeouts(queueWait, start, run, input),
        new RetryPolicy(maxAttempts, initial, max, dr.jitter()),
        in.getIdempotencyKey(),
        new RunBudget(b.getMaxTurns(), b.getMaxTokens(), b.getMaxCostUsd()),
        in.getSandbox(),
        in.getPriority());
    if (b.getMaxCostUsd() > 0) {
      var unpriced = settings.prices().unpriced(spec);
      if (unpriced.isPresent()) return new Checked(null, List.of(unpriced.get()));
    }
    return new Checked(spec, List.of());
  }

  private static Duration duration(
      String field, boolean set, com.google.protobuf.Duration value, Duration fallback, RunSettings settings, List<String> problems) {
    if (!set) return fallback;
    if (value.getSeconds() < 0 || value.getNanos() < 0) {
      problems.add(field + " must not be negative");
      return fallback;
    }
    Duration d = Duration.ofSeconds(value.getSeconds(), value.getNanos());
    if (d.compareTo(settings.maxTimeout()) > 0) {
      problems.add(field + " of " + d + " is above the limit of " + settings.maxTimeout());
      return fallback;
    }
    return d;
  }

  private static List<String> sorted(HarnessRegistry harnesses) {
    List<String> names = new ArrayList<>(harnesses.names());
    names.sort(null);
    return names;
  }
}
