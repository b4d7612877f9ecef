package dev.griot.sandbox.kubernetes;

import dev.griot.sandbox.Sandbox;
import dev.griot.sandbox.SandboxException;
import dev.griot.sandbox.SandboxHandle;
import dev.griot.sandbox.SandboxLimits;
import dev.griot.sandbox.SandboxListener;
import dev.griot.sandbox.SandboxSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The {@code container} sandbox kind on Kubernetes ({@code griot.sandbox.container.backend =
 * kubernetes}): each sandbox is a Pod {@code <pod-name-prefix><uuid>} that {@link SandboxPods}
 * builds from the spec, created through the Kubernetes API and followed by a {@link
 * KubernetesSandboxHandle} until its container ended; the Pod is deleted before the exit is
 * reported, however the sandbox ended.
 *
 * <p>The client is fabric8's, configured as fabric8 finds it: the Pod's service account inside a
 * cluster, else {@code ~/.kube/config} or {@code KUBECONFIG}. The node needs, in the sandbox
 * namespace: pods create, get, list, watch, delete; pods/log get.
 *
 * <p>{@link #start} blocks for one API request (call it off actor threads, as {@code AttemptRunner}
 * does); everything after runs on {@code executor}, two tasks per sandbox at most at a time (its
 * log reader and a read or the end of its Pod).
 */
public final class KubernetesSandbox implements Sandbox, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(KubernetesSandbox.class.getName());

  private final KubernetesSettings settings;
  private final KubernetesClient client;
  private final Executor executor;
  private final String namespace;
  private final boolean ownsClient;

  /** A sandbox on the cluster fabric8 finds configured (in-cluster, or a kubeconfig). */
  public KubernetesSandbox(KubernetesSettings settings, Executor executor) {
    this(settings, new KubernetesClientBuilder().build(), executor, true);
  }

  /** A sandbox on {@code client}'s cluster; the caller keeps closing the client. */
  public KubernetesSandbox(KubernetesSettings settings, KubernetesClient client, Executor executor) {
    this(settings, client, executor, false);
  }

  private KubernetesSandbox(KubernetesSettings settings, KubernetesClient client, Executor executor, boolean ownsClient) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.client = Objects.requireNonNull(client, "client");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.ownsClient = ownsClient;
    String own = client.getNamespace();
    this.namespace = !settings.namespace().isEmpty() ? settings.namespace() : own != null && !own.isBlank() ? own : "default";
  }

  /** The namespace of the sandbox Pods. */
  public String namespace() {
    return namespace;
  }

  /**
   * Creates the Pod of {@code spec} and returns at once, before the Pod is scheduled.
   *
   * @throws SandboxException when the API server does not create the Pod; a {@linkplain
   *     SandboxException#refused refusal} when it says the same Pod will never be created (400
   *     invalid, 403 forbidden except an exceeded quota, 404 no such namespace, 422 invalid), and
   *     for a spec asking for the egress gateway
   */
  /** Its sandboxes run elsewhere, on a workspace of their own. */
  @Override
  public boolean onThisHost() {
    return false;
  }

  @Override
  public SandboxHandle start(SandboxSpec spec, SandboxListener listener) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(listener, "listener");
    if (spec.egress())
      throw SandboxException.refused("the Kubernetes backend of the container kind has no egress gateway yet: run this "
          + "harness with griot.sandbox.container.backend = runc, the process kind, or with network = true");
    if (!spec.readOnlyPaths().isEmpty())
      LOG.log(Level.DEBUG, "read-only paths " + spec.readOnlyPaths() + " ignored: a Pod sees no folder of the node");
    String name = settings.podNamePrefix() + UUID.randomUUID();
    SandboxLimits limits = spec.limits() == null ? settings.defaultLimits() : spec.limits();
    Pod pod = SandboxPods.pod(name, namespace, spec, limits, settings);
    try {
      client.pods().inNamespace(namespace).resource(pod).create();
    } catch (KubernetesClientException e) {
      throw creationFailure(namespace + "/" + name, e);
    }
    try {
      return KubernetesSandboxHandle.follow(client, namespace, name, settings, listener, executor);
    } catch (RejectedExecutionException | KubernetesClientException e) {
      try {
        client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
      } catch (KubernetesClientException d) {
        LOG.log(Level.WARNING, "cannot delete sandbox pod " + namespace + "/" + name + ": " + d.getMessage());
      }
      throw new SandboxException("cannot follow sandbox pod " + namespace + "/" + name, e);
    }
  }

  /** What a failed creation means: a refusal when the API server will never take this Pod. */
  static SandboxException creationFailure(String pod, KubernetesClientException e) {
    Status status = e.getStatus();
    String why = status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
    String message = "cannot create sandbox pod " + pod + ": HTTP " + e.getCode() + ": " + why;
    int code = e.getCode();
    boolean quota = why != null && why.contains("exceeded quota");
    if (code == 400 || code == 404 || code == 422 || code == 403 && !quota) return SandboxException.refused(message);
    return new SandboxException(message, e);
  }

  /** Closes the client when this sandbox made it. Running sandboxes stop being followed. */
  @Override
  public void close() {
    if (ownsClient) client.close();
  }
}
