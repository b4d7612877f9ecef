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
 * {@code /dev}, a private {@code /tmp}, the workspace (read-write, at {@code /griot/workspace}
 * whatever its host path: arguments and environment values naming the host path are rewritten)
 * and the
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
    return argv(spec, env, symlinkTarget, Optional.empty());
  }

  /** Where the egress gateway's socket is inside a sandbox, and the port it is offered on. */
  static final String EGRESS_SOCKET = "/tmp/griot-egress.sock";
  static final int EGRESS_PORT = 8080;
  static final String EGRESS_URL = "http://127.0.0.1:" + EGRESS_PORT;

  /**
   * Before the program: socat offers the egress socket as an ordinary HTTP port on the sandbox's
   * own loopback, and the program starts once that port listens (0A: LISTEN in /proc/net/tcp).
   */
  static final String EGRESS_SCRIPT = "socat TCP-LISTEN:" + EGRESS_PORT + ",bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:"
      + EGRESS_SOCKET + " & i=0; until grep -q ':" + String.format("%04X", EGRESS_PORT) + " 00000000:0000 0A' /proc/net/tcp;"
      + " do i=$((i+1)); [ $i -gt 500 ] && { echo 'egress: socat did not start' >&2; exit 125; }; sleep 0.01; done; \"$@\"";

  /** The command line, with the egress socket (on the host) bound in when the spec asks for it. */
  List<String> argv(SandboxSpec spec, Map<String, String> env, Function<Path, Optional<Path>> symlinkTarget,
      Optional<Path> egressSocket) {
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
    egressSocket.ifPresent(sock -> a.addAll(List.of("--ro-bind", sock.toString(), EGRESS_SOCKET)));
    a.addAll(List.of("--bind", workspace.toString(), SandboxSpec.SANDBOX_WORKSPACE));
    for (Path p : spec.readOnlyPaths()) {
      Path n = p.toAbsolutePath().normalize();
      if (n.getNameCount() == 0 || workspace.startsWith(n) && !workspace.equals(n))
        throw new IllegalArgumentException("read-only path " + p + " would expose more than the workspace");
      if (n.equals(workspace) || boundDirs.stream().anyMatch(n::startsWith)) continue;
      a.addAll(List.of("--ro-bind-try", n.toString(), n.toString()));
    }
    a.addAll(List.of("--remount-ro", "/"));
    new TreeMap<>(env).forEach((k, v) ->
        a.addAll(List.of("--setenv", k, SandboxSpec.pathInside(v, workspace, SandboxSpec.SANDBOX_WORKSPACE))));
    a.addAll(List.of("--chdir", SandboxSpec.SANDBOX_WORKSPACE, "--"));
    if (egressSocket.isPresent()) a.addAll(List.of("/bin/sh", "-c", EGRESS_SCRIPT, "griot-egress"));
    for (String arg : spec.command()) a.add(SandboxSpec.pathInside(arg, workspace, SandboxSpec.SANDBOX_WORKSPACE));
    return List.copyOf(a);
  }
}
