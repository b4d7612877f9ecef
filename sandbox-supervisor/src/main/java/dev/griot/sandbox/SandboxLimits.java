package dev.griot.sandbox;

import com.typesafe.config.Config;
import dev.griot.persistence.CborSerializable;

/**
 * The resources a sandbox may use, enforced through cgroups the node writes; {@code 0} means no
 * limit for that resource.
 *
 * @param memoryBytes the most memory its processes may use together; beyond it the kernel's OOM
 *     killer ends one of them
 * @param pids the most processes (and threads) it may have at once; forks beyond it fail
 * @param cpuMillis its CPU share in thousandths of a CPU ({@code 1500} = one and a half CPUs)
 */
public record SandboxLimits(long memoryBytes, long pids, long cpuMillis) implements CborSerializable {

  /** No limit at all. */
  public static final SandboxLimits NONE = new SandboxLimits(0, 0, 0);

  public SandboxLimits {
    if (memoryBytes < 0 || pids < 0 || cpuMillis < 0)
      throw new IllegalArgumentException("limits must not be negative: " + memoryBytes + ", " + pids + ", " + cpuMillis);
  }

  /** Whether any resource is limited. */
  public boolean any() {
    return memoryBytes > 0 || pids > 0 || cpuMillis > 0;
  }

  /** Reads {@code griot.sandbox.limits} ({@code memory}, {@code pids}, {@code cpus}) of a full configuration. */
  public static SandboxLimits fromConfig(Config root) {
    Config c = root.getConfig("griot.sandbox.limits");
    return new SandboxLimits(
        c.getBytes("memory"), c.getLong("pids"), Math.round(c.getDouble("cpus") * 1000));
  }
}
