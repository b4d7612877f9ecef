package dev.griot.node.grpc;

import dev.griot.agent.queue.QueueEntity;
import dev.griot.agent.queue.QueueSettings;
import dev.griot.agent.run.RunSpec;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.grpc.GrpcServiceException;

/**
 * The gRPC edge of queues: what a queue holds now ({@code GetQueue}), and whether a submit still
 * fits in its queue ({@code max-depth}).
 */
final class Queues {

  private final ActorSystem<?> system;
  private final QueueSettings settings;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  /**
   * The latest size of each queue asked at a submit, with the submits this node admitted since:
   * for a second, their sum stands for the queue's size, so a burst of submits asks once a second
   * per queue instead of once per submit. Near the limit, the queue is asked again.
   */
  private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();

  private record Seen(QueueEntity.QueueView view, long at, AtomicInteger admittedSince) {
    /** Counts one more submit if the queue, as last seen plus what was admitted since, has room. */
    boolean admitOne(int maxDepth) {
      int base = view.waiting() + view.offered();
      while (true) {
        int admitted = admittedSince.get();
        if (base + admitted >= maxDepth) return false;
        if (admittedSince.compareAndSet(admitted, admitted + 1)) return true;
      }
    }
  }

  private static final long REUSE_NANOS = Duration.ofSeconds(1).toNanos();

  Queues(ActorSystem<?> system, QueueSettings settings, Duration askTimeout) {
    this.system = system;
    this.settings = settings;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  CompletionStage<dev.griot.grpc.v1.Queue> get(String name) {
    if (name.isEmpty()) return failed(Status.INVALID_ARGUMENT, "name must be given");
    if (!RunRequests.isQueueName(name)) return failed(Status.INVALID_ARGUMENT, "'" + name + "' is not a queue name: " + RunRequests.QUEUE_RULE);
    return view(name)
        .exceptionally(err -> {
          throw new GrpcServiceException(Status.UNAVAILABLE.withDescription(
              "queue " + name + " did not answer within " + askTimeout.toSeconds() + " s; try again"));
        })
        .thenApply(v -> dev.griot.grpc.v1.Queue.newBuilder()
            .setName(v.name()).setWaiting(v.waiting()).setOffered(v.offered()).setActive(v.active())
            .setPullingWorkers(v.pullingPools()).setMaxConcurrency(v.maxConcurrency()).setMaxDepth(v.maxDepth())
            .setWarm(v.warm()).build());
  }

  /**
   * Completes when {@code spec} may be submitted: its queue holds fewer than max-depth runs, or
   * {@code alreadyThere} says the submit repeats a run already accepted (which is answered as
   * always). Fails with RESOURCE_EXHAUSTED otherwise. A queue that does not answer admits: the
   * limit is a brake on growth, and refusing every submit while a queue moves would lose work.
   */
  CompletionStage<Void> admit(RunSpec spec, Supplier<CompletionStage<Boolean>> alreadyThere) {
    int maxDepth = settings.limits(spec.queue()).maxDepth();
    if (maxDepth == 0) return CompletableFuture.completedFuture(null);
    Seen last = seen.get(spec.queue());
    if (last != null && System.nanoTime() - last.at() < REUSE_NANOS && last.admitOne(maxDepth))
      return CompletableFuture.completedFuture(null);
    return view(spec.queue())
        .handle((v, err) -> err == null ? v : null)
        .thenCompose(v -> {
          if (v == null) {
            system.log().warn("queue {} did not answer at submit; admitting the run without its max-depth check", spec.queue());
            return CompletableFuture.completedFuture(null);
          }
          int depth = v.waiting() + v.offered();
          if (depth < maxDepth) {
            seen.put(spec.queue(), new Seen(v, System.nanoTime(), new AtomicInteger(1)));
            return CompletableFuture.completedFuture(null);
          }
          var full = new GrpcServiceException(Status.RESOURCE_EXHAUSTED.withDescription(
              "queue " + spec.queue() + " is full: " + depth + " runs wait (max-depth " + maxDepth + "); try again later"));
          if (spec.idempotencyKey().isEmpty()) return CompletableFuture.failedFuture(full);
          return alreadyThere.get().thenApply(there -> {
            if (there) return null;
            throw full;
          });
        });
  }

  private CompletionStage<QueueEntity.QueueView> view(String name) {
    return sharding.entityRefFor(QueueEntity.ENTITY_KEY, name).ask(QueueEntity.Get::new, askTimeout);
  }

  private static <T> CompletionStage<T> failed(Status status, String description) {
    return CompletableFuture.failedFuture(new GrpcServiceException(status.withDescription(description)));
  }
}
