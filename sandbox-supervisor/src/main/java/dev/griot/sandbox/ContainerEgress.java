package dev.griot.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The egress gateway inside a container: an OCI {@code createRuntime} hook starts the host's socat
 * in the container's network namespace (and nothing else of it), listening on the container's
 * loopback at {@link BubblewrapCommand#EGRESS_PORT} and forwarding to the sandbox's unix socket
 * bridge. The hook waits until socat listens, so the harness finds the port from its first
 * instruction; the container's rootfs needs no socat. Once the container is gone, {@link #stop}
 * ends socat, which would otherwise hold the network namespace alive.
 */
final class ContainerEgress {

  /** The file in the bundle where the hook notes socat's pid. */
  static final String PID_FILE = "egress.pid";

  /** The host programs the hook runs. */
  record Tools(Path nsenter, Path socat) {}

  private static final String SCRIPT = String.join("\n",
      "pid=$(sed -n 's/.*\"pid\": *\\([0-9][0-9]*\\).*/\\1/p' | head -n 1)",
      "[ -n \"$pid\" ] || { echo 'egress: no container pid in the state' >&2; exit 1; }",
      "\"$1\" --net=/proc/$pid/ns/net \"$2\" TCP-LISTEN:" + BubblewrapCommand.EGRESS_PORT
          + ",bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:\"$3\" </dev/null >/dev/null 2>&1 &",
      "echo $! > \"$4\"",
      "i=0",
      "until grep -q ':" + String.format("%04X", BubblewrapCommand.EGRESS_PORT) + " 00000000:0000 0A' /proc/$pid/net/tcp; do",
      "  i=$((i+1)); [ $i -gt 500 ] && { echo 'egress: socat did not start' >&2; exit 1; }; sleep 0.01",
      "done");

  private ContainerEgress() {}

  /** The hook: {@code /bin/sh -c SCRIPT griot-egress <nsenter> <socat> <socket> <pid file>}. */
  static List<String> hook(Tools tools, Path socket, Path pidFile) {
    return List.of("/bin/sh", "sh", "-c", SCRIPT, "griot-egress",
        tools.nsenter().toString(), tools.socat().toString(), socket.toString(), pidFile.toString());
  }

  /** Ends the socat the hook started (and the connections it forked), if it did. */
  static void stop(Path pidFile) {
    try {
      if (!Files.exists(pidFile)) return;
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      ProcessHandle.of(pid).ifPresent(p -> {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      });
    } catch (IOException | NumberFormatException e) {
      System.getLogger(ContainerEgress.class.getName()).log(System.Logger.Level.WARNING,
          "cannot stop the egress socat of " + pidFile.getParent() + ": " + e);
    }
  }
}
