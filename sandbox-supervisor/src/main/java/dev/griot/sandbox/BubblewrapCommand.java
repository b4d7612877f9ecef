package dev.griot.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds the {@code bwrap} command line of a sandbox; pure (the host's symbolic links come in as
 * a function).
 *
 * <p>The sandbox gets: every namespace of its own ({@code --unshare-all}: mount, pid, net, ipc,
 * uts, cgroup, user where possible), no capabilities, its own session, a clean environment, and
 * dies with its parent. Its root is an empty file system made read-only at the end, holding only
 * the system folders, the configured files of {@code /etc}, a fresh {@code /proc}, a minimal
 * {@code /dev}, a private {@code /tmp}, the workspace (read-write, at the same path) and the
 * spec's read-only paths. Without {@link SandboxSpec#network()} its only network is a loopback of
 * its own.
 *
 * @param program the {@code bwrap} executable
 * @param systemPaths folders bound read-only where they exist (symbolic links recreated)
 * @param etcPaths further files bound read-only where they exist
 */
record BubblewrapCommand(String program, List<String> systemPaths, List<String> etcPaths) {

  BubblewrapCommand {
    systemPaths = List.copyOf(systemPaths);
    etcPaths = List.copyOf(etcPaths);
  }

  /**
   * The full command line.
   *
   * @param spec what to run; its workspace absolute and normalized, its program resolved
   * @param env the complete environment of the sandboxed program
   * @param symlinkTarget the target of a host path that is a symbolic link, empty otherwise
   * @throws IllegalArgumentException when a read-only path would expose {@code /} or the
   *     workspace's surroundings
   */
  List<String> argv(SandboxSpec spec, Map<String, String> env, Function<Path, Optional<Path>> symlinkTarget) {
    Path workspace = spec.workspace();
    if (!workspace.isAbsolute()) throw new IllegalArgumentException("workspace must be absolute: " + workspace);
    List<String> a = new ArrayList<>(List.of(program, "--unshare-all"));
    if (spec.network()) a.add("--share-net");
    a.addAll(List.of("--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv"));

    List<Path> boundDirs = new ArrayList<>();
    for (String s : systemPaths) {
      Path p = Path.of(s);
      Optional<Path> link = symlinkTarget.apply(p);
      if (link.isPresent()) {
        a.addAll(List.of("--symlink", link.get().toString(), s));
      } else {
        a.addAll(List.of("--ro-bind-try", s, s));
        boundDirs.add(p);
      }
    }
    for (String e : etcPaths) a.addAll(List.of("--ro-bind-try", e, e));
    a.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
    a.addAll(List.of("--bind", workspace.toString(), workspace.toString()));
    for (Path p : spec.readOnlyPaths()) {
      Path n = p.toAbsolutePath().normalize();
      if (n.getNameCount() == 0 || workspace.startsWith(n) && !workspace.equals(n))
        throw new IllegalArgumentException("read-only path " + p + " would expose more than the workspace");
      if (n.equals(workspace) || boundDirs.stream().anyMatch(n::startsWith)) continue;
      a.addAll(List.of("--ro-bind-try", n.toString(), n.toString()));
    }
    a.addAll(List.of("--remount-ro", "/"));
    new TreeMap<>(env).forEach((k, v) -> a.addAll(List.of("--setenv", k, v)));
    a.addAll(List.of("--chdir", workspace.toString(), "--"));
    a.addAll(spec.command());
    return List.copyOf(a);
  }
}
