package dev.griot.sandbox.remote;

import dev.griot.runner.v1.Limits;
import dev.griot.runner.v1.RunnerServiceClient;
import dev.griot.runner.v1.StartRequest;
import dev.griot.runner.v1.StartResponse;
import dev.griot.sandbox.Sandbox;
import dev.griot.sandbox.SandboxException;
import dev.griot.sandbox.SandboxHandle;
import dev.griot.sandbox.SandboxListener;
import dev.griot.sandbox.SandboxSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.stream.Materializer;

/**
 * The {@code remote} sandbox kind: each sandbox runs on a {@code griot runner}, in the runner's own
 * sandbox kind, and its output comes back over the runner's gRPC API. The runner spools the output,
 * so a handle that loses its stream attaches again from the offset after the last record it
 * delivered, and the harness never notices.
 *
 * <p>The workspace is the runner's: a node sends only the workspace's folder name (the run id),
 * which the runner places under its own workspace root. Programs and read-only paths must exist at
 * the same paths on the runner's host.
 */
public final class RemoteSandbox implements Sandbox, AutoCloseable {

  private final RemoteSettings settings;
  private final RunnerServiceClient client;
  private final Materializer materializer;
  private final String target;

  public RemoteSandbox(RemoteSettings settings, ClassicActorSystemProvider system) {
    this.settings = settings;
    GrpcClientSettings grpc = GrpcClientSettings.connectToServiceAt(settings.host(), settings.port(), system)
        .withTls(settings.tls())
        .withConnectionAttempts(-1) // a runner that restarts is reached again, never given up on
        // a connection that died without a word (a cable, a NAT) is noticed within seconds
        .withChannelBuilderOverrides(b -> b.keepAliveTime(10, TimeUnit.SECONDS).keepAliveTimeout(5, TimeUnit.SECONDS));
    if (settings.trustedCertificate().isPresent())
      grpc = grpc.withTrustManager(Pem.trusting(settings.trustedCertificate().get()));
    this.client = RunnerServiceClient.create(grpc, system);
    this.materializer = Materializer.matFromSystem(system);
    this.target = "griot runner at " + settings.host() + ":" + settings.port();
  }

  /** Starts {@code spec} on the runner; blocks until the runner answered (at most the call timeout). */
  /** Its sandboxes run elsewhere, on a workspace of their own. */
  @Override
  public boolean onThisHost() {
    return false;
  }

  @Override
  public SandboxHandle start(SandboxSpec spec, SandboxListener listener) {
    String workspace = spec.workspace().getFileName().toString();
    String id = workspace + "." + UUID.randomUUID().toString().substring(0, 8);
    StartRequest.Builder request = StartRequest.newBuilder()
        .setSandboxId(id)
        .addAllCommand(spec.command())
        .setWorkspace(workspace)
        .putAllEnvironment(spec.environment())
        .addAllReadOnlyPaths(spec.readOnlyPaths().stream().map(Path::toString).toList())
        .setNetwork(spec.network())
        .setEgress(spec.egress());
    if (spec.limits() != null)
      request.setLimits(Limits.newBuilder().setMemoryBytes(spec.limits().memoryBytes())
          .setPids((int) Math.min(Integer.MAX_VALUE, spec.limits().pids())).setCpus(spec.limits().cpuMillis() / 1000.0));
    StartResponse started;
    try {
      started = client.start().addHeader("authorization", bearer()).invoke(request.build())
          .toCompletableFuture().get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw startFailure(e.getCause());
    } catch (TimeoutException e) {
      throw new SandboxException(target + " did not answer within " + settings.callTimeout() + " to start " + id);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted while starting " + id + " on the " + target);
    }
    var handle = new RemoteSandboxHandle(id, started.getPid(), client, bearer(), settings, materializer, listener, target);
    handle.attach();
    return handle;
  }

  private SandboxException startFailure(Throwable t) {
    Status status = t instanceof StatusRuntimeException s ? s.getStatus() : Status.fromThrowable(t);
    String why = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
    return switch (status.getCode()) {
      case UNAUTHENTICATED, PERMISSION_DENIED -> SandboxException.refused(
          "the " + target + " refused this node's token (" + status.getCode() + "): check griot.sandbox.remote.token");
      case FAILED_PRECONDITION, INVALID_ARGUMENT, ALREADY_EXISTS -> SandboxException.refused(
          "the " + target + " refused the sandbox: " + why);
      default -> new SandboxException("cannot start a sandbox on the " + target + " (" + status.getCode() + "): " + why, t);
    };
  }

  String bearer() {
    return "Bearer " + settings.token();
  }

  /** Closes the connection to the runner (the runner's sandboxes go on). */
  @Override
  public void close() {
    client.close();
  }
}
