package dev.griot.node;

import dev.griot.persistence.testkit.TestCassandra;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Griot nodes in JVMs of their own on one machine, each on its own loopback address (127.0.0.1,
 * 127.0.0.2, ...), joined through the first two as seed nodes, on the shared test Cassandra and one
 * fresh keyspace. A node can be SIGKILLed or stopped (SIGTERM) and started again on the same
 * address.
 */
final class TestCluster implements AutoCloseable {

  final String keyspace;
  final Path home;
  private final List<Map<String, Object>> props = new ArrayList<>();
  private final NodeProcess[] nodes;
  private final int[] incarnations;

  TestCluster(int size, Map<String, Object> extra) throws IOException {
    keyspace = TestCassandra.freshKeyspace("cluster");
    var cassandra = TestCassandra.ensureStarted();
    home = Files.createTempDirectory("griot-cluster");
    nodes = new NodeProcess[size];
    incarnations = new int[size];
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String host = "127.0.0." + (i + 1);
      int port = freePort(host);
      addresses.add(host + ":" + port);
      Map<String, Object> p = new HashMap<>(extra);
      p.put("griot.node.grpc-port", freePort("127.0.0.1"));
      p.put("griot.node.apply-schema", false);
      p.put("griot.node.home", home.resolve("node-" + (i + 1)));
      p.put("griot.node.cassandra-contact-point", cassandra.contactPoint());
      p.put("griot.persistence.keyspace", keyspace);
      p.put("pekko.remote.artery.canonical.hostname", host);
      p.put("pekko.remote.artery.canonical.port", port);
      props.add(p);
    }
    String seeds = String.join(",", addresses.subList(0, Math.min(2, size)));
    props.forEach(p -> p.put("griot.node.seed-nodes", seeds));
  }

  /** Sets one setting of node {@code i} (0-based) for its next start. */
  void set(int i, String key, Object value) {
    props.get(i).put(key, value);
  }

  /** Where node {@code i} notes the harness processes it runs (see OrphanReaper). */
  Path harnessNotes(int i) {
    var p = props.get(i);
    return home.resolve("node-" + (i + 1)).resolve("nodes")
        .resolve(p.get("pekko.remote.artery.canonical.hostname") + "-" + p.get("pekko.remote.artery.canonical.port"))
        .resolve("harnesses");
  }

  /** Starts node {@code i} (0-based), again after a kill. */
  void start(int i) throws IOException {
    incarnations[i]++;
    nodes[i] = NodeProcess.start(props.get(i), home.resolve("node-" + (i + 1) + "." + incarnations[i] + ".log"));
  }

  void startAll() throws IOException {
    for (int i = 0; i < nodes.length; i++) start(i);
  }

  /** SIGKILL, like a crashed machine. */
  void kill(int i) throws InterruptedException {
    nodes[i].kill();
  }

  /** SIGTERM and wait until the JVM ended: a graceful stop, as in a rolling restart. */
  void stop(int i, java.time.Duration within) throws InterruptedException {
    nodes[i].stop(within);
  }

  int grpcPort(int i) {
    return (int) props.get(i).get("griot.node.grpc-port");
  }

  Path log(int i) {
    return nodes[i].log;
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (NodeProcess n : nodes) if (n != null) n.close();
  }
}
