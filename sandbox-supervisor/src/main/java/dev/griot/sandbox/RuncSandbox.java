package dev.griot.sandbox;

import dev.griot.sandbox.egress.UnixSocketBridge;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code container} sandbox kind on a local OCI runtime (runc): each sandbox is a container
 * {@code griot-<uuid>} on a bundle {@link OciBundle} generates from {@link RuncSettings#rootfs()},
 * run in the foreground with {@code runc run --keep --bundle <dir> <id>}, so the container's
 * stdout and stderr are the pipes the node reads.
 *
 * <p>Kill: {@code runc kill --all <id> TERM}, then after the grace {@code runc kill --all <id>
 * KILL}. However the container ended (its exit, a kill, runc failing, the {@code runc run}
 * process killed), the node runs {@code runc delete -f <id>} and removes the bundle folder before
 * the exit is reported: ending the {@code runc run} process alone would leave the container
 * behind. {@code --keep} leaves the stopped container (and its cgroups) to that delete, so the
 * limit counters are read first.
 *
 * <p>Inside, the workspace is {@link OciBundle#WORKSPACE}: arguments and environment values of
 * the spec that name the host workspace (or a path under it) are rewritten to it.
 *
 * <p>Each started sandbox occupies two threads of {@code executor} (its stdout and stderr readers)
 * for as long as it runs.
 */
public final class RuncSandbox implements Sandbox {

  private static final System.Logger LOG = System.getLogger(RuncSandbox.class.getName());
  private static final long COMMAND_TIMEOUT_SECONDS = 30;
  /** Where the runtime is looked up too, after {@link RuncSettings#path()}: runc lives in sbin. */
  private static final String SBIN = "/usr/local/sbin:/usr/sbin:/sbin";

  private final RuncSettings settings;
  private final Executor executor;
  private final Optional<java.net.InetSocketAddress> egressGateway;
  private final Path runtime;
  private final boolean swapLimit;

  /**
   * Finds the runtime and checks the rootfs.
   *
   * @throws SandboxException when the runtime is not found or the rootfs is not a folder
   */
  public RuncSandbox(RuncSettings settings, Executor executor) {
    this(settings, executor, Optional.empty());
  }

  /**
   * A container kind whose containers may reach the node's egress gateway at {@code egressGateway}
   * (through a unix socket offered on the container's loopback by the host's socat).
   */
  public RuncSandbox(RuncSettings settings, Executor executor, Optional<java.net.InetSocketAddress> egressGateway) {
    this.egressGateway = Objects.requireNonNull(egressGateway, "egressGateway");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.runtime = Executables.resolve(settings.runtime(), settings.path() + ":" + SBIN, Path.of("/"))
        .orElseThrow(() -> new SandboxException(
            "OCI runtime ('" + settings.runtime() + "') not found on " + settings.path() + ":" + SBIN
                + ": install runc (Debian/Ubuntu: apt-get install runc) or set griot.sandbox.container.runtime"));
    checkRootfs(settings.rootfs());
    this.swapLimit = ownCgroups().containsKey(CgroupLimits.MEMORY)
        && Files.exists(ownCgroups().get(CgroupLimits.MEMORY).resolve("memory.memsw.limit_in_bytes"));
  }

  /** The runtime program in use. */
  public Path runtime() {
    return runtime;
  }

  @Override
  public SandboxHandle start(SandboxSpec spec, SandboxListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (spec.egress() && egressGateway.isEmpty())
      throw SandboxException.refused(
          "the sandbox asks for the egress gateway, and this node has none (griot.sandbox.egress.routes is empty)");
    Path rootfs = checkRootfs(settings.rootfs());
    Path workspace = spec.workspace().toAbsolutePath().normalize();
    long uid;
    long gid;
    try {
      Files.createDirectories(workspace);
      Files.createDirectories(workspace.resolve(".home"));
      uid = ((Number) Files.getAttribute(workspace, "unix:uid")).longValue();
      gid = ((Number) Files.getAttribute(workspace, "unix:gid")).longValue();
    } catch (IOException | UnsupportedOperationException e) {
      throw new SandboxException("cannot prepare workspace " + workspace, e);
    }

    List<String> command = new ArrayList<>();
    for (String arg : spec.command()) command.add(inside(arg, workspace));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", settings.path());
    env.put("LANG", settings.lang());
    env.put("HOME", OciBundle.HOME);
    if (spec.egress()) env.put("GRIOT_EGRESS_URL", BubblewrapCommand.EGRESS_URL);
    spec.environment().forEach((k, v) -> env.put(k, inside(v, workspace)));
    checkProgram(command.get(0), rootfs, workspace, spec.readOnlyPaths(), env.get("PATH"));

    String id = "griot-" + UUID.randomUUID();
    SandboxLimits limits = spec.limits() == null ? settings.defaultLimits() : spec.limits();
    String cgroupsPath = settings.cgroupParent() + "/" + id;
    Path bundle;
    try {
      bundle = Files.createTempDirectory("griot-bundle-");
    } catch (IOException e) {
      throw new SandboxException("cannot create a bundle folder for " + id, e);
    }
    Optional<UnixSocketBridge> bridge = Optional.empty();
    try {
      List<String> hook = List.of();
      if (spec.egress()) {
        bridge = Optional.of(new UnixSocketBridge(
            Path.of(System.getProperty("java.io.tmpdir"), "griot-egress", id + ".sock"), egressGateway.get(), executor));
        hook = ContainerEgress.hook(egressTools(), bridge.get().socket(), bundle.resolve(ContainerEgress.PID_FILE));
      }
      OciBundle.create(bundle, rootfs, new OciBundle.Params(
          command, env, workspace, spec.readOnlyPaths(), spec.network(), limits, uid, gid, cgroupsPath, swapLimit, hook));
    } catch (RuntimeException e) {
      bridge.ifPresent(UnixSocketBridge::close);
      deleteTree(bundle);
      throw e;
    }

    ProcessBuilder builder = new ProcessBuilder(runc("run", "--keep", "--bundle", bundle.toString(), id))
        .directory(bundle.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().put("PATH", settings.path());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      bridge.ifPresent(UnixSocketBridge::close);
      deleteTree(bundle);
      throw new SandboxException("cannot start " + runtime + " for " + spec.command(), e);
    }
    Container container = new Container(id, bundle, process.toHandle(), cgroupsPath, bridge);
    try {
      return ProcessSandboxHandle.start(process, container, listener, executor);
    } catch (RejectedExecutionException e) {
      process.destroyForcibly();
      container.killLeftovers();
      throw new SandboxException("no thread to read the output of " + spec.command(), e);
    }
  }

  /** nsenter and socat of the host, which offer the egress socket inside a container's network namespace. */
  private ContainerEgress.Tools egressTools() {
    String path = settings.path() + ":" + SBIN;
    Optional<Path> nsenter = Executables.resolve("nsenter", path, Path.of("/"));
    Optional<Path> socat = Executables.resolve("socat", path, Path.of("/"));
    if (nsenter.isEmpty() || socat.isEmpty())
      throw SandboxException.refused("the egress gateway of containers needs nsenter (util-linux) and socat on the host's "
          + path + ": install them (Debian/Ubuntu: apt-get install util-linux socat)");
    return new ContainerEgress.Tools(nsenter.get(), socat.get());
  }

  /** The runtime's command line: {@code runc [--root <state>] <args>}. */
  List<String> runc(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(runtime.toString());
    settings.stateRoot().ifPresent(r -> {
      argv.add("--root");
      argv.add(r.toString());
    });
    argv.addAll(List.of(args));
    return argv;
  }

  /** Runs the runtime to completion; its exit code and its output (stdout and stderr together). */
  Result exec(String... args) {
    try {
      Process p = new ProcessBuilder(runc(args))
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out: " + out);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  record Result(int code, String output) {
    boolean ok() {
      return code == 0;
    }
  }

  /** One container: its signals, and its removal after the {@code runc run} process ended. */
  private final class Container implements SandboxProcesses {

    private final String id;
    private final Path bundle;
    private final ProcessHandle run;
    private final String cgroupsPath;
    private final Optional<UnixSocketBridge> bridge;
    private volatile LimitEvents events;

    Container(String id, Path bundle, ProcessHandle run, String cgroupsPath, Optional<UnixSocketBridge> bridge) {
      this.id = id;
      this.bundle = bundle;
      this.run = run;
      this.cgroupsPath = cgroupsPath;
      this.bridge = bridge;
    }

    @Override
    public void terminate(java.time.Duration grace, Executor executor) {
      signal("TERM");
      Executor later = java.util.concurrent.CompletableFuture.delayedExecutor(
          Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS, executor);
      later.execute(() -> {
        if (!run.isAlive()) return;
        signal("KILL");
        // a runtime that does not end after its container was killed: end it too (the delete follows)
        if (!awaitExit(COMMAND_TIMEOUT_SECONDS * 1000)) run.destroyForcibly();
      });
    }

    /** Freezes the container's cgroup ({@code runc pause}). */
    @Override
    public boolean pause() {
      return run.isAlive() && exec("pause", id).ok();
    }

    @Override
    public void resume() {
      Result r = exec("resume", id);
      if (!r.ok() && run.isAlive()) LOG.log(Level.WARNING, "runc resume " + id + " failed: " + r.output());
    }

    /**
     * Signals every process of the container; while {@code runc run} is still creating it (it
     * does not exist yet), tries again for a while.
     */
    private void signal(String signal) {
      Result last = null;
      for (int attempt = 0; attempt < 100 && run.isAlive(); attempt++) {
        last = exec("kill", "--all", id, signal);
        if (last.ok()) return;
        awaitExit(20);
      }
      if (last != null && run.isAlive())
        LOG.log(Level.WARNING, "runc kill " + id + " " + signal + " failed: " + last.output());
    }

    private boolean awaitExit(long millis) {
      try {
        run.onExit().get(millis, TimeUnit.MILLISECONDS);
        return true;
      } catch (java.util.concurrent.TimeoutException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !run.isAlive();
      } catch (java.util.concurrent.ExecutionException e) {
        return !run.isAlive();
      }
    }

    @Override
    public void killLeftovers() {
      try {
        events = readEvents();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "cannot read the limit counters of " + id, e);
      }
      Result deleted = exec("delete", "-f", id);
      if (!deleted.ok() && exec("state", id).ok())
        LOG.log(Level.WARNING, "runc delete -f " + id + " failed, the container is left: " + deleted.output());
      if (bridge.isPresent()) {
        ContainerEgress.stop(bundle.resolve(ContainerEgress.PID_FILE));
        bridge.get().close();
      }
      deleteTree(bundle);
    }

    @Override
    public Optional<LimitEvents> limitEvents() {
      return Optional.ofNullable(events);
    }

    private LimitEvents readEvents() {
      Map<String, Path> own = ownCgroups();
      long failures = 0;
      long oomKills = 0;
      long forks = 0;
      Path memory = own.get(CgroupLimits.MEMORY);
      Path pids = own.get(CgroupLimits.PIDS);
      if (memory != null) {
        Path m = memory.resolve(cgroupsPath);
        failures = Math.max(readLong(m.resolve("memory.failcnt")), readLong(m.resolve("memory.memsw.failcnt")));
        oomKills = keyed(m.resolve("memory.oom_control"), "oom_kill");
      }
      if (pids != null) forks = keyed(pids.resolve(cgroupsPath).resolve("pids.events"), "max");
      return new LimitEvents(failures, oomKills, forks);
    }
  }

  /** The node's own v1 cgroup folders (memory, pids, cpu), under which runc puts relative cgroup paths. */
  private static Map<String, Path> ownCgroups() {
    try {
      return CgroupLimits.v1Dirs(
          Files.readAllLines(Path.of("/proc/self/mountinfo")), Files.readAllLines(Path.of("/proc/self/cgroup")));
    } catch (IOException e) {
      return Map.of();
    }
  }

  private static Path checkRootfs(Path rootfs) {
    Path abs = rootfs.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs))
      throw SandboxException.refused("container rootfs " + abs + " does not exist or is not a folder "
          + "(griot.sandbox.container.rootfs)");
    return abs;
  }

  /** {@code value} with a leading host workspace path replaced by {@link OciBundle#WORKSPACE}. */
  static String inside(String value, Path workspace) {
    return SandboxSpec.pathInside(value, workspace, OciBundle.WORKSPACE);
  }

  /** Refuses a program that is nowhere in the container: not in the rootfs, the workspace or a read-only path. */
  private static void checkProgram(String program, Path rootfs, Path workspace, List<Path> readOnly, String path) {
    List<String> candidates = new ArrayList<>();
    if (program.startsWith("/")) candidates.add(program);
    else if (program.contains("/")) candidates.add(OciBundle.WORKSPACE + "/" + program);
    else for (String dir : path.split(":")) if (dir.startsWith("/")) candidates.add(dir + "/" + program);
    for (String c : candidates) {
      Path host;
      if (c.equals(OciBundle.WORKSPACE) || c.startsWith(OciBundle.WORKSPACE + "/"))
        host = Path.of(workspace + c.substring(OciBundle.WORKSPACE.length()));
      else if (readOnly.stream().anyMatch(r -> Path.of(c).startsWith(r.toAbsolutePath().normalize())))
        host = Path.of(c);
      else
        host = rootfs.resolve(c.substring(1));
      if (Files.exists(host, LinkOption.NOFOLLOW_LINKS)) return;
    }
    throw SandboxException.refused("program not found in the container: " + program + " (rootfs " + rootfs
        + ", PATH " + path + ")");
  }

  private static void deleteTree(Path dir) {
    try {
      // the container's mounts live in its own mount namespace; should one ever show here, the
      // walk below would reach into the rootfs or the workspace
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        if (f.length > 4 && f[4].startsWith(dir.toString())) {
          LOG.log(Level.WARNING, "not removing the bundle " + dir + ": something is mounted in it (" + f[4] + ")");
          return;
        }
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read /proc/self/mountinfo; not removing the bundle " + dir, e);
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot remove the bundle " + dir, e);
    }
  }

  private static long readLong(Path file) {
    try {
      return Long.parseLong(Files.readString(file).trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  private static long keyed(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        String[] kv = line.trim().split("\\s+");
        if (kv.length == 2 && kv[0].equals(key)) return Long.parseLong(kv[1]);
      }
    } catch (IOException | NumberFormatException e) {
      // not there
    }
    return 0;
  }
}
