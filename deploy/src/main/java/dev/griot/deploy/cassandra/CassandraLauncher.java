package dev.griot.deploy.cassandra;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the local development Cassandra: fetches the server jars from Maven Central, starts
 * {@code CassandraDaemon} in its own detached JDK 17 JVM, waits for CQL, stops it.
 *
 * <p>The server outlives the JVM that started it: it is shared by every test JVM of a build and
 * by {@code griot up}. {@link #start()} reuses any CQL server already answering on the port, and a
 * file lock ({@link CassandraSettings#lockFile()}) makes sure two JVMs never start two servers.
 * Everything else (folders, ports, heap) comes from {@link CassandraSettings}.
 */
public final class CassandraLauncher {

  private static final System.Logger LOG = System.getLogger(CassandraLauncher.class.getName());
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final int LOG_TAIL_LINES = 40;
  /** Serialises launchers within one JVM; the file lock does it across JVMs. */
  private static final ReentrantLock IN_JVM_LOCK = new ReentrantLock();

  private final CassandraSettings settings;

  /** A launcher for the given settings. */
  public CassandraLauncher(CassandraSettings settings) {
    this.settings = settings;
  }

  /** A launcher configured from system properties (see {@link CassandraSettings}). */
  public static CassandraLauncher fromSystemProperties() {
    return new CassandraLauncher(CassandraSettings.fromSystemProperties());
  }

  /** The settings this launcher uses. */
  public CassandraSettings settings() {
    return settings;
  }

  /** The CQL contact host. */
  public String host() {
    return settings.listenAddress();
  }

  /** The CQL port. */
  public int port() {
    return settings.nativePort();
  }

  /** Whether a CQL server answers on the configured address and port. */
  public boolean isAnswering() {
    return CqlPing.answers(host(), port(), PING_TIMEOUT);
  }

  /**
   * Resolves cassandra-all and its dependencies into the lib folder unless they are there.
   *
   * @return whether it fetched (false: the jars were already present)
   * @throws CassandraLauncherException if {@code mvn} is not on the PATH or resolution fails
   */
  public boolean fetch() {
    if (CassandraFetch.isFetched(settings)) {
      return false;
    }
    return withLock(() -> {
      long begin = System.nanoTime();
      LOG.log(Level.INFO, "Fetching Cassandra {0} and its dependencies into {1}", settings.version(), settings.libDir());
      boolean fetched = CassandraFetch.fetch(settings);
      if (fetched) {
        LOG.log(Level.INFO, "Fetched Cassandra in {0} ms", String.valueOf(elapsedMillis(begin)));
      }
      return fetched;
    });
  }

  /**
   * Makes CQL answer on the configured port: reuses a server that already answers, else fetches
   * the jars if needed, starts a detached server and waits for it (up to
   * {@link CassandraSettings#startTimeout()}).
   *
   * @throws CassandraLauncherException if the server dies or does not answer in time; the message
   *     holds the tail of its log
   */
  public StartResult start() {
    long begin = System.nanoTime();
    if (isAnswering()) {
      return new StartResult(StartResult.Outcome.ALREADY_RUNNING, livePid(), Duration.ZERO);
    }
    return withLock(() -> {
      if (isAnswering()) {
        return new StartResult(StartResult.Outcome.ALREADY_RUNNING, livePid(), elapsed(begin));
      }
      OptionalLong booting = livePid();
      if (booting.isPresent()) {
        // started by a launcher that gave up waiting, or whose JVM ended: wait for that one
        Optional<ProcessHandle> handle = ProcessHandle.of(booting.getAsLong());
        awaitCql(handle.orElseThrow(), begin);
        return new StartResult(StartResult.Outcome.ALREADY_RUNNING, booting, elapsed(begin));
      }
      CassandraFetch.fetch(settings);
      ProcessHandle process = launch();
      awaitCql(process, begin);
      LOG.log(Level.INFO, "Cassandra (pid {0}) answers CQL on {1}:{2} after {3} ms",
          String.valueOf(process.pid()), host(), String.valueOf(port()), String.valueOf(elapsedMillis(begin)));
      return new StartResult(StartResult.Outcome.STARTED, OptionalLong.of(process.pid()), elapsed(begin));
    });
  }

  /**
   * Stops the server this launcher started (the pid file's): SIGTERM, up to 30 s grace, then kill.
   *
   * @return whether a process was stopped
   */
  public boolean stop() {
    return withLock(() -> {
      OptionalLong pid = readPid();
      if (pid.isEmpty()) {
        if (isAnswering()) {
          LOG.log(Level.WARNING, "A CQL server answers on {0}:{1} but has no pid file {2}: not started by this launcher",
              host(), String.valueOf(port()), settings.pidFile());
        }
        return false;
      }
      Optional<ProcessHandle> handle = ProcessHandle.of(pid.getAsLong()).filter(this::isOurServer);
      boolean stopped = false;
      if (handle.isPresent()) {
        ProcessHandle process = handle.get();
        process.destroy();
        if (!awaitExit(process, STOP_GRACE)) {
          LOG.log(Level.WARNING, "Cassandra (pid {0}) ignored SIGTERM for {1} s; killing it",
              process.pid(), STOP_GRACE.toSeconds());
          process.destroyForcibly();
          awaitExit(process, Duration.ofSeconds(10));
        }
        stopped = true;
      }
      deletePidFile();
      return stopped;
    });
  }

  /** Whether CQL answers, the recorded pid and whether it lives, the port and folders. */
  public CassandraStatus status() {
    OptionalLong pid = readPid();
    boolean alive = pid.isPresent()
        && ProcessHandle.of(pid.getAsLong()).filter(this::isOurServer).map(ProcessHandle::isAlive).orElse(false);
    return new CassandraStatus(isAnswering(), pid, alive, host(), port(), settings.dataDir(), settings.logFile());
  }

  // --- starting ---

  private ProcessHandle launch() {
    try {
      Path conf = settings.confDir();
      Files.createDirectories(conf.resolve("triggers"));
      Files.createDirectories(settings.logDir());
      Path data = settings.dataDir();
      for (String dir : List.of("data", "commitlog", "saved_caches", "hints", "cdc_raw")) {
        Files.createDirectories(data.resolve(dir));
      }
      Path yaml = writeAtomically(conf.resolve("cassandra.yaml"), CassandraYaml.render(settings));
      Path logback = writeAtomically(conf.resolve("logback.xml"), resource("logback.xml"));
      Path java = CassandraJvm.javaExecutable(settings);
      List<String> command = new ArrayList<>();
      setsid().ifPresent(setsid -> command.add(setsid.toString()));
      command.addAll(CassandraJvm.command(settings, java, yaml, logback));
      Path out = settings.logDir().resolve("cassandra.out");
      LOG.log(Level.INFO, "Starting Cassandra {0} on {1}:{2} (data {3}, log {4})",
          settings.version(), host(), String.valueOf(port()), data, settings.logFile());
      Process process = new ProcessBuilder(command)
          .directory(settings.logDir().toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      writeAtomically(settings.pidFile(), Long.toString(process.pid()) + "\n");
      return process.toHandle();
    } catch (IOException e) {
      throw new CassandraLauncherException("Cannot start Cassandra: " + e, e);
    }
  }

  private void awaitCql(ProcessHandle process, long beginNanos) {
    long deadline = beginNanos + settings.startTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      if (isAnswering()) {
        return;
      }
      if (!process.isAlive()) {
        deletePidFile();
        throw new CassandraLauncherException("Cassandra (pid " + process.pid() + ") exited before CQL answered on "
            + host() + ":" + port() + "\n" + logTails());
      }
      pause(POLL_INTERVAL);
    }
    throw new CassandraLauncherException("Cassandra (pid " + process.pid() + ") did not answer CQL on " + host() + ":"
        + port() + " within " + settings.startTimeout().toSeconds() + " s (griot.cassandra.start-timeout); "
        + "it is left running\n" + logTails());
  }

  private String logTails() {
    return LogTail.of(settings.logFile(), LOG_TAIL_LINES) + "\n"
        + LogTail.of(settings.logDir().resolve("cassandra.out"), LOG_TAIL_LINES / 2);
  }

  /** util-linux {@code setsid}: puts the server in its own session so a Ctrl-C of the build spares it. */
  private static Optional<Path> setsid() {
    return List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")).stream()
        .filter(Files::isExecutable)
        .findFirst();
  }

  // --- pid file ---

  private OptionalLong readPid() {
    try {
      if (!Files.isRegularFile(settings.pidFile())) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(Long.parseLong(Files.readString(settings.pidFile()).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The recorded pid if that process is alive and is a Cassandra server. */
  private OptionalLong livePid() {
    OptionalLong pid = readPid();
    if (pid.isPresent() && ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive).filter(this::isOurServer)
        .isPresent()) {
      return pid;
    }
    return OptionalLong.empty();
  }

  /** Guards against a recycled pid: the process must run CassandraDaemon (when the OS says). */
  private boolean isOurServer(ProcessHandle process) {
    return process.info().arguments()
        .map(args -> List.of(args).contains(CassandraJvm.MAIN_CLASS))
        .orElse(true);
  }

  private void deletePidFile() {
    try {
      Files.deleteIfExists(settings.pidFile());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Cannot delete {0}: {1}", settings.pidFile(), e);
    }
  }

  // --- helpers ---

  private interface Step<T> {
    T run();
  }

  /** Runs {@code step} holding the in-JVM lock and the file lock in griot.home. */
  private <T> T withLock(Step<T> step) {
    IN_JVM_LOCK.lock();
    try {
      Files.createDirectories(settings.lockFile().getParent());
      try (FileChannel channel = FileChannel.open(settings.lockFile(),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock ignored = channel.lock()) {
        return step.run();
      }
    } catch (IOException e) {
      throw new CassandraLauncherException("Cannot lock " + settings.lockFile() + ": " + e, e);
    } finally {
      IN_JVM_LOCK.unlock();
    }
  }

  private static Path writeAtomically(Path target, String text) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String resource(String name) {
    try (InputStream in = CassandraLauncher.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " missing from the deploy jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CassandraLauncherException("interrupted while stopping Cassandra", e);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CassandraLauncherException("interrupted while waiting for Cassandra", e);
    }
  }

  private static Duration elapsed(long beginNanos) {
    return Duration.ofNanos(System.nanoTime() - beginNanos);
  }

  private static long elapsedMillis(long beginNanos) {
    return elapsed(beginNanos).toMillis();
  }
}
