package dev.griot.deploy.cassandra;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Resolves {@code org.apache.cassandra:cassandra-all} and all its dependencies from Maven Central
 * into the lib folder, with the {@code mvn} on the PATH.
 *
 * <p>A tiny pom depending on cassandra-all is written to a temporary folder and
 * {@code mvn dependency:copy-dependencies} copies the server jar and its about 100 dependencies
 * into a sibling of the lib folder, which is then renamed to the lib folder in one atomic move:
 * a killed fetch never leaves a half-filled lib folder.
 */
final class CassandraFetch {

  private static final String POM_TEMPLATE = "fetch-pom.xml";
  private static final long MVN_TIMEOUT_MINUTES = 30;

  private CassandraFetch() {}

  /** Whether the lib folder already holds the server jar (it is only ever moved in complete). */
  static boolean isFetched(CassandraSettings settings) {
    return Files.isRegularFile(settings.serverJar());
  }

  /** Fetches the jars unless present; returns whether it fetched. */
  static boolean fetch(CassandraSettings settings) {
    if (isFetched(settings)) {
      return false;
    }
    Path mvn = findMvn().orElseThrow(() -> new CassandraLauncherException(
        "Fetching Cassandra " + settings.version() + " needs Maven: no 'mvn' on the PATH. "
            + "Install Maven (e.g. apt-get install maven) or fill " + settings.libDir()
            + " with cassandra-all-" + settings.version() + ".jar and its dependencies."));
    Path parent = settings.libDir().getParent();
    Path work = null;
    try {
      Files.createDirectories(parent);
      deleteLeftovers(parent);
      work = Files.createTempDirectory(parent, ".fetch-");
      Path pom = work.resolve("pom.xml");
      Path jars = work.resolve("lib");
      Files.writeString(pom, pomText(settings.version()));
      runMvn(mvn, pom, jars, work.resolve("mvn.log"));
      if (!Files.isRegularFile(jars.resolve(settings.serverJar().getFileName()))) {
        throw new CassandraLauncherException("mvn finished but " + settings.serverJar().getFileName()
            + " is missing from " + jars + "; see " + work.resolve("mvn.log"));
      }
      moveIntoPlace(jars, settings);
      return true;
    } catch (IOException e) {
      throw new CassandraLauncherException("Fetching Cassandra into " + settings.libDir() + " failed: " + e, e);
    } finally {
      if (work != null && isFetched(settings)) {
        deleteRecursively(work); // on failure it stays, with its mvn.log, until the next fetch
      }
    }
  }

  static String pomText(String version) {
    try (InputStream in = CassandraFetch.class.getResourceAsStream(POM_TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + POM_TEMPLATE + " missing from the deploy jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("${griot.cassandra.version}", version);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void runMvn(Path mvn, Path pom, Path jars, Path log) throws IOException {
    List<String> command = List.of(
        mvn.toString(), "-q", "-B", "-f", pom.toString(),
        "dependency:copy-dependencies", "-DoutputDirectory=" + jars);
    Process process = new ProcessBuilder(command)
        .directory(pom.getParent().toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    try {
      if (!process.waitFor(MVN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new CassandraLauncherException("mvn did not finish within " + MVN_TIMEOUT_MINUTES
            + " minutes: " + String.join(" ", command) + "; see " + log);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CassandraLauncherException("interrupted while fetching Cassandra", e);
    }
    if (process.exitValue() != 0) {
      throw new CassandraLauncherException("mvn failed (exit " + process.exitValue() + "): "
          + String.join(" ", command) + "\n" + LogTail.of(log, 30));
    }
  }

  private static void moveIntoPlace(Path jars, CassandraSettings settings) throws IOException {
    Path libDir = settings.libDir();
    if (Files.exists(libDir)) {
      if (isFetched(settings)) {
        return; // another fetch finished first
      }
      // a folder without the server jar (made by hand, or by another version's layout): set aside
      Path stale = libDir.resolveSibling(libDir.getFileName() + ".stale-" + System.nanoTime());
      Files.move(libDir, stale, StandardCopyOption.ATOMIC_MOVE);
      deleteRecursively(stale);
    }
    try {
      Files.move(jars, libDir, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new CassandraLauncherException("cannot move " + jars + " to " + libDir + " atomically", e);
    }
  }

  /** Removes temporary folders left by fetches that were killed. */
  private static void deleteLeftovers(Path parent) throws IOException {
    try (Stream<Path> files = Files.list(parent)) {
      files.filter(f -> f.getFileName().toString().startsWith(".fetch-")).forEach(CassandraFetch::deleteRecursively);
    }
  }

  /** The first executable {@code mvn} on the PATH. */
  static Optional<Path> findMvn() {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, "mvn"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a leftover temporary folder is harmless
    }
  }
}
