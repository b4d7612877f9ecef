package dev.griot.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The minimal process sandbox: a plain child process with a clean environment, its workspace as
 * working directory, {@code /dev/null} as stdin, and (when {@code setsid} is available) its own
 * session, so the whole tree can be stopped. It gives no file-system, network or resource
 * isolation yet; bubblewrap and cgroups come with a later sandbox kind.
 *
 * <p>Each started sandbox occupies two threads of {@code executor} (its stdout and stderr
 * readers) for as long as it runs; give it a blocking dispatcher sized for the node's harness
 * slots.
 */
public final class ProcessSandbox implements Sandbox {

  private final ProcessSandboxSettings settings;
  private final Executor executor;
  private final Optional<Path> setsid;
  private final Optional<Path> kill;

  /** A sandbox with the settings of {@link ProcessSandboxSettings#load()}. */
  public ProcessSandbox(Executor executor) {
    this(ProcessSandboxSettings.load(), executor);
  }

  public ProcessSandbox(ProcessSandboxSettings settings, Executor executor) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.executor = Objects.requireNonNull(executor, "executor");
    Path root = Path.of("/");
    Optional<Path> setsidFound = Executables.resolve("setsid", settings.path(), root);
    Optional<Path> killFound = Executables.resolve("kill", settings.path(), root);
    boolean sessions = settings.newSession() && setsidFound.isPresent() && killFound.isPresent();
    this.setsid = sessions ? setsidFound : Optional.empty();
    this.kill = sessions ? killFound : Optional.empty();
  }

  /** Whether sandboxes get their own session, so their process group can be signalled. */
  public boolean usesSessions() {
    return setsid.isPresent();
  }

  @Override
  public SandboxHandle start(SandboxSpec spec, SandboxListener listener) {
    if (spec.egress())
      throw SandboxException.refused("the host sandbox kind offers no egress gateway: use griot.sandbox.kind = process");
    Objects.requireNonNull(listener, "listener");
    Path workspace = spec.workspace().toAbsolutePath().normalize();
    try {
      Files.createDirectories(workspace);
      Files.createDirectories(workspace.resolve(".home"));
    } catch (IOException e) {
      throw new SandboxException("cannot prepare workspace " + workspace, e);
    }
    String program = spec.command().get(0);
    Path executable =
        Executables.resolve(program, settings.path(), workspace)
            .orElseThrow(() -> SandboxException.refused("program not found: " + program));

    List<String> command = new ArrayList<>();
    setsid.ifPresent(s -> command.add(s.toString()));
    command.add(executable.toString());
    command.addAll(spec.command().subList(1, spec.command().size()));

    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workspace.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", settings.path());
    env.put("HOME", workspace.resolve(".home").toString());
    env.put("LANG", settings.lang());
    env.putAll(spec.environment());

    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new SandboxException("cannot start " + spec.command(), e);
    }
    ProcessTree tree = new ProcessTree(process.toHandle(), kill);
    try {
      return ProcessSandboxHandle.start(process, tree, listener, executor);
    } catch (RejectedExecutionException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new SandboxException("no thread to read the output of " + spec.command(), e);
    }
  }
}
