package dev.griot.sandbox;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Signals the JDK cannot send ({@code STOP}, {@code CONT}) to a set of processes, through the
 * {@code kill} program. Blocks for that program: call it off actor threads.
 */
final class Signals {

  private static final System.Logger LOG = System.getLogger(Signals.class.getName());
  private static final Optional<Path> KILL = Executables.resolve("kill", "/usr/bin:/bin", Path.of("/"));

  private Signals() {}

  /** Sends {@code signal} to every one of {@code pids}; false when it could not be sent at all. */
  static boolean send(String signal, Collection<Long> pids) {
    if (pids.isEmpty()) return true;
    if (KILL.isEmpty()) return false;
    List<String> cmd = new ArrayList<>(List.of(KILL.get().toString(), "-" + signal, "--"));
    pids.forEach(pid -> cmd.add(Long.toString(pid)));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return true; // status 1 only says some process had ended already
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not send SIG" + signal, e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
