package dev.griot.sandbox.remote;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.griot.sandbox.Sandbox;
import dev.griot.sandbox.SandboxException;
import dev.griot.sandbox.Sandboxes;
import dev.griot.sandbox.egress.EgressGateway;
import dev.griot.sandbox.egress.EgressRoute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;

/**
 * The {@code griot runner} daemon: runs sandboxes on its own host, in its own sandbox kind ({@code
 * griot.sandbox.kind} of its configuration: bubblewrap by default), for nodes that call its gRPC
 * API with its token. Output is spooled to disk, so a node that lost its stream attaches again
 * from an offset while the harness goes on. Stopping the runner kills its sandboxes.
 */
public final class GriotRunner implements AutoCloseable {

  private final ActorSystem<Void> system;
  private final RunnerSandboxes sandboxes;
  private final ServerBinding binding;
  private final Optional<EgressGateway> gateway;

  private GriotRunner(ActorSystem<Void> system, RunnerSandboxes sandboxes, ServerBinding binding,
      Optional<EgressGateway> gateway) {
    this.system = system;
    this.sandboxes = sandboxes;
    this.binding = binding;
    this.gateway = gateway;
  }

  /**
   * Starts a runner with {@code config} (over this module's reference.conf) and waits until it
   * listens.
   *
   * @throws SandboxException when it has no token, cannot provide its sandbox kind, or cannot bind
   */
  public static GriotRunner start(Config config) {
    Config full = config.withFallback(ConfigFactory.parseString("pekko.http.server.enable-http2 = on"))
        .withFallback(ConfigFactory.load()).resolve();
    RunnerSettings settings = RunnerSettings.fromConfig(full);
    if (full.getString("griot.sandbox.kind").equals(Sandboxes.REMOTE))
      throw new SandboxException("a griot runner runs its sandboxes itself: its griot.sandbox.kind must not be remote");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "griot-runner", full);
    try {
      Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("griot.runner.blocking-dispatcher"));
      Optional<EgressGateway> gateway = gateway(full, blocking);
      Sandbox sandbox = Sandboxes.fromConfig(full, blocking, gateway.map(EgressGateway::address));
      RunnerSandboxes sandboxes = new RunnerSandboxes(sandbox, settings, Clock.systemUTC());
      var handler = dev.griot.runner.v1.RunnerServicePowerApiHandlerFactory.create(
          new RunnerServiceImpl(sandboxes, settings.token(), blocking), system);
      ServerBuilder server = Http.get(system).newServerAt(settings.host(), settings.port());
      if (settings.tls().isPresent())
        server = server.enableHttps(ConnectionContext.httpsServer(
            Pem.serverContext(settings.tls().get().certificate(), settings.tls().get().privateKey())));
      ServerBinding binding = server.bind(handler).toCompletableFuture().get(30, TimeUnit.SECONDS);
      var sweep = settings.retainEnded().dividedBy(4);
      system.scheduler().scheduleAtFixedRate(sweep, sweep, () -> {
        var released = sandboxes.sweep();
        if (!released.isEmpty()) system.log().info("released {} ended sandbox(es) nobody attached to: {}", released.size(), released);
      }, system.executionContext());
      system.log().info("griot runner serving {} on {}, sandboxes of kind {}", settings.tls().isPresent() ? "TLS" : "plain HTTP/2",
          binding.localAddress(), full.getString("griot.sandbox.kind"));
      return new GriotRunner(system, sandboxes, binding, gateway);
    } catch (Exception e) {
      system.terminate();
      if (e instanceof SandboxException s) throw s;
      throw new SandboxException("the griot runner cannot start: " + e.getMessage(), e);
    }
  }

  private static Optional<EgressGateway> gateway(Config config, Executor blocking) {
    var routes = EgressGateway.routesFromConfig(config);
    if (routes.isEmpty()) return Optional.empty();
    try {
      return Optional.of(new EgressGateway(routes, blocking));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the runner's egress gateway for routes "
          + routes.stream().map(EgressRoute::name).toList(), e);
    }
  }

  /** Where the runner listens. */
  public InetSocketAddress address() {
    return binding.localAddress();
  }

  /** How many sandboxes the runner holds (running, or ended and not yet released). */
  public int sandboxes() {
    return sandboxes.size();
  }

  /** Completes once the runner stopped. */
  public CompletionStage<Done> whenTerminated() {
    return system.getWhenTerminated();
  }

  /** Stops listening, kills every sandbox, deletes their spools and stops the runner. */
  @Override
  public void close() {
    binding.unbind();
    sandboxes.close();
    gateway.ifPresent(EgressGateway::close);
    system.terminate();
  }
}
