package dev.griot.node.cli;

import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.grpc.GrpcServiceException;

/** Calls a node that may still be starting: UNAVAILABLE is tried again until a deadline. */
final class Retry {
  private Retry() {}

  static <T> T untilAvailable(Supplier<CompletionStage<T>> call, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        return call.get().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        Status status = e.getCause() instanceof io.grpc.StatusRuntimeException s ? s.getStatus()
            : e.getCause() instanceof GrpcServiceException g ? g.status() : null;
        boolean retryable = status != null && status.getCode() == Status.Code.UNAVAILABLE;
        if (!retryable || System.nanoTime() > deadline) throw e;
        TimeUnit.MILLISECONDS.sleep(250); // the node is still starting: poll again
      }
    }
  }
}
