package dev.griot.sandbox;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The cgroups a node creates for its sandboxes, one per sandbox and controller, under the node's
 * own cgroup: {@code <controller mount>/<own path>/<parent>/<sandbox id>}.
 *
 * <ul>
 *   <li><b>v1</b> (a hierarchy per controller): {@code memory.limit_in_bytes} (and {@code
 *       memory.memsw.limit_in_bytes} when present, so swap is no way out), {@code pids.max},
 *       {@code cpu.cfs_quota_us}/{@code cpu.cfs_period_us}; the processes are killed one by one
 *       until the cgroups are empty.
 *   <li><b>v2</b> (one unified hierarchy with controllers): {@code memory.max} (and {@code
 *       memory.swap.max = 0}), {@code pids.max}, {@code cpu.max}; killed at once with {@code
 *       cgroup.kill}. The controllers are enabled in {@code cgroup.subtree_control} of the node's
 *       cgroup and of {@code <parent>}; when the node's cgroup holds processes (v2 forbids
 *       controllers there), the node's processes are first moved into a leaf {@code
 *       <own path>/griot-node}.
 * </ul>
 *
 * Each controller is used only where the node can create cgroups; {@link #controllers()} says
 * which.
 */
final class CgroupLimits {

  private static final System.Logger LOG = System.getLogger(CgroupLimits.class.getName());

  static final String MEMORY = "memory";
  static final String PIDS = "pids";
  static final String CPU = "cpu";
  /** v1 only (v2 freezes any cgroup through {@code cgroup.freeze}): pauses a sandbox for a checkpoint. */
  static final String FREEZER = "freezer";
  /** How long a freeze may take before it is given up (the sandbox is thawed again). */
  private static final long FREEZE_TIMEOUT_MILLIS = 2_000;
  static final long CPU_PERIOD_US = 100_000;

  enum Version {
    V1,
    V2,
    NONE
  }

  private final Version version;
  /** Per usable controller, the folder under which sandbox cgroups are created ({@code .../<parent>}). */
  private final Map<String, Path> parents;

  private CgroupLimits(Version version, Map<String, Path> parents) {
    this.version = version;
    this.parents = Map.copyOf(parents);
  }

  /** No cgroups at all: sandboxes run without limits. */
  static CgroupLimits none() {
    return new CgroupLimits(Version.NONE, Map.of());
  }

  /**
   * Finds this process's cgroups from {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}
   * and prepares {@code <own>/<parentName>} in each controller it may write; removes the empty
   * sandbox cgroups a previous incarnation of a node left there.
   */
  static CgroupLimits detect(String parentName) {
    try {
      List<String> mountinfo = Files.readAllLines(Path.of("/proc/self/mountinfo"));
      List<String> own = Files.readAllLines(Path.of("/proc/self/cgroup"));
      Map<String, Path> v1 = v1Dirs(mountinfo, own);
      if (!v1.isEmpty()) {
        Map<String, Path> parents = new LinkedHashMap<>();
        v1.forEach((controller, dir) -> prepare(dir.resolve(parentName)).ifPresent(p -> parents.put(controller, p)));
        return new CgroupLimits(parents.isEmpty() ? Version.NONE : Version.V1, parents);
      }
      Optional<Path> v2 = v2Dir(mountinfo, own);
      if (v2.isPresent()) {
        Set<String> available = controllersOf(v2.get());
        available.retainAll(Set.of(MEMORY, PIDS, CPU));
        if (!available.isEmpty()) {
          Optional<Path> parent = prepareV2(v2.get(), parentName, available);
          if (parent.isPresent()) {
            Set<String> enabled = controllersOf(parent.get());
            enabled.retainAll(available);
            Map<String, Path> parents = new LinkedHashMap<>();
            for (String c : enabled) parents.put(c, parent.get());
            if (!parents.isEmpty()) return new CgroupLimits(Version.V2, parents);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot find this process's cgroups; sandboxes get no limits", e);
    }
    return none();
  }

  Version version() {
    return version;
  }

  /** The controllers sandboxes can be limited by. */
  Set<String> controllers() {
    return parents.keySet();
  }

  /** The controllers {@code limits} needs that are not available here. */
  List<String> missingFor(SandboxLimits limits) {
    List<String> missing = new ArrayList<>();
    if (limits.memoryBytes() > 0 && !parents.containsKey(MEMORY)) missing.add(MEMORY);
    if (limits.pids() > 0 && !parents.containsKey(PIDS)) missing.add(PIDS);
    if (limits.cpuMillis() > 0 && !parents.containsKey(CPU)) missing.add(CPU);
    return missing;
  }

  String describe() {
    return version == Version.NONE ? "no cgroups" : "cgroup " + version + " " + parents;
  }

  /**
   * Creates the cgroups of sandbox {@code id} in every available controller (so its processes can
   * be found and killed even without limits) and writes {@code limits} into them.
   */
  Group create(String id, SandboxLimits limits) {
    if (version == Version.NONE) return null;
    Map<String, Path> dirs = new LinkedHashMap<>();
    try {
      for (var e : parents.entrySet()) {
        Path dir = e.getValue().resolve(id);
        if (!dirs.containsValue(dir)) Files.createDirectory(dir);
        dirs.put(e.getKey(), dir);
      }
      Group group = new Group(version, dirs);
      group.write(limits);
      return group;
    } catch (IOException | RuntimeException e) {
      new Group(version, dirs).remove();
      throw new SandboxException("cannot create the cgroups of sandbox " + id + ": " + e.getMessage(), e);
    }
  }

  /** The cgroups of one sandbox. */
  static final class Group {

    private final Version version;
    private final Map<String, Path> dirs;

    private Group(Version version, Map<String, Path> dirs) {
      this.version = version;
      this.dirs = Map.copyOf(dirs);
    }

    /** The {@code cgroup.procs} files a process must join, one per distinct cgroup. */
    List<Path> procsFiles() {
      return distinctDirs().stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    private List<Path> distinctDirs() {
      return List.copyOf(new LinkedHashSet<>(dirs.values()));
    }

    private void write(SandboxLimits limits) throws IOException {
      if (version == Version.V1) {
        if (limits.memoryBytes() > 0) {
          Path m = dirs.get(MEMORY);
          writeFile(m.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
          Path memsw = m.resolve("memory.memsw.limit_in_bytes");
          if (Files.exists(memsw)) writeFile(memsw, Long.toString(limits.memoryBytes()));
        }
        if (limits.pids() > 0) writeFile(dirs.get(PIDS).resolve("pids.max"), Long.toString(limits.pids()));
        if (limits.cpuMillis() > 0) {
          Path c = dirs.get(CPU);
          writeFile(c.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_US));
          writeFile(c.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros(limits.cpuMillis())));
        }
      } else {
        if (limits.memoryBytes() > 0) {
          Path m = dirs.get(MEMORY);
          writeFile(m.resolve("memory.max"), Long.toString(limits.memoryBytes()));
          Path swap = m.resolve("memory.swap.max");
          if (Files.exists(swap)) writeFile(swap, "0");
        }
        if (limits.pids() > 0) writeFile(dirs.get(PIDS).resolve("pids.max"), Long.toString(limits.pids()));
        if (limits.cpuMillis() > 0)
          writeFile(dirs.get(CPU).resolve("cpu.max"), quotaMicros(limits.cpuMillis()) + " " + CPU_PERIOD_US);
      }
    }

    /** Every process in the sandbox's cgroups (host pids). */
    Set<Long> pids() {
      Set<Long> pids = new LinkedHashSet<>();
      for (Path procs : procsFiles()) {
        try {
          for (String line : Files.readAllLines(procs)) {
            if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
          }
        } catch (NoSuchFileException e) {
          // removed already
        } catch (IOException e) {
          LOG.log(Level.DEBUG, "cannot read " + procs, e);
        }
      }
      return pids;
    }

    /**
     * Freezes every process of the sandbox ({@code freezer.state} on v1, {@code cgroup.freeze} on
     * v2) and waits until the kernel says they all are: one file write instead of a signal per
     * process, and a process forked meanwhile is frozen too. False (and nothing stays frozen) where
     * there is no freezer or the freeze did not complete in time.
     */
    boolean freeze() {
      Optional<Path> control = freezeControl();
      if (control.isEmpty()) return false;
      try {
        writeFile(control.get(), version == Version.V1 ? "FROZEN" : "1");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FREEZE_TIMEOUT_MILLIS);
        while (!frozen()) {
          if (System.nanoTime() > deadline) {
            LOG.log(Level.WARNING, "freezing " + control.get().getParent() + " took more than " + FREEZE_TIMEOUT_MILLIS + " ms; thawed");
            thaw();
            return false;
          }
          TimeUnit.MICROSECONDS.sleep(200);
        }
        return true;
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "cannot freeze " + control.get(), e);
        thaw();
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        thaw();
        return false;
      }
    }

    /** Lets the processes of a frozen sandbox go on; harmless when it is not frozen. */
    void thaw() {
      freezeControl().ifPresent(control -> {
        try {
          writeFile(control, version == Version.V1 ? "THAWED" : "0");
        } catch (IOException e) {
          LOG.log(Level.DEBUG, "cannot thaw " + control, e);
        }
      });
    }

    /** Whether this sandbox can be frozen: a v1 freezer cgroup, or any v2 cgroup of a recent kernel. */
    boolean canFreeze() {
      return freezeControl().isPresent();
    }

    private Optional<Path> freezeControl() {
      Path control = version == Version.V1
          ? (dirs.containsKey(FREEZER) ? dirs.get(FREEZER).resolve("freezer.state") : null)
          : distinctDirs().isEmpty() ? null : distinctDirs().get(0).resolve("cgroup.freeze");
      return control != null && Files.exists(control) ? Optional.of(control) : Optional.empty();
    }

    private boolean frozen() throws IOException {
      if (version == Version.V1) return Files.readString(dirs.get(FREEZER).resolve("freezer.state")).trim().equals("FROZEN");
      return keyed(distinctDirs().get(0).resolve("cgroup.events"), "frozen") == 1;
    }

    /**
     * SIGKILL to every process in the cgroups: {@code cgroup.kill} on v2, one by one on v1. A
     * frozen sandbox is thawed first (v1 delivers no signal, not even SIGKILL, to frozen tasks).
     */
    void killAll() {
      thaw();
      if (version == Version.V2) {
        for (Path d : distinctDirs()) {
          Path kill = d.resolve("cgroup.kill");
          try {
            if (Files.exists(kill)) {
              writeFile(kill, "1");
              continue;
            }
          } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot write " + kill, e);
          }
        }
      }
      for (long pid : pids()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /**
     * Kills until no process is left, waiting at most {@code timeoutMillis}.
     *
     * @return whether the cgroups are empty
     */
    boolean killAllAndAwaitEmpty(long timeoutMillis) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (true) {
        Set<Long> left = pids();
        if (left.isEmpty()) return true;
        killAll();
        for (long pid : left) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) return pids().isEmpty();
          Optional<ProcessHandle> p = ProcessHandle.of(pid);
          if (p.isEmpty()) continue;
          try {
            p.get().onExit().get(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return pids().isEmpty();
          } catch (Exception e) {
            // still there (or a zombie): look again
          }
        }
      }
    }

    /** What the limits did, read from the cgroups' counters. */
    LimitEvents events() {
      long failures = 0;
      long oomKills = 0;
      long forks = 0;
      Path m = dirs.get(MEMORY);
      Path p = dirs.get(PIDS);
      if (version == Version.V1) {
        if (m != null) {
          failures = Math.max(readLong(m.resolve("memory.failcnt")), readLong(m.resolve("memory.memsw.failcnt")));
          oomKills = keyed(m.resolve("memory.oom_control"), "oom_kill");
        }
      } else if (m != null) {
        failures = keyed(m.resolve("memory.events"), "max");
        oomKills = keyed(m.resolve("memory.events"), "oom_kill");
      }
      if (p != null) forks = keyed(p.resolve("pids.events"), "max");
      return new LimitEvents(failures, oomKills, forks);
    }

    /** Removes the cgroups once empty; true when all are gone. */
    boolean remove() {
      boolean all = true;
      for (Path d : distinctDirs()) {
        boolean gone = false;
        for (int i = 0; i < 50 && !gone; i++) {
          try {
            Files.deleteIfExists(d);
            gone = true;
          } catch (IOException e) {
            // EBUSY while the last exiting task leaves the cgroup
            try {
              TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
              break;
            }
          }
        }
        if (!gone) {
          LOG.log(Level.WARNING, "cannot remove cgroup " + d);
          all = false;
        }
      }
      return all;
    }

    /** The cgroup folders (for tests and diagnostics). */
    List<Path> dirs() {
      return distinctDirs();
    }
  }

  static long quotaMicros(long cpuMillis) {
    return Math.max(1000, cpuMillis * CPU_PERIOD_US / 1000);
  }

  /**
   * Thaws the cgroup of process {@code pid} where it is frozen: a harness left behind by a node
   * killed while it paused the harness for a checkpoint stays frozen, and a frozen process does
   * not even die of SIGKILL. Best effort; harmless for a process that is not frozen.
   */
  static void thawCgroupOf(long pid) {
    try {
      List<String> mountinfo = Files.readAllLines(Path.of("/proc/self/mountinfo"));
      List<String> cgroup = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"));
      Path v1 = v1Dirs(mountinfo, cgroup).get(FREEZER);
      if (v1 != null && Files.exists(v1.resolve("freezer.state"))) writeFile(v1.resolve("freezer.state"), "THAWED");
      Optional<Path> v2 = v2Dir(mountinfo, cgroup);
      if (v2.isPresent() && Files.exists(v2.get().resolve("cgroup.freeze"))) writeFile(v2.get().resolve("cgroup.freeze"), "0");
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "cannot thaw the cgroup of " + pid, e);
    }
  }

  // --- detection, pure parts ---

  /**
   * For each of memory, pids, cpu and freezer mounted as a v1 hierarchy, the folder of this
   * process's own cgroup in it.
   */
  static Map<String, Path> v1Dirs(List<String> mountinfo, List<String> procSelfCgroup) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (String controller : List.of(MEMORY, PIDS, CPU, FREEZER)) {
      for (String line : mountinfo) {
        Mount m = Mount.parse(line);
        if (m == null || !m.fsType.equals("cgroup") || !m.superOptions.contains(controller)) continue;
        ownPath(procSelfCgroup, controller).ifPresent(own -> dirs.put(controller, m.dirOf(own)));
        break;
      }
    }
    return dirs;
  }

  /** The folder of this process's own cgroup in the unified (v2) hierarchy, when one is mounted. */
  static Optional<Path> v2Dir(List<String> mountinfo, List<String> procSelfCgroup) {
    Optional<String> own = procSelfCgroup.stream()
        .filter(l -> l.startsWith("0::"))
        .map(l -> l.substring(3))
        .findFirst();
    if (own.isEmpty()) return Optional.empty();
    Mount best = null;
    for (String line : mountinfo) {
      Mount m = Mount.parse(line);
      if (m == null || !m.fsType.equals("cgroup2")) continue;
      if (m.mountPoint.equals(Path.of("/sys/fs/cgroup")) || best == null) best = m;
    }
    return best == null ? Optional.empty() : Optional.of(best.dirOf(own.get()));
  }

  private static Optional<String> ownPath(List<String> procSelfCgroup, String controller) {
    for (String line : procSelfCgroup) {
      String[] f = line.split(":", 3);
      if (f.length == 3 && Arrays.asList(f[1].split(",")).contains(controller)) return Optional.of(f[2]);
    }
    return Optional.empty();
  }

  /** One line of {@code /proc/self/mountinfo}. */
  private record Mount(String root, Path mountPoint, String fsType, Set<String> superOptions) {

    static Mount parse(String line) {
      int sep = line.indexOf(" - ");
      if (sep < 0) return null;
      String[] pre = line.substring(0, sep).split(" ");
      String[] post = line.substring(sep + 3).split(" ");
      if (pre.length < 5 || post.length < 3) return null;
      return new Mount(unescape(pre[3]), Path.of(unescape(pre[4])), post[0],
          Set.of(post[2].split(",")));
    }

    /** Where cgroup {@code path} (as in /proc/self/cgroup) lies under this mount. */
    Path dirOf(String path) {
      String rel = path;
      if (!root.equals("/") && (path.equals(root) || path.startsWith(root + "/"))) rel = path.substring(root.length());
      rel = rel.replaceFirst("^/+", "");
      return rel.isEmpty() ? mountPoint : mountPoint.resolve(rel);
    }

    private static String unescape(String s) {
      return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
  }

  // --- file system ---

  /** Creates {@code dir} and removes empty sandbox cgroups left in it; empty when not writable. */
  private static Optional<Path> prepare(Path dir) {
    try {
      Files.createDirectories(dir);
      if (!Files.isWritable(dir.resolve("cgroup.procs"))) return Optional.empty();
      removeEmptyChildren(dir);
      return Optional.of(dir);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.DEBUG, "cannot use cgroup folder " + dir, e);
      return Optional.empty();
    }
  }

  private static void removeEmptyChildren(Path dir) throws IOException {
    try (var children = Files.list(dir)) {
      for (Path c : children.filter(Files::isDirectory).toList()) {
        try {
          Files.delete(c); // fails unless empty of processes and child cgroups
        } catch (IOException busy) {
          // another node's running sandbox, or a leftover still running: leave it
        }
      }
    }
  }

  private static Optional<Path> prepareV2(Path own, String parentName, Set<String> controllers) throws IOException {
    String enable = controllers.stream().map(c -> "+" + c).collect(Collectors.joining(" "));
    try {
      writeFile(own.resolve("cgroup.subtree_control"), enable);
    } catch (IOException busy) {
      // v2 forbids controllers for children of a cgroup that holds processes: move ours to a leaf
      Path leaf = own.resolve("griot-node");
      Files.createDirectories(leaf);
      for (String pid : Files.readAllLines(own.resolve("cgroup.procs"))) {
        if (pid.isBlank()) continue;
        try {
          writeFile(leaf.resolve("cgroup.procs"), pid.trim());
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
      try {
        writeFile(own.resolve("cgroup.subtree_control"), enable);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot enable " + enable + " in " + own + "; sandboxes get no limits", e);
        return Optional.empty();
      }
    }
    Optional<Path> parent = prepare(own.resolve(parentName));
    if (parent.isPresent()) {
      try {
        writeFile(parent.get().resolve("cgroup.subtree_control"), enable);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot enable " + enable + " in " + parent.get(), e);
        return Optional.empty();
      }
    }
    return parent;
  }

  private static Set<String> controllersOf(Path cgroup) {
    try {
      return new LinkedHashSet<>(Arrays.asList(Files.readString(cgroup.resolve("cgroup.controllers")).trim().split("\\s+")));
    } catch (IOException e) {
      return new LinkedHashSet<>();
    }
  }

  private static void writeFile(Path file, String value) throws IOException {
    Files.write(file, value.getBytes(StandardCharsets.US_ASCII));
  }

  private static long readLong(Path file) {
    try {
      return Long.parseLong(Files.readString(file).trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /** The value of {@code key} in a flat-keyed file ({@code key value} per line). */
  private static long keyed(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        String[] kv = line.trim().split("\\s+");
        if (kv.length == 2 && kv[0].equals(key)) return Long.parseLong(kv[1]);
      }
    } catch (IOException | NumberFormatException e) {
      // not there
    }
    return 0;
  }
}
