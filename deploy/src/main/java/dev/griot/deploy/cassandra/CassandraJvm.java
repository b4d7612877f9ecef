package dev.griot.deploy.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JDK and the command line that run Cassandra in its own JVM.
 *
 * <p>Cassandra 5.0 does not start on JDK 24+ (no Security Manager), so it runs on a JDK 17: the
 * current one if it is 17, else one found under {@code /usr/lib/jvm}, unless
 * {@code griot.cassandra.java-home} names one.
 */
public final class CassandraJvm {

  /** The main class started in the server JVM. */
  public static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";

  /** The module flags of Cassandra 5.0's {@code conf/jvm17-server.options} (JPMS section). */
  static final List<String> JDK17_MODULE_FLAGS = List.of(
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
      "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
      "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED");

  /** System properties for a fast single node (no gossip settling, no ring delay). */
  static final List<String> SINGLE_NODE_PROPERTIES = List.of(
      "-Dcassandra-foreground=yes",
      "-Dcassandra.skip_wait_for_gossip_to_settle=0",
      "-Dcassandra.ring_delay_ms=100",
      "-Dcassandra.superuser_setup_delay_ms=0",
      "-Dcassandra.initial_token=0",
      "-Djdk.attach.allowAttachSelf=true",
      "-Dio.netty.tryReflectionSetAccessible=true",
      "-Dio.netty.allocator.useCacheForAllThreads=true",
      "-Dio.netty.allocator.maxOrder=11");

  private static final Path JVM_DIR = Path.of("/usr/lib/jvm");

  private CassandraJvm() {}

  /**
   * The {@code java} executable to run Cassandra with.
   *
   * @throws CassandraLauncherException when the current JDK is newer than 17 and no JDK 17 is found
   */
  public static Path javaExecutable(CassandraSettings settings) {
    if (settings.javaHome().isPresent()) {
      return settings.javaHome().get().resolve("bin").resolve("java");
    }
    if (Runtime.version().feature() <= 17) {
      return Path.of(System.getProperty("java.home"), "bin", "java");
    }
    return findJdk17(JVM_DIR)
        .map(home -> home.resolve("bin").resolve("java"))
        .orElseThrow(() -> new CassandraLauncherException(
            "Cassandra " + settings.version() + " needs JDK 17 but this JVM is "
                + Runtime.version().feature() + " and no JDK 17 was found under " + JVM_DIR
                + "; set -Dgriot.cassandra.java-home=<jdk17>"));
  }

  /** A JDK 17 home directly under {@code dir}, e.g. {@code /usr/lib/jvm/java-17-openjdk-amd64}. */
  static Optional<Path> findJdk17(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(dir)) {
      return homes
          .filter(home -> home.getFileName().toString().matches(".*(?<![0-9])17(?![0-9]).*"))
          .filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
          .sorted(Comparator.comparing(Path::toString))
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The full command line: java, heap, module flags, properties, class path and main class. */
  public static List<String> command(CassandraSettings settings, Path java, Path yaml, Path logbackXml) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Xms" + settings.heap());
    command.add("-Xmx" + settings.heap());
    command.add("-XX:+UseG1GC");
    command.add("-XX:+ParallelRefProcEnabled");
    command.add("-XX:MaxTenuringThreshold=1");
    command.add("-XX:+HeapDumpOnOutOfMemoryError");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-XX:HeapDumpPath=" + settings.logDir());
    command.add("-Xss512k");
    command.addAll(JDK17_MODULE_FLAGS);
    command.addAll(SINGLE_NODE_PROPERTIES);
    command.add("-Dcassandra.config=" + yaml.toUri());
    command.add("-Dcassandra.storagedir=" + settings.dataDir());
    command.add("-Dcassandra.logdir=" + settings.logDir());
    command.add("-Dcassandra.triggers_dir=" + settings.confDir().resolve("triggers"));
    command.add("-Dlogback.configurationFile=" + logbackXml);
    command.add("-Dgriot.cassandra.log-file=" + settings.logFile());
    command.add("-cp");
    command.add(settings.libDir().resolve("*").toString());
    command.add(MAIN_CLASS);
    return List.copyOf(command);
  }
}
