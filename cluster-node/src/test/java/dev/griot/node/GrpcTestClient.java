package dev.griot.node;

import com.typesafe.config.ConfigFactory;
import dev.griot.grpc.v1.*;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.stream.javadsl.Sink;

/** The real generated gRPC client of the RunService, on a local actor system of its own. */
final class GrpcTestClient implements AutoCloseable {
  final ActorSystem<Void> system;
  final RunServiceClient runs;

  GrpcTestClient(int port) {
    system = ActorSystem.create(Behaviors.empty(), "grpc-test-client",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.defaultReference()));
    runs = RunServiceClient.create(
        GrpcClientSettings.connectToServiceAt("127.0.0.1", port, system).withTls(false).withDeadline(Duration.ofSeconds(30)),
        system);
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) throw ex;
      throw e;
    }
  }

  /** The status a call failed with (fails the test if it succeeded). */
  static Status statusOf(CompletionStage<?> stage) {
    try {
      Object ok = stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
      throw new AssertionError("expected a gRPC error, got " + ok);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof io.grpc.StatusRuntimeException s) return s.getStatus();
      if (c instanceof GrpcServiceException g) return g.status();
      throw new AssertionError("not a gRPC status: " + c, c);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  Run get(String runId) throws Exception {
    return await(runs.getRun(GetRunRequest.newBuilder().setRunId(runId).build()));
  }

  List<RunEvent> watch(String runId, long from) throws Exception {
    return await(runs.watchRun(WatchRunRequest.newBuilder().setRunId(runId).setFromSequenceNr(from).build())
        .runWith(Sink.seq(), system));
  }

  /** Waits until the node serves gRPC and its run entities answer (NOT_FOUND for a made-up run). */
  void awaitReady() {
    awaitReady(Duration.ofSeconds(60));
  }

  /** Until the node answers GetRun through sharding (it joined and its gRPC is bound), at most {@code within}. */
  void awaitReady(Duration within) {
    TestProbe.create(system).awaitAssert(within, Duration.ofMillis(250), () -> {
      Status s = statusOf(runs.getRun(GetRunRequest.newBuilder().setRunId("run-00000000-0000-0000-0000-000000000001").build()));
      if (s.getCode() != Status.Code.NOT_FOUND) throw new AssertionError("node not ready: " + s);
      return null;
    });
  }

  /** Polls GetRun until {@code check} holds (no fixed sleeps: a probe's awaitAssert). */
  Run awaitRun(String runId, Duration within, java.util.function.Predicate<Run> check) {
    TestProbe<Object> probe = TestProbe.create(system);
    return probe.awaitAssert(within, Duration.ofMillis(200), () -> {
      Run run;
      try {
        run = get(runId);
      } catch (Exception e) {
        throw new AssertionError("GetRun failed: " + e, e);
      }
      if (!check.test(run)) throw new AssertionError("run not there yet: " + run.getState() + " turns " + run.getCompletedTurns());
      return run;
    });
  }

  @Override
  public void close() {
    runs.close();
    system.terminate();
  }
}
