package dev.griot.sandbox.kubernetes;

import dev.griot.sandbox.LimitEvents;
import dev.griot.sandbox.SandboxHandle;
import dev.griot.sandbox.SandboxListener;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The handle of one sandbox Pod. A watch on the Pod, backed by a read every {@link
 * KubernetesSettings#pollInterval()}, follows its status ({@link PodProgress}); once the container
 * runs (or has ended) its log is followed and each line goes to {@link
 * SandboxListener#onStdoutLine} (Kubernetes keeps one log of stdout and stderr together). When the
 * container ended, or the Pod failed, vanished, or did not start in time, the handle waits for the
 * rest of the log (at most {@link KubernetesSettings#logDrainTimeout()}), says why on stderr when
 * the exit code alone does not, deletes the Pod, and only then calls {@link SandboxListener#onExit}
 * (once) and completes {@link #exit()}.
 *
 * <p>Blocking calls (API requests, the log stream) run on the sandbox's executor; the watch's own
 * threads only hand its events over. {@link #pid()} is {@code -1}: no process of the node runs the
 * sandbox.
 */
final class KubernetesSandboxHandle implements SandboxHandle {

  private static final System.Logger LOG = System.getLogger(KubernetesSandboxHandle.class.getName());
  private static final int KILLED = 137;
  private static final int TERMINATED = 143;
  /** How long the end waits for the watch to report the deleted Pod before it closes the watch. */
  private static final long GONE_WAIT_MILLIS = 2_000;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String ref;
  private final KubernetesSettings settings;
  private final SandboxListener listener;
  private final Executor executor;
  private final long createdNanos = System.nanoTime();

  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final CompletableFuture<Void> logsDone = new CompletableFuture<>();
  private final CompletableFuture<Void> seenGone = new CompletableFuture<>();
  private final AtomicBoolean logsStarted = new AtomicBoolean();
  private final AtomicBoolean ending = new AtomicBoolean();
  private final AtomicReference<Duration> killGrace = new AtomicReference<>();
  /** Guards {@link #delivering}: no output line is handed over once the exit is being reported. */
  private final Object delivery = new Object();
  private boolean delivering = true;
  private volatile boolean ran;
  private volatile boolean oomKilled;
  private volatile long killDeadlineNanos;
  private volatile long lastContactNanos = createdNanos;
  private volatile Watch watch;
  private volatile InputStream logStream;

  private KubernetesSandboxHandle(
      KubernetesClient client, String namespace, String name, KubernetesSettings settings,
      SandboxListener listener, Executor executor) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.ref = "sandbox pod " + namespace + "/" + name;
    this.settings = settings;
    this.listener = listener;
    this.executor = executor;
  }

  /**
   * Follows the Pod {@code name} just created: opens its watch (a failure to is logged, the reads
   * carry on alone) and reads it once at once.
   *
   * @throws RejectedExecutionException when the executor takes no task
   */
  static KubernetesSandboxHandle follow(
      KubernetesClient client, String namespace, String name, KubernetesSettings settings,
      SandboxListener listener, Executor executor) {
    KubernetesSandboxHandle handle = new KubernetesSandboxHandle(client, namespace, name, settings, listener, executor);
    try {
      handle.watch = handle.pod().watch(handle.new PodWatcher());
    } catch (KubernetesClientException e) {
      LOG.log(Level.WARNING, "cannot watch " + handle.ref + "; reading it every " + settings.pollInterval()
          + " instead: " + e.getMessage());
    }
    try {
      executor.execute(handle::poll);
    } catch (RejectedExecutionException e) {
      handle.closeWatch();
      throw e;
    }
    return handle;
  }

  /** Always {@code -1}: the sandbox is a Pod, not a process of this node. */
  @Override
  public long pid() {
    return -1;
  }

  /** The Pod runs on a Kubernetes node, on a workspace of its own: the node neither reaps nor checkpoints it. */
  @Override
  public boolean onThisHost() {
    return false;
  }

  @Override
  public CompletionStage<Integer> exit() {
    return exit.minimalCompletionStage();
  }

  /**
   * Deletes the Pod with {@code gracePeriodSeconds} = {@code grace} (rounded up to whole
   * seconds): the kubelet sends SIGTERM, then SIGKILL after the grace. The exit is the container's
   * exit code when its end was seen, else 143 (137 for a zero grace). A Pod still there {@link
   * KubernetesSettings#killTimeout()} after the grace is deleted forcibly.
   */
  @Override
  public void kill(Duration grace) {
    Duration g = grace == null || grace.isNegative() ? Duration.ZERO : grace;
    if (ending.get() || !killGrace.compareAndSet(null, g)) return;
    killDeadlineNanos = System.nanoTime() + g.toNanos() + settings.killTimeout().toNanos();
    try {
      executor.execute(() -> delete(g));
    } catch (RejectedExecutionException e) {
      LOG.log(Level.WARNING, "no thread to delete " + ref + "; the next read of the Pod deletes it");
    }
  }

  /** Once the exit is known: whether the container was ended at its memory limit (OOMKilled). */
  @Override
  public Optional<LimitEvents> limitEvents() {
    return exit.isDone() ? Optional.of(new LimitEvents(0, oomKilled ? 1 : 0, 0)) : Optional.empty();
  }

  private PodResource pod() {
    return client.pods().inNamespace(namespace).withName(name);
  }

  /** Feeds the Pod's latest state (or its absence, {@code null}) in. Never blocks. */
  private void observe(Pod pod) {
    if (pod == null) seenGone.complete(null);
    if (ending.get()) return;
    lastContactNanos = System.nanoTime();
    if (pod == null) {
      gone();
      return;
    }
    PodProgress progress = PodProgress.of(pod);
    if (progress instanceof PodProgress.Running) {
      ran = true;
      followLogs();
    } else if (progress instanceof PodProgress.Ended) {
      PodProgress.Ended ended = (PodProgress.Ended) progress;
      oomKilled = ended.oomKilled();
      if (ended.ran()) {
        ran = true;
        followLogs();
      }
      end(ended.exitCode(), ended.stderr());
    }
  }

  /** The Pod is no more, and its container's end was not seen. */
  private void gone() {
    Duration grace = killGrace.get();
    if (grace != null) end(grace.isZero() ? KILLED : TERMINATED, Optional.empty());
    else end(KILLED, Optional.of(ref + " was deleted before its container ended"));
  }

  /** Reads the Pod, enforces the start, kill and API timeouts, and comes back after the poll interval. */
  private void poll() {
    if (ending.get()) return;
    long now = System.nanoTime();
    try {
      Pod pod = pod().get();
      Duration grace = killGrace.get();
      if (pod != null && grace != null) {
        if (now - killDeadlineNanos > 0) {
          delete(Duration.ZERO);
          end(KILLED, Optional.of(ref + " was still there " + settings.killTimeout().toSeconds()
              + " s after the grace of its kill; deleted forcibly"));
          return;
        }
        if (pod.getMetadata().getDeletionTimestamp() == null) delete(grace); // the kill's delete failed: again
      }
      observe(pod);
      if (!ending.get() && pod != null && !ran && grace == null
          && now - createdNanos > settings.startTimeout().toNanos()) {
        PodProgress progress = PodProgress.of(pod);
        String why = progress instanceof PodProgress.Waiting ? ((PodProgress.Waiting) progress).why() : "";
        end(PodProgress.NOT_RUN, Optional.of(ref + " did not start its container within "
            + settings.startTimeout().toSeconds() + " s (griot.sandbox.container.kubernetes.start-timeout): " + why));
      }
    } catch (RuntimeException e) {
      if (now - lastContactNanos > settings.apiTimeout().toNanos())
        end(ran ? KILLED : PodProgress.NOT_RUN, Optional.of("lost the Kubernetes API for "
            + settings.apiTimeout().toSeconds() + " s while following " + ref + ": " + e.getMessage()));
      else if (e instanceof KubernetesClientException)
        LOG.log(Level.DEBUG, "cannot read " + ref + " (trying again): " + e.getMessage());
      else
        LOG.log(Level.WARNING, "following " + ref + " failed; trying again", e);
    } finally {
      if (!ending.get()) {
        try {
          CompletableFuture.delayedExecutor(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS, executor)
              .execute(this::poll);
        } catch (RejectedExecutionException e) {
          LOG.log(Level.WARNING, "no thread to read " + ref + " again");
        }
      }
    }
  }

  /** Starts the log reader, once. */
  private void followLogs() {
    if (!logsStarted.compareAndSet(false, true)) return;
    try {
      executor.execute(this::pumpLogs);
    } catch (RejectedExecutionException e) {
      LOG.log(Level.WARNING, "no thread to read the log of " + ref);
      logsDone.complete(null);
    }
  }

  /**
   * Follows the container's log ({@code GET .../pods/<name>/log?container=sandbox&follow=true})
   * until the API server ends it, which it does when the container has ended.
   */
  private void pumpLogs() {
    try {
      HttpClient http = client.getHttpClient();
      HttpRequest request = http.newHttpRequestBuilder().url(logUrl()).build();
      long timeout = client.getConfiguration().getRequestTimeout() > 0 ? client.getConfiguration().getRequestTimeout() : 10_000;
      HttpResponse<InputStream> response = http.sendAsync(request, InputStream.class).get(timeout, TimeUnit.MILLISECONDS);
      InputStream body = response.body();
      if (!response.isSuccessful()) {
        String text = "";
        if (body != null) {
          try (body) {
            text = new String(body.readNBytes(2000), StandardCharsets.UTF_8).strip();
          }
        }
        deliverError(ref + ": cannot read the container's log: HTTP " + response.code() + (text.isEmpty() ? "" : ": " + text));
        return;
      }
      if (body == null) return;
      logStream = body;
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) deliver(line);
      }
    } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
      deliverError(ref + ": the container's log broke off: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      logsDone.complete(null);
    }
  }

  private URL logUrl() throws IOException {
    String base = client.getMasterUrl().toString();
    if (!base.endsWith("/")) base += "/";
    return new URL(base + "api/v1/namespaces/" + namespace + "/pods/" + name + "/log?container="
        + SandboxPods.CONTAINER + "&follow=true");
  }

  private void deliver(String line) {
    synchronized (delivery) {
      if (!delivering) return;
      try {
        listener.onStdoutLine(line);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "sandbox listener failed on a line of " + ref, e);
      }
    }
  }

  /** A failure of the log reader: on stderr while the sandbox runs, only logged once it is ending. */
  private void deliverError(String line) {
    synchronized (delivery) {
      if (!delivering) {
        LOG.log(Level.DEBUG, line);
        return;
      }
      try {
        listener.onStderrLine(line);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "sandbox listener failed on a line of " + ref, e);
      }
    }
  }

  /** The sandbox ended with {@code code}: reports it, once, off the caller's thread. */
  private void end(int code, Optional<String> stderr) {
    if (!ending.compareAndSet(false, true)) return;
    try {
      executor.execute(() -> finish(code, stderr));
    } catch (RejectedExecutionException e) {
      finish(code, stderr);
    }
  }

  /** The rest of the log, the reason on stderr, the Pod's deletion, then the exit. */
  private void finish(int code, Optional<String> stderr) {
    try {
      if (logsStarted.get()) {
        try {
          logsDone.get(settings.logDrainTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          LOG.log(Level.WARNING, "the log of " + ref + " did not end within " + settings.logDrainTimeout()
              + " after its container; its rest is lost");
          closeLog();
        } catch (ExecutionException e) {
          // the reader reports its own failures
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      synchronized (delivery) {
        delivering = false;
      }
      stderr.ifPresent(line -> {
        try {
          listener.onStderrLine(line);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "sandbox listener failed on a line of " + ref, e);
        }
      });
      delete(Duration.ZERO);
      // the watch is closed once it has seen the Pod go, not while it may still be sending that
      // (fabric8's mock API server stalls on a watch closed under an event in flight)
      if (watch != null) {
        try {
          seenGone.get(GONE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // a watch that says nothing: closed all the same
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "ending " + ref + " failed", e);
    } finally {
      closeWatch();
      try {
        listener.onExit(code);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "sandbox listener failed on the exit of " + ref, e);
      }
      exit.complete(code);
    }
  }

  /** Deletes the Pod (gone already is fine); a failure is logged, never thrown. */
  private void delete(Duration grace) {
    long seconds = (grace.toMillis() + 999) / 1000;
    try {
      pod().withGracePeriod(seconds).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404)
        LOG.log(Level.WARNING, "cannot delete " + ref + " (delete it with kubectl delete pod -n " + namespace + " "
            + name + "): " + e.getMessage());
    }
  }

  private void closeWatch() {
    Watch w = watch;
    if (w == null) return;
    try {
      w.close();
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "closing the watch of " + ref + " failed", e);
    }
  }

  private void closeLog() {
    InputStream s = logStream;
    if (s == null) return;
    try {
      s.close();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "closing the log of " + ref + " failed", e);
    }
  }

  /** Hands the watch's events over; a closed watch leaves the reads to carry on. */
  private final class PodWatcher implements Watcher<Pod> {

    @Override
    public void eventReceived(Action action, Pod pod) {
      // the last state of a deleted Pod may hold its container's end; if not, it is simply gone
      if (action == Action.DELETED) seenGone.complete(null);
      if (action == Action.DELETED) observe(pod != null && PodProgress.of(pod) instanceof PodProgress.Ended ? pod : null);
      else if (action == Action.ADDED || action == Action.MODIFIED) observe(pod);
    }

    @Override
    public void onClose(WatcherException cause) {
      if (!ending.get())
        LOG.log(Level.INFO, "the watch of " + ref + " closed (" + cause.getMessage() + "); reading the Pod every "
            + settings.pollInterval() + " carries on");
    }
  }
}
