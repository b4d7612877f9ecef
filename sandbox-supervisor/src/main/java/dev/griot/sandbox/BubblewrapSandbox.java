package dev.griot.sandbox;

import dev.griot.sandbox.egress.UnixSocketBridge;
import java.io.File;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code process} sandbox kind: each sandbox runs under bubblewrap ({@code bwrap}) with
 * namespaces of its own, a read-only root holding only system folders, its workspace as the only
 * writable place (besides a private {@code /tmp}), no network unless the spec asks for it, and
 * memory, process and CPU limits through cgroups the node writes (see {@link BubblewrapCommand}
 * and {@link CgroupLimits}).
 *
 * <p>The node starts {@code sh -c '<join the cgroups>; bwrap ...; exit $?'}: the shell writes its
 * own pid into the sandbox's cgroups before it starts bwrap, so every process of the sandbox is
 * counted and limited from its first instruction. The shell also stays bwrap's parent, so bwrap's
 * {@code --die-with-parent} follows a process that lives as long as the sandbox (not the JVM
 * thread that happened to start it).
 *
 * <p>Each started sandbox occupies two threads of {@code executor} (its stdout and stderr readers)
 * for as long as it runs.
 */
public final class BubblewrapSandbox implements Sandbox {

  private final BubblewrapSettings settings;
  private final Executor executor;
  private final Path bwrap;
  private final Path shell;
  private final BubblewrapCommand command;
  private final CgroupLimits cgroups;
  private final Optional<InetSocketAddress> egressGateway;

  /**
   * Finds bwrap and the node's cgroups.
   *
   * @throws SandboxException when bwrap is missing, or the default limits need cgroups the node
   *     cannot write while {@code griot.sandbox.cgroups.required} is on
   */
  public BubblewrapSandbox(BubblewrapSettings settings, Executor executor) {
    this(settings, executor, CgroupLimits.detect(settings.cgroupParent()), Optional.empty());
  }

  /** A sandbox kind whose sandboxes may reach the node's egress gateway at {@code egressGateway}. */
  public BubblewrapSandbox(BubblewrapSettings settings, Executor executor, Optional<InetSocketAddress> egressGateway) {
    this(settings, executor, CgroupLimits.detect(settings.cgroupParent()), egressGateway);
  }

  BubblewrapSandbox(BubblewrapSettings settings, Executor executor, CgroupLimits cgroups) {
    this(settings, executor, cgroups, Optional.empty());
  }

  BubblewrapSandbox(BubblewrapSettings settings, Executor executor, CgroupLimits cgroups, Optional<InetSocketAddress> egressGateway) {
    this.egressGateway = egressGateway;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.executor = Objects.requireNonNull(executor, "executor");
    Path root = Path.of("/");
    this.bwrap = Executables.resolve(settings.program(), settings.path(), root)
        .orElseThrow(() -> new SandboxException(
            "bubblewrap ('" + settings.program() + "') not found on " + settings.path()
                + ": install bubblewrap or set griot.sandbox.kind = host (unsafe: no isolation)"));
    this.shell = Executables.resolve("sh", settings.path(), root)
        .orElseThrow(() -> new SandboxException("sh not found on " + settings.path()));
    this.command = new BubblewrapCommand(bwrap.toString(), settings.systemPaths(), settings.etcPaths());
    this.cgroups = cgroups;
    List<String> missing = cgroups.missingFor(settings.defaultLimits());
    if (!missing.isEmpty() && settings.cgroupsRequired())
      throw new SandboxException(missingMessage(missing));
  }

  /** Where limits are written: "cgroup V1 {memory=..., ...}" or "no cgroups". */
  public String cgroupsDescription() {
    return cgroups.describe();
  }

