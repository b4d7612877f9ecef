package dev.griot.agent.worker;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of this node's worker, read from {@code griot.worker}.
 *
 * @param slots how many attempts run at once on this node
 * @param killGrace how long a harness gets between SIGTERM and SIGKILL
 * @param workspaceRoot the folder holding one workspace per run
 * @param reportTimeout how long to wait for a run to answer a report before sending it again
 * @param heartbeatInterval how often a running attempt tells its run it is alive
 * @param idleWatchdog how long a harness may print nothing before it is ended (zero: never)
 * @param drainTimeout when the node shuts down, how long a running attempt may take to reach its
 *     next turn boundary before it is handed back at its last one
 * @param queues the queues this node's slots pull runs from; empty: every queue of the cluster
 */
public record WorkerSettings(
    int slots, Duration killGrace, Path workspaceRoot, Duration reportTimeout, Duration heartbeatInterval,
    Duration idleWatchdog, Duration drainTimeout, java.util.List<String> queues) {

  public WorkerSettings {
    queues = java.util.List.copyOf(queues);
  }

  /** Settings of a worker that pulls from every queue. */
  public WorkerSettings(
      int slots, Duration killGrace, Path workspaceRoot, Duration reportTimeout, Duration heartbeatInterval,
      Duration idleWatchdog, Duration drainTimeout) {
    this(slots, killGrace, workspaceRoot, reportTimeout, heartbeatInterval, idleWatchdog, drainTimeout, java.util.List.of());
  }

  /** Whether this node's slots take runs of queue {@code name}. */
  public boolean serves(String name) {
    return queues.isEmpty() || queues.contains(name);
  }

  public static WorkerSettings fromConfig(Config root, Path griotHome) {
    Config c = root.getConfig("griot.worker");
    String ws = c.getString("workspace-root");
    return new WorkerSettings(
        c.getInt("slots"),
        c.getDuration("kill-grace"),
        ws.isBlank() ? griotHome.resolve("workspaces") : Path.of(ws),
        c.getDuration("report-timeout"),
        root.getDuration("griot.run.heartbeat-interval"),
        c.getDuration("idle-watchdog"),
        c.getDuration("drain-timeout"),
        c.getStringList("queues"));
  }
}
