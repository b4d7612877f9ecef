package dev.griot.agent.queue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.time.Duration;

/**
 * Settings of queue entities, read from {@code griot.queue} (defaults in this module's
 * {@code reference.conf}); the limits of one queue come from {@code griot.queue.defaults},
 * overridden by {@code griot.queue.per-queue.<name>}.
 *
 * @param pullHold how long a queue holds a worker's pull that finds no run before answering it
 *     empty (the worker then pulls again)
 * @param handOutTimeout how long a run handed to a worker counts against the queue's limits while
 *     no word comes that the worker leased it
 * @param refreshInterval how often each node's {@link QueueRelay} tells every queue again what
 *     the node's runs told it (a safety net for lost messages)
 * @param staleAfter a run the queue has not heard of for this long (three refresh intervals) is
 *     dropped from its index
 * @param warmUp after a queue entity starts (first use, or a move to another node), how long it
 *     waits to learn its running runs before it hands out runs under a max-concurrency
 */
public record QueueSettings(
    Duration pullHold, Duration handOutTimeout, Duration refreshInterval, Duration staleAfter, Duration warmUp,
    Config defaults, Config perQueue) {

  /** The limits of one queue. 0 means no limit. */
  public record Limits(int maxConcurrency, int maxDepth) {}

  public static QueueSettings fromConfig(Config root) {
    Config c = root.getConfig("griot.queue");
    Duration refresh = c.getDuration("refresh-interval");
    QueueSettings settings = new QueueSettings(
        c.getDuration("pull-hold"),
        c.getDuration("hand-out-timeout"),
        refresh,
        refresh.multipliedBy(3),
        c.getDuration("warm-up"),
        c.getConfig("defaults"),
        c.getConfig("per-queue"));
    // A bad limit stops the node at start, not the queue entity or a submit later.
    settings.limits("default");
    settings.perQueue().root().keySet().forEach(settings::limits);
    return settings;
  }

  /** The limits of queue {@code name}: its own entry under per-queue, falling back to the defaults. */
  public Limits limits(String name) {
    Config own = perQueue.hasPath(quoted(name)) ? perQueue.getConfig(quoted(name)) : ConfigFactory.empty();
    Config q = own.withFallback(defaults);
    int concurrency = q.getInt("max-concurrency");
    int depth = q.getInt("max-depth");
    if (concurrency < 0 || depth < 0)
      throw new IllegalArgumentException("griot.queue limits of '" + name + "' must not be negative");
    return new Limits(concurrency, depth);
  }

  private static String quoted(String name) {
    return ConfigUtil.quoteString(name);
  }
}
