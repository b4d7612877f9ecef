package dev.griot.node.cli;

import com.typesafe.config.ConfigFactory;
import dev.griot.sandbox.remote.GriotRunner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code griot runner}: the daemon that runs sandboxes for nodes of the {@code remote} kind. */
@Command(mixinStandardHelpOptions = true, name = "runner",
    description = "Run sandboxes on this host for Griot nodes (griot.sandbox.kind = remote). "
        + "Settings: griot.runner in application.conf or -D; the token from $GRIOT_RUNNER_TOKEN by default.")
final class RunnerCommand implements Callable<Integer> {

  @Option(names = "--host", description = "Address to listen on (default: griot.runner.host, 127.0.0.1).")
  String host;

  @Option(names = "--port", description = "Port to listen on (default: griot.runner.port, 7443).")
  Integer port;

  @Option(names = "--token-file", description = "File holding the token nodes must send (default: $GRIOT_RUNNER_TOKEN).")
  String tokenFile;

  @Override
  public Integer call() throws Exception {
    var overrides = new java.util.HashMap<String, Object>();
    if (host != null) overrides.put("griot.runner.host", host);
    if (port != null) overrides.put("griot.runner.port", port);
    if (tokenFile != null) overrides.put("griot.runner.token-file", tokenFile);
    GriotRunner runner = GriotRunner.start(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load()));
    Runtime.getRuntime().addShutdownHook(new Thread(runner::close, "griot-runner-stop"));
    System.out.println("griot runner listening on " + runner.address().getHostString() + ":" + runner.address().getPort());
    runner.whenTerminated().toCompletableFuture().join();
    return 0;
  }
}
