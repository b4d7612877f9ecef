package dev.griot.sandbox;

import com.typesafe.config.Config;
import java.util.concurrent.Executor;

/** Builds the node's sandbox from {@code griot.sandbox.kind}. */
public final class Sandboxes {

  /** {@code griot.sandbox.kind = process}: bubblewrap and cgroups. */
  public static final String PROCESS = "process";
  /** {@code griot.sandbox.kind = host}: a plain child process, UNSAFE (no isolation). */
  public static final String HOST = "host";

  private Sandboxes() {}

  /**
   * The sandbox {@code griot.sandbox.kind} names.
   *
   * @throws SandboxException for an unknown kind, or a {@code process} kind this machine cannot
   *     provide (no bubblewrap, no cgroups for the configured limits)
   */
  public static Sandbox fromConfig(Config root, Executor executor) {
    String kind = root.getString("griot.sandbox.kind");
    return switch (kind) {
      case PROCESS -> new BubblewrapSandbox(BubblewrapSettings.fromConfig(root), executor);
      case HOST -> new ProcessSandbox(ProcessSandboxSettings.fromConfig(root), executor);
      default -> throw new SandboxException(
          "unknown griot.sandbox.kind '" + kind + "': use " + PROCESS + " (bubblewrap) or " + HOST
              + " (unsafe: no isolation)");
    };
  }
}
