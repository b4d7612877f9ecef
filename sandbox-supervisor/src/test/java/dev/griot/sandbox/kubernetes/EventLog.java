package dev.griot.sandbox.kubernetes;

import dev.griot.sandbox.SandboxListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener keeping everything it hears in one ordered list: {@code out:<line>}, {@code err:<line>}, {@code exit:<code>}. */
final class EventLog implements SandboxListener {

  private final List<String> events = new ArrayList<>();
  final AtomicInteger exits = new AtomicInteger();
  final CompletableFuture<Integer> exited = new CompletableFuture<>();

  @Override
  public synchronized void onStdoutLine(String line) {
    events.add("out:" + line);
  }

  @Override
  public synchronized void onStderrLine(String line) {
    events.add("err:" + line);
  }

  @Override
  public synchronized void onExit(int exitCode) {
    events.add("exit:" + exitCode);
    exits.incrementAndGet();
    exited.complete(exitCode);
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }

  synchronized List<String> stderr() {
    return events.stream().filter(e -> e.startsWith("err:")).map(e -> e.substring(4)).toList();
  }
}
