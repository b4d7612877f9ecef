package dev.griot.sandbox.remote;

import dev.griot.runner.v1.AttachRequest;
import dev.griot.runner.v1.DescribeRequest;
import dev.griot.runner.v1.KillRequest;
import dev.griot.runner.v1.KillResponse;
import dev.griot.runner.v1.OutputRecord;
import dev.griot.runner.v1.ReleaseRequest;
import dev.griot.runner.v1.ReleaseResponse;
import dev.griot.runner.v1.RunnerServicePowerApi;
import dev.griot.runner.v1.SandboxInfo;
import dev.griot.runner.v1.StartRequest;
import dev.griot.runner.v1.StartResponse;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.grpc.javadsl.Metadata;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The runner's gRPC API over its {@link RunnerSandboxes}. Every call must carry {@code
 * authorization: Bearer <token>}; anything else is UNAUTHENTICATED before the request is looked at.
 * Calls that may block (starting a process, killing one) run on the blocking executor.
 */
final class RunnerServiceImpl implements RunnerServicePowerApi {

  private final RunnerSandboxes sandboxes;
  private final byte[] expected;
  private final Executor blocking;

  RunnerServiceImpl(RunnerSandboxes sandboxes, String token, Executor blocking) {
    this.sandboxes = sandboxes;
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.blocking = blocking;
  }

  @Override
  public CompletionStage<StartResponse> start(StartRequest in, Metadata metadata) {
    return authorized(metadata, () -> sandboxes.start(in));
  }

  @Override
  public Source<OutputRecord, NotUsed> attach(AttachRequest in, Metadata metadata) {
    authenticate(metadata);
    return sandboxes.attach(in.getSandboxId(), in.getFromOffset());
  }

  @Override
  public CompletionStage<KillResponse> kill(KillRequest in, Metadata metadata) {
    return authorized(metadata, () -> {
      if (in.getGraceMillis() < 0) throw RunnerSandboxes.error(Status.INVALID_ARGUMENT, "grace_millis must not be negative");
      sandboxes.kill(in.getSandboxId(), Duration.ofMillis(in.getGraceMillis()));
      return KillResponse.getDefaultInstance();
    });
  }

  @Override
  public CompletionStage<ReleaseResponse> release(ReleaseRequest in, Metadata metadata) {
    return authorized(metadata, () -> {
      sandboxes.release(in.getSandboxId());
      return ReleaseResponse.getDefaultInstance();
    });
  }

  @Override
  public CompletionStage<SandboxInfo> describe(DescribeRequest in, Metadata metadata) {
    authenticate(metadata);
    return CompletableFuture.completedFuture(sandboxes.describe(in.getSandboxId()));
  }

  private <T> CompletionStage<T> authorized(Metadata metadata, Supplier<T> call) {
    authenticate(metadata);
    CompletableFuture<T> result = new CompletableFuture<>();
    blocking.execute(() -> {
      try {
        result.complete(call.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e); // the status exception itself, not wrapped
      }
    });
    return result;
  }

  private void authenticate(Metadata metadata) {
    byte[] given = metadata.getText("authorization").orElse("").getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, expected))
      throw RunnerSandboxes.error(Status.UNAUTHENTICATED, "this runner needs its token: authorization: Bearer <token>");
  }
}
