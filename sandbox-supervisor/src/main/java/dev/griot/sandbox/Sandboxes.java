package dev.griot.sandbox;

import java.net.InetSocketAddress;
import java.util.Optional;

import com.typesafe.config.Config;
import dev.griot.sandbox.kubernetes.KubernetesSandbox;
import dev.griot.sandbox.kubernetes.KubernetesSettings;
import java.util.concurrent.Executor;
import dev.griot.sandbox.remote.RemoteSandbox;
import dev.griot.sandbox.remote.RemoteSettings;
import org.apache.pekko.actor.ClassicActorSystemProvider;

/** Builds the node's sandboxes from {@code griot.sandbox.kind} (and {@code griot.sandbox.offered}). */
public final class Sandboxes {

  /** {@code griot.sandbox.kind = process}: bubblewrap and cgroups. */
  public static final String PROCESS = "process";
  /** {@code griot.sandbox.kind = host}: a plain child process, UNSAFE (no isolation). */
  public static final String HOST = "host";
  /** {@code griot.sandbox.kind = container}: an OCI runtime (runc) on a rootfs folder. */
  public static final String CONTAINER = "container";
  /** {@code griot.sandbox.kind = remote}: a {@code griot runner} on another host ({@code griot.sandbox.remote}). */
  public static final String REMOTE = "remote";

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
   * (the {@code process} kind and runc containers offer it; the others refuse such a spec).
   */
  public static Sandbox fromConfig(Config root, Executor executor, Optional<InetSocketAddress> egress) {
    String kind = root.getString("griot.sandbox.kind");
    return switch (kind) {
      case PROCESS -> new BubblewrapSandbox(BubblewrapSettings.fromConfig(root), executor, egress);
      case HOST -> new ProcessSandbox(ProcessSandboxSettings.fromConfig(root), executor);
      case CONTAINER -> {
        String backend = root.getString("griot.sandbox.container.backend");
        if (backend.equals("runc")) yield new RuncSandbox(RuncSettings.fromConfig(root), executor, egress);
        if (backend.equals("kubernetes")) yield new KubernetesSandbox(KubernetesSettings.fromConfig(root), executor);
        throw new SandboxException("unknown griot.sandbox.container.backend '" + backend
            + "': use runc (an OCI runtime on this machine) or kubernetes (a Pod per sandbox)");
      }
      case REMOTE -> throw new SandboxException("griot.sandbox.kind = remote needs the node's actor system");
      default -> throw new SandboxException(
          "unknown griot.sandbox.kind '" + kind + "': use " + PROCESS + " (bubblewrap), " + CONTAINER
              + " (runc on griot.sandbox.container.rootfs), " + REMOTE + " (a griot runner at griot.sandbox.remote) or "
              + HOST + " (unsafe: no isolation)");
    };
  }

  /**
   * Every sandbox kind the node offers: {@code griot.sandbox.kind} (its default) and the kinds of
   * {@code griot.sandbox.offered}, each built as if it were {@code griot.sandbox.kind}.
   *
   * @throws SandboxException when any of them cannot be provided
   */
  public static SandboxCatalog catalogFromConfig(
      Config root, Executor executor, Optional<InetSocketAddress> egress, ClassicActorSystemProvider system) {
    String kind = root.getString("griot.sandbox.kind");
    var kinds = new java.util.LinkedHashMap<String, Sandbox>();
    kinds.put(kind, fromConfig(root, executor, egress, system));
    for (String other : root.getStringList("griot.sandbox.offered")) {
      if (kinds.containsKey(other)) continue;
      Config as = root.withValue("griot.sandbox.kind", com.typesafe.config.ConfigValueFactory.fromAnyRef(other));
      kinds.put(other, fromConfig(as, executor, egress, system));
    }
    return new SandboxCatalog(kind, kinds);
  }

  /**
   * The same, where the {@code remote} kind connects to its runner with {@code system}'s gRPC
   * client.
   */
  public static Sandbox fromConfig(
      Config root, Executor executor, Optional<InetSocketAddress> egress, ClassicActorSystemProvider system) {
    if (root.getString("griot.sandbox.kind").equals(REMOTE))
      return new RemoteSandbox(RemoteSettings.fromConfig(root), system);
    return fromConfig(root, executor, egress);
  }
}
