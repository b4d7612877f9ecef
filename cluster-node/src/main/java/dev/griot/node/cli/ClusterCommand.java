package dev.griot.node.cli;

import com.typesafe.config.ConfigFactory;
import dev.griot.deploy.cassandra.CassandraLauncher;
import dev.griot.node.GriotNode;
import dev.griot.node.NodeConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code griot cluster}: a cluster of node JVMs on this machine, for development, demos and
 * failover drills. Node i listens on 127.0.0.i (cluster port 25520) and serves gRPC on
 * 50050 + i; the first two are the seed nodes. Reference: docs/failover.md.
 */
@Command(mixinStandardHelpOptions = true, name = "cluster",
    description = "A cluster of Griot nodes on this machine (127.0.0.1, 127.0.0.2, ...), each its own JVM in the background.",
    subcommands = {ClusterCommand.Up.class, ClusterCommand.Down.class, ClusterCommand.Status.class,
        ClusterCommand.Stop.class, ClusterCommand.Kill.class, ClusterCommand.Start.class})
final class ClusterCommand implements Runnable {

  static final int CLUSTER_PORT = 25520;
  static final int GRPC_BASE = 50050;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  static Path dir() {
    String home = System.getenv("GRIOT_HOME");
    return (home == null || home.isBlank() ? Path.of(System.getProperty("user.home"), ".griot") : Path.of(home)).resolve("cluster");
  }

  static int size() throws IOException {
    Path f = dir().resolve("size");
    if (!Files.exists(f)) throw new IllegalStateException("no local cluster: start one with `griot cluster up`");
    return Integer.parseInt(Files.readString(f).strip());
  }

