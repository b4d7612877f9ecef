package dev.griot.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The handle of one {@link ProcessSandbox} or {@link BubblewrapSandbox} process: two readers on the executor pump stdout and
 * stderr to the listener; when the process has ended, what it left in its process group is
 * killed (so no reader waits on a pipe held by an orphan), and once both readers reached the end
 * the listener hears the exit.
 */
final class ProcessSandboxHandle implements SandboxHandle {

  private static final System.Logger LOG = System.getLogger(ProcessSandboxHandle.class.getName());

  private final Process process;
  private final SandboxProcesses tree;
  private final Executor executor;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private ProcessSandboxHandle(Process process, SandboxProcesses tree, Executor executor) {
    this.process = process;
    this.tree = tree;
    this.executor = executor;
  }

  static ProcessSandboxHandle start(
      Process process, SandboxProcesses tree, SandboxListener listener, Executor executor) {
    ProcessSandboxHandle handle = new ProcessSandboxHandle(process, tree, executor);
    CompletableFuture<Void> stdout =
        CompletableFuture.runAsync(() -> pump(process.getInputStream(), listener::onStdoutLine), executor);
    CompletableFuture<Void> stderr =
        CompletableFuture.runAsync(() -> pump(process.getErrorStream(), listener::onStderrLine), executor);
    CompletableFuture<Void> reaped = process.onExit().thenRunAsync(tree::killLeftovers, executor);
    CompletableFuture.allOf(reaped, stdout, stderr)
        .whenCompleteAsync((ignored, failure) -> handle.finish(listener, failure), executor);
    return handle;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public CompletionStage<Integer> exit() {
    return exit.minimalCompletionStage();
  }

  /**
   * A paused sandbox is let go first (a stopped or frozen process would not see the signals), and
   * is not paused again: a line read after the kill must not freeze what is being ended.
   */
  @Override
  public void kill(Duration grace) {
    synchronized (this) {
      killed = true;
    }
    executor.execute(() -> {
      synchronized (this) {
        if (pauses > 0) {
          pauses = 0;
          tree.resume();
        }
      }
      tree.terminate(grace, executor);
    });
  }

  /** Pauses not yet resumed: the processes go on only when the last one is. */
  private int pauses;
  /** {@link #kill} was called: no more pauses. */
  private boolean killed;

  @Override
  public synchronized boolean pause() {
    if (pauses > 0) {
      pauses++;
      return true;
    }
    if (killed || exit.isDone() || !tree.pause()) return false;
    pauses = 1;
    return true;
  }

  @Override
  public synchronized void resume() {
    if (pauses == 0 || --pauses > 0) return;
    tree.resume();
  }

  @Override
  public Optional<LimitEvents> limitEvents() {
    return exit.isDone() ? tree.limitEvents() : Optional.empty();
  }

  private void finish(SandboxListener listener, Throwable failure) {
    if (failure != null) LOG.log(Level.WARNING, "sandbox " + pid() + " ended abnormally", failure);
    int code = process.exitValue();
    try {
      listener.onExit(code);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "sandbox listener failed on exit of " + pid(), e);
    }
    exit.complete(code);
  }

  private static void pump(InputStream in, Consumer<String> sink) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        try {
          sink.accept(line);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "sandbox listener failed on a line", e);
        }
      }
    } catch (IOException e) {
      // The stream was closed under us: nothing more to read.
    }
  }
}
