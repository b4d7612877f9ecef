package dev.griot.agent.run;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of run entities, read from {@code griot.run} (defaults in this module's
 * {@code reference.conf}).
 *
 * @param leaseTimeout how long a run waits without word from the worker holding its attempt
 *     before it counts the worker as lost and schedules the next attempt
 * @param heartbeatInterval how often a worker tells a run it is alive
 * @param idleTimeout how long a finished run stays in memory after the last command
 * @param summaryRetry delay before a failed read-side write is tried again
 * @param summaryInterval how long turn counts on the read side may lag: a status change is
 *     written at once, turns and sessions at most once per interval
 * @param defaultTimeouts deadlines for a submit that names none
 * @param defaultRetry the retry policy for a submit that names none
 * @param maxTimeout the longest deadline a submit may ask for
 * @param prices what tokens cost, for cost budgets ({@code griot.pricing})
 */
public record RunSettings(
    Duration leaseTimeout,
    Duration heartbeatInterval,
    Duration idleTimeout,
    Duration summaryRetry,
    Duration summaryInterval,
    RunTimeouts defaultTimeouts,
    RetryPolicy defaultRetry,
    Duration maxTimeout,
    ModelPrices prices) {

  public static RunSettings fromConfig(Config root) {
    Config c = root.getConfig("griot.run");
    Config t = c.getConfig("default-timeouts");
    Config r = c.getConfig("default-retry");
    return new RunSettings(
        c.getDuration("lease-timeout"),
        c.getDuration("heartbeat-interval"),
        c.getDuration("idle-timeout"),
        c.getDuration("summary-retry"),
        c.getDuration("summary-interval"),
        new RunTimeouts(t.getDuration("queue-wait"), t.getDuration("start"), t.getDuration("run"), t.getDuration("input")),
        new RetryPolicy(
            r.getInt("max-attempts"), r.getDuration("initial-backoff"), r.getDuration("max-backoff"), r.getDouble("jitter")),
        c.getDuration("max-timeout"),
        ModelPrices.fromConfig(root));
  }
}
