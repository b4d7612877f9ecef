package dev.griot.sandbox;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A sandboxed process with everything it started: its descendants (found through {@link
 * ProcessHandle#descendants()}) and, when it was started with {@code setsid}, its process group,
 * which also holds children that outlived their parent and were re-parented away from the tree.
 *
 * <p>Signals to single processes go through {@link ProcessHandle}, which checks the start time and
 * so never hits a recycled pid; signals to the group go through the {@code kill} program, since
 * the JDK cannot signal a group.
 */
final class ProcessTree implements SandboxProcesses {

  private static final System.Logger LOG = System.getLogger(ProcessTree.class.getName());

  private final ProcessHandle root;
  private final Optional<Path> groupKill;

  /**
   * @param root the main process
   * @param groupKill the {@code kill} program when the root leads its own process group (it was
   *     started with {@code setsid}); empty when it does not
   */
  ProcessTree(ProcessHandle root, Optional<Path> groupKill) {
    this.root = root;
    this.groupKill = groupKill;
  }

  /**
   * SIGTERM to the tree and the group now, SIGKILL after {@code grace} to every member seen now or
   * then that is still alive. Blocks only for the {@code kill} program; run it off actor threads.
   */
  @Override
  public void terminate(Duration grace, Executor executor) {
    List<ProcessHandle> members = members();
    signalGroup("TERM");
    members.forEach(ProcessHandle::destroy);
    Executor later =
        CompletableFuture.delayedExecutor(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS, executor);
    later.execute(() -> forceKill(members));
  }

  /** SIGKILL to the group: what the main process left behind when it ended. */
  @Override
  public void killLeftovers() {
    signalGroup("KILL");
  }

  @Override
  public boolean pause() {
    return Signals.send("STOP", members().stream().map(ProcessHandle::pid).toList());
  }

  @Override
  public void resume() {
    Signals.send("CONT", members().stream().map(ProcessHandle::pid).toList());
  }

  private void forceKill(List<ProcessHandle> seenBefore) {
    List<ProcessHandle> all = new ArrayList<>(seenBefore);
    all.addAll(members());
    signalGroup("KILL");
    for (ProcessHandle p : all) {
      if (p.isAlive()) p.destroyForcibly();
    }
  }

  /** The root and its descendants, children first so a parent cannot respawn them. */
  private List<ProcessHandle> members() {
    List<ProcessHandle> members = new ArrayList<>(root.descendants().toList());
    if (root.isAlive()) members.add(root);
    return members;
  }

  private void signalGroup(String signal) {
    if (groupKill.isEmpty()) return;
    try {
      Process kill =
          new ProcessBuilder(groupKill.get().toString(), "-" + signal, "--", "-" + root.pid())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      // Exit status 1 only means the group is already empty.
      if (!kill.waitFor(10, TimeUnit.SECONDS)) kill.destroyForcibly();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not signal process group " + root.pid(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
