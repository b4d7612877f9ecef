package dev.griot.sandbox.remote;

import dev.griot.runner.v1.AttachRequest;
import dev.griot.runner.v1.KillRequest;
import dev.griot.runner.v1.OutputRecord;
import dev.griot.runner.v1.ReleaseRequest;
import dev.griot.runner.v1.RunnerServiceClient;
import dev.griot.sandbox.SandboxHandle;
import dev.griot.sandbox.SandboxListener;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sandbox on a runner, seen from the node: follows its output stream and, when the stream breaks
 * before the exit record, attaches again from the offset after the last record it delivered, with
 * a growing backoff, for as long as {@code reattach.timeout}. Records are delivered to the listener
 * one at a time, each exactly once, in the runner's order. Once the exit is delivered, the
 * sandbox is released on the runner.
 */
final class RemoteSandboxHandle implements SandboxHandle {

  private static final Logger log = LoggerFactory.getLogger(RemoteSandboxHandle.class);

  /** The exit code reported when the runner stays unreachable past the re-attach timeout. */
  static final int LOST = 255;

  private final String id;
  private final long pid;
  private final RunnerServiceClient client;
  private final String bearer;
  private final RemoteSettings settings;
  private final Materializer materializer;
  private final SandboxListener listener;
  private final String target;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  // touched only by the one stream running at a time, and by attach()/retry() between streams
  private volatile long next;
  private volatile int attachments;
  private volatile Instant brokenSince;
  private volatile Duration backoff;

  RemoteSandboxHandle(String id, long pid, RunnerServiceClient client, String bearer, RemoteSettings settings,
      Materializer materializer, SandboxListener listener, String target) {
    this.id = id;
    this.pid = pid;
    this.client = client;
    this.bearer = bearer;
    this.settings = settings;
    this.materializer = materializer;
    this.listener = listener;
    this.target = target;
    this.backoff = settings.minBackoff();
  }

  /** The runner's sandbox id. */
  String id() {
    return id;
  }

  /** How many times the output stream was opened (1 + re-attachments). */
  int attachments() {
    return attachments;
  }

  /** The pid of the sandbox's main process on the runner's host (not this host's). */
  @Override
  public long pid() {
    return pid;
  }

  @Override
  public boolean onThisHost() {
    return false;
  }

  @Override
  public CompletionStage<Integer> exit() {
    return exit;
  }

  /** Opens the output stream from the next undelivered offset. */
  void attach() {
    attachments++;
    client.attach().addHeader("authorization", bearer)
        .invoke(AttachRequest.newBuilder().setSandboxId(id).setFromOffset(next).build())
        .runWith(Sink.foreach(this::deliver), materializer)
        .whenComplete((done, error) -> {
          if (exit.isDone()) return;
          retry(error == null ? new IllegalStateException("the stream ended before the exit record") : error);
        });
  }

  private void deliver(OutputRecord record) {
    if (record.getOffset() < next) return; // seen before the stream broke
    if (record.getOffset() > next)
      throw new IllegalStateException("sandbox " + id + ": record " + record.getOffset() + " after " + (next - 1));
    next = record.getOffset() + 1;
    brokenSince = null;
    backoff = settings.minBackoff();
    switch (record.getRecordCase()) {
      case STDOUT_LINE -> listener.onStdoutLine(record.getStdoutLine());
      case STDERR_LINE -> listener.onStderrLine(record.getStderrLine());
      case EXIT_CODE -> {
        listener.onExit(record.getExitCode());
        exit.complete(record.getExitCode());
        release();
      }
      default -> { }
    }
  }

  private void retry(Throwable error) {
    Status status = Status.fromThrowable(error);
    Instant now = Instant.now();
    if (brokenSince == null) brokenSince = now;
    boolean hopeless = status.getCode() == Status.Code.NOT_FOUND || status.getCode() == Status.Code.UNAUTHENTICATED;
    if (hopeless || Duration.between(brokenSince, now).compareTo(settings.reattachTimeout()) > 0) {
      lost(hopeless ? status.getCode() + ": " + status.getDescription()
          : "unreachable for " + settings.reattachTimeout() + " (" + status.getCode() + ")");
      return;
    }
    log.info("output stream of sandbox {} on the {} broke at offset {} ({}); attaching again in {}",
        id, target, next, status.getCode(), backoff);
    Duration wait = backoff;
    backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
    CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS).execute(this::attach);
  }

  private void lost(String why) {
    if (exit.isDone()) return;
    listener.onStderrLine("griot: lost sandbox " + id + " on the " + target + ": " + why);
    listener.onExit(LOST);
    exit.complete(LOST);
  }

  /**
   * Asks the runner to stop the sandbox's whole tree; asks again while the runner cannot be reached,
   * until the exit arrives.
   */
  @Override
  public void kill(Duration grace) {
    if (exit.isDone()) return;
    client.kill().addHeader("authorization", bearer)
        .invoke(KillRequest.newBuilder().setSandboxId(id).setGraceMillis(grace.toMillis()).build())
        .whenComplete((ok, error) -> {
          if (error == null || exit.isDone()) return;
          Status.Code code = Status.fromThrowable(error).getCode();
          if (code == Status.Code.NOT_FOUND || code == Status.Code.UNAUTHENTICATED) return;
          CompletableFuture.delayedExecutor(settings.minBackoff().toMillis(), TimeUnit.MILLISECONDS)
              .execute(() -> kill(grace));
        });
  }

  private void release() {
    client.release().addHeader("authorization", bearer).invoke(ReleaseRequest.newBuilder().setSandboxId(id).build())
        .whenComplete((ok, error) -> {
          if (error != null) log.info("could not release sandbox {} on the {} (it is deleted after griot.runner.retain-ended): {}",
              id, target, error.toString());
        });
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
