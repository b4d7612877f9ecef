package dev.griot.node.cli;

import dev.griot.grpc.v1.SubmitRunRequest;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The run {@code griot up --demo} shows: a scripted Claude Code transcript, no model account needed. */
final class Demo {
  private Demo() {}

  static final SubmitRunRequest REQUEST = SubmitRunRequest.newBuilder()
      .setHarness("scripted")
      .setPrompt("Say hello from the sandbox, then tell me what it printed.")
      .putOptions("transcript", "claude-bash-tool")
      .putOptions("turns", "4")
      .putOptions("line_delay_ms", "250")
      .build();

  static void run(CliClient client, PrintStream out) throws Exception {
    var submitted = Retry.untilAvailable(() -> client.runs.submitRun(REQUEST), Duration.ofSeconds(60));
    out.println("demo: submitted " + submitted.getRun().getRunId());
    RunPrinter printer = new RunPrinter(out);
    client.runs.watchRun(dev.griot.grpc.v1.WatchRunRequest.newBuilder().setRunId(submitted.getRun().getRunId()).build())
        .runForeach(printer::event, client.system)
        .toCompletableFuture().get(5, TimeUnit.MINUTES);
    var run = client.runs.getRun(dev.griot.grpc.v1.GetRunRequest.newBuilder().setRunId(submitted.getRun().getRunId()).build())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    printer.run(run);
  }
}
