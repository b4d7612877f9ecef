package dev.griot.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Test listener that records every line and the exit, and signals the first stdout line. */
public final class RecordingListener implements SandboxListener {

  final List<String> stdout = new ArrayList<>();
  final List<String> stderr = new ArrayList<>();
  public final AtomicInteger exits = new AtomicInteger();
  final CompletableFuture<String> firstLine = new CompletableFuture<>();
  volatile int exitCode = -1;

  @Override
  public synchronized void onStdoutLine(String line) {
    stdout.add(line);
    firstLine.complete(line);
  }

  @Override
  public synchronized void onStderrLine(String line) {
    stderr.add(line);
  }

  @Override
  public synchronized void onExit(int exitCode) {
    this.exitCode = exitCode;
    exits.incrementAndGet();
  }

  public synchronized List<String> stdout() {
    return List.copyOf(stdout);
  }

  public synchronized List<String> stderr() {
    return List.copyOf(stderr);
  }
}