  static Optional<ProcessHandle> process(int node) throws IOException {
    Path pid = dir().resolve("node-" + node + ".pid");
    if (!Files.exists(pid)) return Optional.empty();
    return ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).filter(ProcessHandle::isAlive);
  }

  /** Starts node {@code node} (1-based) of a cluster of {@code size} in the background. */
  static long startNode(int node, int size, String contactPoint) throws IOException {
    if (process(node).isPresent()) throw new IllegalStateException("node " + node + " already runs");
    List<String> seeds = new ArrayList<>();
    for (int i = 1; i <= Math.min(2, size); i++) seeds.add("127.0.0." + i + ":" + CLUSTER_PORT);
    Map<String, Object> props = Map.of(
        "griot.node.home", dir().resolve("node-" + node).toString(),
        "griot.node.grpc-port", GRPC_BASE + node,
        "griot.node.seed-nodes", String.join(",", seeds),
        "griot.node.apply-schema", false,
        "griot.node.cassandra-contact-point", contactPoint,
        "pekko.remote.artery.canonical.hostname", "127.0.0." + node,
        "pekko.remote.artery.canonical.port", CLUSTER_PORT);
    List<String> cmd = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) cmd.add("/usr/bin/setsid"); // outlives this terminal
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx512m");
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GriotNode.class.getName()));
    Path log = dir().resolve("node-" + node + ".log");
    Files.createDirectories(dir());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    Files.writeString(dir().resolve("node-" + node + ".pid"), Long.toString(p.pid()));
    return p.pid();
  }

  static void checkNode(int node, int size) {
    if (node < 1 || node > size) throw new IllegalArgumentException("no node " + node + " in this cluster of " + size);
  }

  static String cassandra() throws Exception {
    var launcher = CassandraLauncher.fromSystemProperties();
    System.out.println("cassandra: " + launcher.start().describe() + " on " + launcher.host() + ":" + launcher.port());
    return launcher.host() + ":" + launcher.port();
  }

  @Command(mixinStandardHelpOptions = true, name = "up",
      description = "Start a local Cassandra (when none answers), apply the schema once, then N nodes in the background.")
  static final class Up implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3", description = "How many nodes (default ${DEFAULT-VALUE}; 3 or more survive a node's loss).")
    int nodes;

    @Override
    public Integer call() throws Exception {
      if (nodes < 1 || nodes > 9) throw new IllegalArgumentException("--nodes must be between 1 and 9");
      String contactPoint = cassandra();
      GriotNode.applySchema(NodeConfig.load(ConfigFactory.parseMap(Map.of("griot.node.cassandra-contact-point", contactPoint))));
      Files.createDirectories(dir());
      Files.writeString(dir().resolve("size"), Integer.toString(nodes));
      for (int i = 1; i <= nodes; i++)
        System.out.println("node " + i + ": pid " + startNode(i, nodes, contactPoint) + ", cluster 127.0.0." + i + ":"
            + CLUSTER_PORT + ", gRPC 127.0.0.1:" + (GRPC_BASE + i) + ", log " + dir().resolve("node-" + i + ".log"));
      System.out.println("griot: try `./griot run submit --server 127.0.0.1:" + (GRPC_BASE + 1)
          + " --harness scripted -p hello -o turns=20 -o line_delay_ms=500 --watch`, then `./griot cluster kill 1`");
      return 0;
    }
  }

  /** The process of node {@code node}, which must be one of the cluster's and run. */
  static ProcessHandle running(int node) throws Exception {
    checkNode(node, size());
    return process(node).orElseThrow(() -> new IllegalStateException("node " + node + " does not run"));
  }

  /** How long a stopped node gets to hand its attempts back and leave before SIGKILL. */
  static final int STOP_GRACE_SECONDS = 60;

  @Command(mixinStandardHelpOptions = true, name = "down",
      description = "Stop every node (SIGTERM: each hands its runs back at turn boundaries and leaves the cluster), SIGKILL after 60 s.")
  static final class Down implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      int size = size();
      List<ProcessHandle> running = new ArrayList<>();
      for (int i = 1; i <= size; i++) process(i).ifPresent(running::add);
      running.forEach(ProcessHandle::destroy);
      for (ProcessHandle p : running) {
        try {
          p.onExit().get(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          p.destroyForcibly();
        }
      }
      for (int i = 1; i <= size; i++) Files.deleteIfExists(dir().resolve("node-" + i + ".pid"));
      System.out.println("stopped " + running.size() + " node(s)");
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "status", description = "Which nodes run, with their pids and ports.")
  static final class Status implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      int size = size();
      int up = 0;
      for (int i = 1; i <= size; i++) {
        var p = process(i);
        if (p.isPresent()) up++;
        System.out.println("node " + i + ": " + p.map(h -> "running, pid " + h.pid()).orElse("stopped")
            + ", cluster 127.0.0." + i + ":" + CLUSTER_PORT + ", gRPC 127.0.0.1:" + (GRPC_BASE + i));
      }
      return up == size ? 0 : 3;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "stop",
      description = "Stop one node gracefully (SIGTERM), as a rolling restart does: it hands its running attempts back at "
          + "turn boundaries (no failed attempt) and leaves; SIGKILL after 60 s. `cluster start NODE` brings it back.")
  static final class Stop implements Callable<Integer> {
    @Parameters(paramLabel = "NODE", description = "1, 2, ...")
    int node;

    @Override
    public Integer call() throws Exception {
      var p = running(node);
      p.destroy();
      try {
        p.onExit().get(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        System.out.println("node " + node + " (pid " + p.pid() + ") stopped");
      } catch (java.util.concurrent.TimeoutException e) {
        p.destroyForcibly();
        System.out.println("node " + node + " (pid " + p.pid() + ") did not stop within " + STOP_GRACE_SECONDS + " s: killed");
      }
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "kill", description = "SIGKILL one node, like a crashed machine (its runs fail over).")
  static final class Kill implements Callable<Integer> {
    @Parameters(paramLabel = "NODE", description = "1, 2, ...")
    int node;

    @Override
    public Integer call() throws Exception {
      var p = running(node);
      p.destroyForcibly();
      p.onExit().get(30, TimeUnit.SECONDS);
      System.out.println("node " + node + " (pid " + p.pid() + ") killed");
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "start", description = "Start one node again (after kill or a crash); it rejoins.")
  static final class Start implements Callable<Integer> {
    @Parameters(paramLabel = "NODE", description = "1, 2, ...")
    int node;

    @Override
    public Integer call() throws Exception {
      int size = size();
      checkNode(node, size);
      System.out.println("node " + node + ": pid " + startNode(node, size, cassandra()));
      return 0;
    }
  }
}