  @Override
  public SandboxHandle start(SandboxSpec spec, SandboxListener listener) {
    Objects.requireNonNull(listener, "listener");
    Path workspace = spec.workspace().toAbsolutePath().normalize();
    try {
      Files.createDirectories(workspace);
      Files.createDirectories(workspace.resolve(".home"));
    } catch (IOException e) {
      throw new SandboxException("cannot prepare workspace " + workspace, e);
    }
    String program = spec.command().get(0);
    Path executable = Executables.resolve(program, settings.path(), workspace)
        .orElseThrow(() -> SandboxException.refused("program not found: " + program));
    if (!visibleInside(executable, workspace, spec.readOnlyPaths()))
      throw SandboxException.refused("program " + executable + " is not visible in the sandbox: it is neither under "
          + settings.systemPaths() + " nor in the workspace nor among the spec's read-only paths");
    List<String> cmd = new ArrayList<>(spec.command());
    cmd.set(0, executable.toString());
    SandboxSpec resolved = new SandboxSpec(cmd, workspace, spec.environment(), spec.readOnlyPaths(), spec.network(), spec.limits(), spec.egress());
    Optional<UnixSocketBridge> bridge = Optional.empty();
    if (spec.egress()) {
      InetSocketAddress gateway = egressGateway.orElseThrow(() -> SandboxException.refused(
          "the sandbox asks for the egress gateway, and this node has none (griot.sandbox.egress.routes is empty)"));
      String bridgeId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
      bridge = Optional.of(new UnixSocketBridge(
          Path.of(System.getProperty("java.io.tmpdir"), "griot-egress", bridgeId + ".sock"), gateway, executor));
    }
    Optional<Path> egressSocket = bridge.map(UnixSocketBridge::socket);

    Map<String, String> env = new HashMap<>();
    env.put("PATH", settings.path());
    env.put("LANG", settings.lang());
    env.put("HOME", workspace.resolve(".home").toString());
    if (spec.egress()) env.put("GRIOT_EGRESS_URL", BubblewrapCommand.EGRESS_URL);
    env.putAll(spec.environment());
    List<String> bwrapArgv;
    try {
      bwrapArgv = command.argv(resolved, env, BubblewrapSandbox::symlinkTarget, egressSocket);
    } catch (IllegalArgumentException e) {
      bridge.ifPresent(UnixSocketBridge::close);
      throw SandboxException.refused(e.getMessage());
    }

    SandboxLimits limits = spec.limits() == null ? settings.defaultLimits() : spec.limits();
    List<String> missing = cgroups.missingFor(limits);
    if (!missing.isEmpty() && settings.cgroupsRequired()) throw SandboxException.refused(missingMessage(missing));
    String id = "sandbox-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    Optional<CgroupLimits.Group> group = Optional.ofNullable(cgroups.create(id, limits));

    List<String> argv = new ArrayList<>(List.of(shell.toString(), "-c", wrapperScript(group), "griot-sandbox"));
    argv.addAll(bwrapArgv);
    ProcessBuilder builder = new ProcessBuilder(argv)
        .directory(workspace.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().put("PATH", settings.path());
    builder.environment().put("LANG", settings.lang());

    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      group.ifPresent(CgroupLimits.Group::remove);
      bridge.ifPresent(UnixSocketBridge::close);
      throw new SandboxException("cannot start " + spec.command(), e);
    }
    BubblewrapProcesses processes = new BubblewrapProcesses(process.toHandle(), group);
    try {
      SandboxHandle handle = ProcessSandboxHandle.start(process, processes, listener, executor);
      bridge.ifPresent(b -> handle.exit().whenComplete((code, err) -> b.close()));
      return handle;
    } catch (RejectedExecutionException e) {
      processes.killLeftovers();
      bridge.ifPresent(UnixSocketBridge::close);
      throw new SandboxException("no thread to read the output of " + spec.command(), e);
    }
  }

  /**
   * The wrapper: joins the cgroups (exit 125 when it cannot), runs bwrap as a child (the trailing
   * {@code exit} keeps the shell from replacing itself with it) and exits with bwrap's status.
   */
  static String wrapperScript(Optional<CgroupLimits.Group> group) {
    StringBuilder s = new StringBuilder();
    for (Path procs : group.map(CgroupLimits.Group::procsFiles).orElse(List.of())) {
      s.append("echo $$ > ").append(quote(procs.toString())).append(" || exit 125; ");
    }
    return s.append("\"$@\"; exit $?").toString();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private boolean visibleInside(Path executable, Path workspace, List<Path> readOnly) {
    if (executable.startsWith(workspace)) return true;
    for (Path p : readOnly) if (executable.startsWith(p.toAbsolutePath().normalize())) return true;
    for (String s : settings.systemPaths()) {
      Path sys = Path.of(s);
      if (executable.startsWith(sys)) return true;
    }
    return false;
  }

  private static Optional<Path> symlinkTarget(Path p) {
    try {
      return Files.isSymbolicLink(p) ? Optional.of(Files.readSymbolicLink(p)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private String missingMessage(List<String> missing) {
    return "sandbox limits need the cgroup controllers " + missing + ", which this node cannot write ("
        + cgroups.describe() + "); run the node as a user that may create cgroups, set the matching "
        + "griot.sandbox.limits to 0, or set griot.sandbox.cgroups.required = off to run without them";
  }
}
