package dev.griot.deploy.cassandra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where and how the local development Cassandra runs.
 *
 * <p>Every value can be overridden with a system property (see {@link #fromSystemProperties()}):
 *
 * <table>
 *   <caption>System properties</caption>
 *   <tr><th>property</th><th>default</th></tr>
 *   <tr><td>{@code griot.home}</td><td>{@code $GRIOT_HOME}, else {@code ~/.griot}</td></tr>
 *   <tr><td>{@code griot.cassandra.version}</td><td>{@code 5.0.9}</td></tr>
 *   <tr><td>{@code griot.cassandra.lib-dir}</td><td>{@code <home>/cassandra/<version>/lib}</td></tr>
 *   <tr><td>{@code griot.cassandra.data-dir}</td><td>{@code <home>/cassandra/data}</td></tr>
 *   <tr><td>{@code griot.cassandra.listen-address}</td><td>{@code 127.0.0.1}</td></tr>
 *   <tr><td>{@code griot.cassandra.port}</td><td>{@code 9042} (CQL native protocol)</td></tr>
 *   <tr><td>{@code griot.cassandra.storage-port}</td><td>{@code 7000} (internode)</td></tr>
 *   <tr><td>{@code griot.cassandra.heap}</td><td>{@code 512M}</td></tr>
 *   <tr><td>{@code griot.cassandra.start-timeout}</td><td>{@code 120} (seconds)</td></tr>
 *   <tr><td>{@code griot.cassandra.java-home}</td><td>the running JDK if it is 17, else a JDK 17 under
 *       {@code /usr/lib/jvm}</td></tr>
 * </table>
 *
 * <p>Derived locations: the generated {@code cassandra.yaml} and {@code logback.xml} go to
 * {@code <data-dir>/../conf}, logs to {@code <data-dir>/../logs}, and the pid file to
 * {@code <home>/cassandra/cassandra.pid}.
 *
 * @param home         Griot's home folder
 * @param version      the {@code org.apache.cassandra:cassandra-all} version to run
 * @param libDir       folder holding cassandra-all and its dependencies (never on the app's classpath)
 * @param dataDir      folder holding data, commit log, hints, saved caches and CDC files
 * @param listenAddress address for both internode and CQL traffic
 * @param nativePort   CQL native protocol port
 * @param storagePort  internode port
 * @param heap         JVM heap size, as given to {@code -Xms}/{@code -Xmx} (e.g. {@code 512M})
 * @param startTimeout how long {@link CassandraLauncher#start()} waits for CQL to answer
 * @param javaHome     the JDK to run Cassandra with, when not chosen automatically
 */
public record CassandraSettings(
    Path home,
    String version,
    Path libDir,
    Path dataDir,
    String listenAddress,
    int nativePort,
    int storagePort,
    String heap,
    Duration startTimeout,
    Optional<Path> javaHome) {

  public static final String DEFAULT_VERSION = "5.0.9";

  public CassandraSettings {
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(libDir, "libDir");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(listenAddress, "listenAddress");
    Objects.requireNonNull(heap, "heap");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(javaHome, "javaHome");
    if (!heap.matches("\\d+[kKmMgG]?")) {
      throw new IllegalArgumentException("heap must look like 512M, got: " + heap);
    }
    home = home.toAbsolutePath().normalize();
    libDir = libDir.toAbsolutePath().normalize();
    dataDir = dataDir.toAbsolutePath().normalize();
  }

  /** Settings from the JVM's system properties and {@code $GRIOT_HOME}. */
  public static CassandraSettings fromSystemProperties() {
    return from(System.getProperties()::getProperty, System.getenv());
  }

  /**
   * Settings from the given property lookup and environment (for tests and embedding).
   *
   * @param property system-property style lookup, returning null when unset
   * @param env      environment variables
   */
  public static CassandraSettings from(Function<String, String> property, Map<String, String> env) {
    Path home = Optional.ofNullable(property.apply("griot.home"))
        .or(() -> Optional.ofNullable(env.get("GRIOT_HOME")))
        .filter(s -> !s.isBlank())
        .map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".griot"));
    String version = get(property, "griot.cassandra.version", DEFAULT_VERSION);
    Path libDir = Optional.ofNullable(property.apply("griot.cassandra.lib-dir"))
        .map(Path::of)
        .orElseGet(() -> home.resolve("cassandra").resolve(version).resolve("lib"));
    Path dataDir = Optional.ofNullable(property.apply("griot.cassandra.data-dir"))
        .map(Path::of)
        .orElseGet(() -> home.resolve("cassandra").resolve("data"));
    return new CassandraSettings(
        home,
        version,
        libDir,
        dataDir,
        get(property, "griot.cassandra.listen-address", "127.0.0.1"),
        Integer.parseInt(get(property, "griot.cassandra.port", "9042")),
        Integer.parseInt(get(property, "griot.cassandra.storage-port", "7000")),
        get(property, "griot.cassandra.heap", "512M"),
        Duration.ofSeconds(Long.parseLong(get(property, "griot.cassandra.start-timeout", "120"))),
        Optional.ofNullable(property.apply("griot.cassandra.java-home")).map(Path::of));
  }

  private static String get(Function<String, String> property, String key, String fallback) {
    String value = property.apply(key);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  /** Folder of the generated {@code cassandra.yaml} and {@code logback.xml}. */
  public Path confDir() {
    return dataDir.resolveSibling("conf");
  }

  /** Folder of {@code cassandra.log} and the process's own output {@code cassandra.out}. */
  public Path logDir() {
    return dataDir.resolveSibling("logs");
  }

  /** Cassandra's main log file. */
  public Path logFile() {
    return logDir().resolve("cassandra.log");
  }

  /** Where the launcher records the pid of the Cassandra it started. */
  public Path pidFile() {
    return home.resolve("cassandra").resolve("cassandra.pid");
  }

  /** File locked while fetching or starting, so two JVMs never start two servers. */
  public Path lockFile() {
    return home.resolve("cassandra").resolve("launcher.lock");
  }

  /** The cassandra-all jar whose presence marks a complete lib folder. */
  public Path serverJar() {
    return libDir.resolve("cassandra-all-" + version + ".jar");
  }
}
