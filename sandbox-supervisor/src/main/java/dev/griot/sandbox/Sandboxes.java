package dev.griot.sandbox;

import java.net.InetSocketAddress;
import java.util.Optional;

import com.typesafe.config.Config;
import dev.griot.sandbox.kubernetes.KubernetesSandbox;
import dev.griot.sandbox.kubernetes.KubernetesSettings;
import java.util.concurrent.Executor;

/** Builds the node's sandbox from {@code griot.sandbox.kind}. */
public final class Sandboxes {

  /** {@code griot.sandbox.kind = process}: bubblewrap and cgroups. */
  public static final String PROCESS = "process";
  /** {@code griot.sandbox.kind = host}: a plain child process, UNSAFE (no isolation). */
  public static final String HOST = "host";
  /** {@code griot.sandbox.kind = container}: an OCI runtime (runc) on a rootfs folder. */
  public static final String CONTAINER = "container";

  private Sandboxes() {}

  /**
   * The sandbox {@code griot.sandbox.kind} names.
   *
   * @throws SandboxException for an unknown kind, or a {@code process} kind this machine cannot
   *     provide (no bubblewrap, no cgroups for the configured limits)
   */
  public static Sandbox fromConfig(Config root, Executor executor) {
    return fromConfig(root, executor, Optional.empty());
  }

  /**
   * The same, where sandboxes that ask for it reach the node's egress gateway at {@code egress}
   * (only the {@code process} kind offers it yet).
   */
  public static Sandbox fromConfig(Config root, Executor executor, Optional<InetSocketAddress> egress) {
    String kind = root.getString("griot.sandbox.kind");
    return switch (kind) {
      case PROCESS -> new BubblewrapSandbox(BubblewrapSettings.fromConfig(root), executor, egress);
      case HOST -> new ProcessSandbox(ProcessSandboxSettings.fromConfig(root), executor);
      case CONTAINER -> {
        String backend = root.getString("griot.sandbox.container.backend");
        if (backend.equals("runc")) yield new RuncSandbox(RuncSettings.fromConfig(root), executor);
        if (backend.equals("kubernetes")) yield new KubernetesSandbox(KubernetesSettings.fromConfig(root), executor);
        throw new SandboxException("unknown griot.sandbox.container.backend '" + backend
            + "': use runc (an OCI runtime on this machine) or kubernetes (a Pod per sandbox)");
      }
      default -> throw new SandboxException(
          "unknown griot.sandbox.kind '" + kind + "': use " + PROCESS + " (bubblewrap), " + CONTAINER
              + " (runc on griot.sandbox.container.rootfs) or " + HOST
              + " (unsafe: no isolation)");
    };
  }
}
