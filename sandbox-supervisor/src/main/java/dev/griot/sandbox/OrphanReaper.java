package dev.griot.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Remembers, in a folder of its own, which harness processes a node started, so that the node's
 * next incarnation can end those its SIGKILLed predecessor left behind: a harness in its own
 * session outlives a killed JVM, and would otherwise go on beside the run's next attempt, in the
 * same workspace. Each file is named for a pid and holds the process's start time, so a pid the
 * system has since given to another process is never touched.
 */
public final class OrphanReaper {

  private final Path dir;
  private final Optional<Path> groupKill;

  public OrphanReaper(Path dir, ProcessSandboxSettings settings) {
    this.dir = dir;
    this.groupKill = Executables.resolve("kill", settings.path(), Path.of("/"));
  }

  /** Notes a started harness. Blocking file I/O: call it off actor threads. */
  public void started(long pid) {
    ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).ifPresent(start -> {
      try {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(Long.toString(pid)), start.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Forgets a harness that has exited. */
  public void ended(long pid) {
    try {
      Files.deleteIfExists(dir.resolve(Long.toString(pid)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Kills every noted harness that still runs (with its process group and descendants) and
   * forgets them all; to be called before the node starts new harnesses.
   *
   * @return the pids it killed
   */
  public List<Long> reapAll() {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> files = Files.list(dir)) {
      return files.flatMap(f -> reap(f).stream()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<Long> reap(Path file) {
    try {
      long pid = Long.parseLong(file.getFileName().toString());
      Instant noted = Instant.parse(Files.readString(file).trim());
      Optional<ProcessHandle> alive = ProcessHandle.of(pid)
          .filter(p -> p.info().startInstant().map(noted::equals).orElse(false));
      alive.ifPresent(p -> {
        CgroupLimits.thawCgroupOf(pid); // its node may have died while it was frozen for a checkpoint
        new ProcessTree(p, groupKill).terminate(java.time.Duration.ZERO, Runnable::run);
      });
      Files.deleteIfExists(file);
      return alive.map(p -> pid);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a file we cannot remove is reaped again next time
      }
      return Optional.empty();
    }
  }
}
