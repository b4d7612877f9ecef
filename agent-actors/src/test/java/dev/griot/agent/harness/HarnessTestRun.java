package dev.griot.agent.harness;

import dev.griot.sandbox.Sandbox;
import dev.griot.sandbox.SandboxHandle;
import dev.griot.sandbox.SandboxListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one attempt of a harness for real: the adapter's command in a sandbox, its stdout through
 * the adapter's parser. What a worker does, without the actors.
 */
public final class HarnessTestRun implements SandboxListener {

  private final HarnessParser parser;
  private final List<HarnessEvent> events = new ArrayList<>();
  private final List<String> stdout = new ArrayList<>();
  private final List<String> stderr = new ArrayList<>();
  private int exitCode = -1;

  private HarnessTestRun(HarnessParser parser) {
    this.parser = parser;
  }

  /** Runs {@code inv} to its end (at most a minute) and returns what was seen. */
  public static HarnessTestRun run(Sandbox sandbox, HarnessAdapter adapter, HarnessInvocation inv)
      throws Exception {
    HarnessTestRun run = new HarnessTestRun(adapter.newParser(inv.completedTurns()));
    SandboxHandle handle = sandbox.start(adapter.command(inv), run);
    handle.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return run;
  }

  @Override
  public synchronized void onStdoutLine(String line) {
    stdout.add(line);
    events.addAll(parser.onLine(line));
  }

  @Override
  public synchronized void onStderrLine(String line) {
    stderr.add(line);
  }

  @Override
  public synchronized void onExit(int exitCode) {
    this.exitCode = exitCode;
    events.addAll(parser.onExit(exitCode));
  }

  public synchronized List<HarnessEvent> events() {
    return List.copyOf(events);
  }

  public synchronized <T extends HarnessEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public synchronized List<Turn> turns() {
    return events(HarnessEvent.TurnCompleted.class).stream().map(HarnessEvent.TurnCompleted::turn).toList();
  }

  public synchronized List<String> stdout() {
    return List.copyOf(stdout);
  }

  public synchronized List<String> stderr() {
    return List.copyOf(stderr);
  }

  public synchronized int exitCode() {
    return exitCode;
  }

  public int malformedLines() {
    return parser.malformedLines();
  }
}
