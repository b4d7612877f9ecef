package dev.griot.node.cli;

import dev.griot.grpc.v1.*;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/** {@code griot run ...}: submit, look at, follow and cancel runs through the gRPC API. */
@Command(name = "run", description = "Submit, inspect, watch, cancel and re-drive runs.", mixinStandardHelpOptions = true)
final class RunCli {

  @Option(names = "--server", scope = ScopeType.INHERIT, defaultValue = "${env:GRIOT_SERVER:-127.0.0.1:50051}",
      description = "host:port of a Griot node (default ${DEFAULT-VALUE}; env GRIOT_SERVER).")
  String server;

  private static final long CALL_TIMEOUT_S = 30;

  @Command(mixinStandardHelpOptions = true, description = "Submit a run.")
  int submit(
      @Option(names = "--harness", required = true, description = "scripted | shell | claude-code | codex | gemini") String harness,
      @Option(names = {"-p", "--prompt"}, required = true) String prompt,
      @Option(names = {"-o", "--option"}, description = "harness option key=value (repeatable)") Map<String, String> options,
      @Option(names = "--queue") String queue,
      @Option(names = "--priority", description = "1 (served first) to 5; default 3") Integer priority,
      @Option(names = "--idempotency-key") String key,
      @Option(names = "--queue-wait", converter = DurationConverter.class) com.google.protobuf.Duration queueWait,
      @Option(names = "--start-timeout", converter = DurationConverter.class) com.google.protobuf.Duration start,
      @Option(names = "--run-timeout", converter = DurationConverter.class) com.google.protobuf.Duration run,
      @Option(names = "--input-timeout", converter = DurationConverter.class) com.google.protobuf.Duration input,
      @Option(names = "--max-attempts") Integer maxAttempts,
      @Option(names = "--max-turns", description = "turn budget of the whole run") Integer maxTurns,
      @Option(names = "--max-tokens", description = "token budget (input + output) of the whole run") Long maxTokens,
      @Option(names = "--max-cost-usd", description = "cost budget of the whole run, in USD, at griot.pricing prices") Double maxCost,
      @Option(names = "--sandbox", description = "process | container | remote | host (default: the node's)") String sandbox,
      @Option(names = "--watch", description = "Follow the run until it finishes.") boolean watch)
      throws Exception {
    var timeouts = Timeouts.newBuilder();
    if (queueWait != null) timeouts.setQueueWait(queueWait);
    if (start != null) timeouts.setStart(start);
    if (run != null) timeouts.setRun(run);
    if (input != null) timeouts.setInput(input);
    var request = SubmitRunRequest.newBuilder()
        .setHarness(harness).setPrompt(prompt)
        .putAllOptions(options == null ? new LinkedHashMap<>() : options)
        .setQueue(queue == null ? "" : queue)
        .setIdempotencyKey(key == null ? "" : key)
        .setSandbox(sandbox == null ? "" : sandbox)
        .setPriority(priority == null ? 0 : priority)
        .setTimeouts(timeouts);
    if (maxAttempts != null) request.setRetry(RetryPolicy.newBuilder().setMaxAttempts(maxAttempts));
    if (maxTurns != null || maxTokens != null || maxCost != null)
      request.setBudget(Budget.newBuilder()
          .setMaxTurns(maxTurns == null ? 0 : maxTurns).setMaxTokens(maxTokens == null ? 0 : maxTokens)
          .setMaxCostUsd(maxCost == null ? 0 : maxCost));
    try (var client = new CliClient(server)) {
      var response = client.runs.submitRun(request.build()).toCompletableFuture().get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
      System.out.println((response.getCreated() ? "submitted " : "already submitted ") + response.getRun().getRunId());
      if (watch) follow(client, response.getRun().getRunId(), 0);
    }
    return 0;
  }

  @Command(mixinStandardHelpOptions = true, description = "Show a run.")
  int get(@Parameters(paramLabel = "RUN_ID") String runId) throws Exception {
    try (var client = new CliClient(server)) {
      var run = client.runs.getRun(GetRunRequest.newBuilder().setRunId(runId).build())
          .toCompletableFuture().get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
      new RunPrinter(System.out).run(run);
    }
    return 0;
  }

  @Command(mixinStandardHelpOptions = true, description = "List runs from the read side (in storage order, not by time).")
  int list(
      @Option(names = "--state", description = "only runs in this state, e.g. running, dead_lettered") String state,
      @Option(names = "--limit", defaultValue = "50") int limit,
      @Option(names = "--page-token", defaultValue = "") String pageToken)
      throws Exception {
    var request = ListRunsRequest.newBuilder().setPageSize(limit).setPageToken(pageToken);
    if (state != null) request.setState(parseState(state));
    try (var client = new CliClient(server)) {
      var page = client.runs.listRuns(request.build()).toCompletableFuture().get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
      var printer = new RunPrinter(System.out);
      page.getRunsList().forEach(printer::summary);
      if (!page.getNextPageToken().isEmpty()) System.out.println("next page: --page-token " + page.getNextPageToken());
    }
    return 0;
  }

  @Command(mixinStandardHelpOptions = true, description = "Follow a run's journal from a sequence number until it finishes.")
  int watch(
      @Parameters(paramLabel = "RUN_ID") String runId,
      @Option(names = "--from", defaultValue = "0", description = "first sequence number (default: the beginning)") long from)
      throws Exception {
    try (var client = new CliClient(server)) {
      follow(client, runId, from);
    }
    return 0;
  }

  @Command(mixinStandardHelpOptions = true, description = "Cancel a run that has not finished.")
  int cancel(@Parameters(paramLabel = "RUN_ID") String runId, @Option(names = "--reason", defaultValue = "") String reason)
      throws Exception {
    try (var client = new CliClient(server)) {
      var run = client.runs.cancelRun(CancelRunRequest.newBuilder().setRunId(runId).setReason(reason).build())
          .toCompletableFuture().get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
      new RunPrinter(System.out).run(run);
    }
    return 0;
  }

  @Command(mixinStandardHelpOptions = true, description = "Queue a dead-lettered run again, with a fresh retry budget.")
  int redrive(@Parameters(paramLabel = "RUN_ID") String runId) throws Exception {
    try (var client = new CliClient(server)) {
      var run = client.runs.redriveRun(RedriveRunRequest.newBuilder().setRunId(runId).build())
          .toCompletableFuture().get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
      new RunPrinter(System.out).run(run);
    }
    return 0;
  }

  private static void follow(CliClient client, String runId, long from) throws Exception {
    var printer = new RunPrinter(System.out);
    client.runs.watchRun(WatchRunRequest.newBuilder().setRunId(runId).setFromSequenceNr(from).build())
        .runForeach(printer::event, client.system)
        .toCompletableFuture().get();
  }

  static RunState parseState(String s) {
    String name = "RUN_STATE_" + s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return RunState.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown state '" + s + "'");
    }
  }
}
