package dev.griot.sandbox;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The processes of one {@link BubblewrapSandbox}: the wrapper shell the node started (root),
 * {@code bwrap} (its child), bwrap's init in the sandbox's pid namespace, and everything in the
 * sandbox. They are found in the sandbox's cgroups, which no fork can leave, and, as a second
 * source, among the root's descendants (every process of the pid namespace stays under its init).
 *
 * <p>SIGTERM goes to the sandboxed processes only, not to the wrapper and {@code bwrap}: killing
 * {@code bwrap} would take the whole namespace down at once ({@code --die-with-parent}) and leave
 * the harness no grace. When the harness ends, bwrap and the wrapper end with its status.
 */
final class BubblewrapProcesses implements SandboxProcesses {

  private static final System.Logger LOG = System.getLogger(BubblewrapProcesses.class.getName());
  private static final long EMPTY_TIMEOUT_MILLIS = 10_000;

  private final ProcessHandle root;
  private final Optional<CgroupLimits.Group> group;
  private volatile LimitEvents events;
  /** Paused through the cgroup freezer (not by SIGSTOP). */
  private volatile boolean frozen;

  BubblewrapProcesses(ProcessHandle root, Optional<CgroupLimits.Group> group) {
    this.root = root;
    this.group = group;
  }

  @Override
  public void terminate(Duration grace, Executor executor) {
    for (ProcessHandle p : members().values()) {
      if (p.pid() != root.pid() && !isChildOfRoot(p)) p.destroy();
    }
    Executor later =
        CompletableFuture.delayedExecutor(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS, executor);
    later.execute(this::killAll);
  }

  @Override
  public void killLeftovers() {
    killAll();
    group.ifPresent(g -> {
      if (!g.killAllAndAwaitEmpty(EMPTY_TIMEOUT_MILLIS))
        LOG.log(Level.WARNING, "sandbox " + root.pid() + ": processes left in " + g.dirs() + ": " + g.pids());
      events = g.events();
      g.remove();
    });
  }

  @Override
  public Optional<LimitEvents> limitEvents() {
    return Optional.ofNullable(events);
  }

  /**
   * Freezes the sandbox's cgroup, where the node has a freezer (it holds every process of the
   * sandbox, and one file write stops them all); else SIGSTOP to every process of its cgroups and
   * the root's tree.
   */
  @Override
  public boolean pause() {
    if (group.isPresent() && group.get().canFreeze()) {
      if (group.get().freeze()) {
        frozen = true;
        return true;
      }
    }
    return Signals.send("STOP", members().keySet());
  }

  @Override
  public void resume() {
    if (frozen) {
      frozen = false;
      group.get().thaw();
    } else {
      Signals.send("CONT", members().keySet());
    }
  }

  /** SIGKILL to everything: the cgroups' processes and the root's tree. */
  private void killAll() {
    Map<Long, ProcessHandle> all = members();
    group.ifPresent(CgroupLimits.Group::killAll);
    for (ProcessHandle p : all.values()) if (p.isAlive()) p.destroyForcibly();
  }

  private boolean isChildOfRoot(ProcessHandle p) {
    return p.parent().map(pp -> pp.pid() == root.pid()).orElse(false);
  }

  /** The cgroups' processes, the root's descendants, and the root; children before parents. */
  private Map<Long, ProcessHandle> members() {
    Map<Long, ProcessHandle> m = new LinkedHashMap<>();
    group.ifPresent(g -> g.pids().forEach(pid -> ProcessHandle.of(pid).ifPresent(p -> m.put(pid, p))));
    List<ProcessHandle> tree = root.descendants().toList();
    for (int i = tree.size() - 1; i >= 0; i--) m.putIfAbsent(tree.get(i).pid(), tree.get(i));
    if (root.isAlive()) m.putIfAbsent(root.pid(), root);
    return m;
  }
}
