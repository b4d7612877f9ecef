package dev.griot.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Griot node in a JVM of its own (the test JVM's classpath, {@link GriotNode#main}), so a test
 * can SIGKILL it the way a crash would.
 */
final class NodeProcess implements AutoCloseable {
  private final Process process;
  final Path log;

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static NodeProcess start(Map<String, Object> systemProperties, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC"));
    systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GriotNode.class.getName()));
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new NodeProcess(p, log);
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no graceful leave, exactly like a crashed machine. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * SIGTERM, the way Kubernetes or systemd stops a node, and wait for the JVM to end: its
   * coordinated shutdown hands work over and leaves the cluster.
   */
  void stop(java.time.Duration within) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      kill();
      throw new AssertionError("node " + process.pid() + " did not stop within " + within + " after SIGTERM; see " + log);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill();
  }
}
