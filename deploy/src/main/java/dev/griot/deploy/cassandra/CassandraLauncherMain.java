package dev.griot.deploy.cassandra;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Command line for the development Cassandra:
 * {@code java -cp deploy/target/classes dev.griot.deploy.cassandra.CassandraLauncherMain fetch|start|stop|status}.
 *
 * <p>Settings come from system properties ({@code -Dgriot.cassandra.port=9142} etc., see
 * {@link CassandraSettings}). Exit status 0 on success; {@code status} exits 0 when CQL answers
 * and 3 when it does not; usage errors exit 2 and failures 1.
 */
public final class CassandraLauncherMain {

  private CassandraLauncherMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one subcommand and returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 1) {
      err.println("usage: CassandraLauncherMain fetch|start|stop|status");
      return 2;
    }
    CassandraLauncher launcher = CassandraLauncher.fromSystemProperties();
    try {
      switch (args[0].toLowerCase(Locale.ROOT)) {
        case "fetch" -> {
          long begin = System.nanoTime();
          boolean fetched = launcher.fetch();
          out.println(fetched
              ? "fetched Cassandra " + launcher.settings().version() + " into " + launcher.settings().libDir()
                  + " in " + (System.nanoTime() - begin) / 1_000_000 + " ms"
              : "already fetched: " + launcher.settings().libDir());
          return 0;
        }
        case "start" -> {
          StartResult result = launcher.start();
          out.println("cassandra " + result.describe() + ", CQL on " + launcher.host() + ":" + launcher.port());
          return 0;
        }
        case "stop" -> {
          out.println(launcher.stop() ? "stopped" : "not running (no live process in " + launcher.settings().pidFile() + ")");
          return 0;
        }
        case "status" -> {
          CassandraStatus status = launcher.status();
          out.println(status.describe());
          return status.answering() ? 0 : 3;
        }
        default -> {
          err.println("unknown subcommand '" + args[0] + "'; usage: CassandraLauncherMain fetch|start|stop|status");
          return 2;
        }
      }
    } catch (CassandraLauncherException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
