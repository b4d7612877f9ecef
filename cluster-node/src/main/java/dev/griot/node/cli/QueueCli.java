package dev.griot.node.cli;

import dev.griot.grpc.v1.GetQueueRequest;
import dev.griot.grpc.v1.Queue;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/** {@code griot queue ...}: look at queues through the gRPC API. */
@Command(name = "queue", description = "Look at queues.", mixinStandardHelpOptions = true)
final class QueueCli {

  @Option(names = "--server", scope = ScopeType.INHERIT, defaultValue = "${env:GRIOT_SERVER:-127.0.0.1:50051}",
      description = "host:port of a Griot node (default ${DEFAULT-VALUE}; env GRIOT_SERVER).")
  String server;

  @Command(mixinStandardHelpOptions = true, description = "Show a queue: runs waiting, handed out and running; its limits.")
  int get(@Parameters(paramLabel = "NAME", defaultValue = "default", description = "default: ${DEFAULT-VALUE}") String name)
      throws Exception {
    try (var client = new CliClient(server)) {
      var queue = client.runs.getQueue(GetQueueRequest.newBuilder().setName(name).build())
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      print(queue, System.out);
    }
    return 0;
  }

  static void print(Queue q, PrintStream out) {
    out.printf("%s  waiting=%d offered=%d active=%d pulling-workers=%d%s%n", q.getName(), q.getWaiting(), q.getOffered(),
        q.getActive(), q.getPullingWorkers(), q.getWarm() ? "" : "  (just started: still learning its runs)");
    out.printf("  max-concurrency=%s max-depth=%s%n", limit(q.getMaxConcurrency()), limit(q.getMaxDepth()));
  }

  private static String limit(int n) {
    return n == 0 ? "none" : Integer.toString(n);
  }
}
