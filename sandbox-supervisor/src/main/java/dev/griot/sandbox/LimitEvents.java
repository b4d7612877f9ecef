package dev.griot.sandbox;

/**
 * What a sandbox's cgroup limits did while it ran, read when it ended.
 *
 * @param memoryFailures how often an allocation hit the memory limit
 * @param oomKills how many of its processes the kernel killed at the memory limit (0 when the
 *     kernel does not say)
 * @param forksRefused how many forks the process limit refused
 */
public record LimitEvents(long memoryFailures, long oomKills, long forksRefused) {

  /** Whether a process of the sandbox was killed for memory. */
  public boolean oomKilled() {
    return oomKills > 0;
  }
}
