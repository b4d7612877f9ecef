package dev.griot.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An OCI runtime bundle ({@code config.json} and a root folder) for one {@link RuncSandbox}
 * container, generated from a rootfs folder that is never written to.
 *
 * <p><b>Layout.</b> The container's root is a per-sandbox <em>skeleton</em> folder inside the
 * bundle ({@code <bundle>/rootfs}), read-only in the container. Each top-level entry of the source
 * rootfs appears in it: a folder or file as a read-only bind mount of the source's, a symbolic
 * link ({@code bin -> usr/bin}) as the same link. Since the skeleton belongs to the sandbox, runc
 * may create mount points in it (runc creates them before it makes the root read-only), so the
 * source rootfs stays untouched and may itself be read-only. On top: a fresh {@code /proc}, a
 * minimal {@code /dev} (tmpfs, with {@code pts}, {@code shm}, {@code mqueue}), {@code /sys}
 * read-only, a private {@code /tmp} (tmpfs), the workspace read-write at {@link #WORKSPACE}
 * (the working directory; {@code HOME} is {@code /griot/workspace/.home}), and each of the
 * spec's read-only paths at its own path.
 *
 * <p><b>Isolation.</b> New pid, network (only a loopback; none when the spec asks for the host's
 * network), ipc, uts, mount and cgroup namespaces; no capabilities at all, {@code
 * noNewPrivileges}; the user and group owning the workspace; runc's default masked and read-only
 * {@code /proc} and {@code /sys} paths; no device but runc's defaults ({@code null}, {@code zero},
 * {@code full}, {@code random}, {@code urandom}, {@code tty}, {@code ptmx}); limits as {@code
 * linux.resources} (memory, pids, CPU quota) in the cgroup {@code cgroupsPath}.
 *
 * <p>{@link #config} is pure: it builds the JSON from what {@link #create} found on disk.
 */
public final class OciBundle {

  /** Where the workspace is inside the container (its working directory). */
  public static final String WORKSPACE = SandboxSpec.SANDBOX_WORKSPACE;
  /** The container's {@code HOME}. */
  public static final String HOME = WORKSPACE + "/.home";
  /** Folders of the source rootfs the container gets fresh instances of instead. */
  static final Set<String> RESERVED = Set.of("proc", "dev", "sys", "tmp", "griot");

  static final List<String> MASKED_PATHS = List.of(
      "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
      "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware");
  static final List<String> READONLY_PATHS = List.of(
      "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private OciBundle() {}

  /** A top-level entry of the source rootfs: a folder or file (bound), or a symbolic link (recreated). */
  public record RootEntry(String name, String linkTarget) {
    public RootEntry {
      Objects.requireNonNull(name, "name");
    }

    static RootEntry bound(String name) {
      return new RootEntry(name, null);
    }

    static RootEntry link(String name, String target) {
      return new RootEntry(name, target);
    }

    boolean isLink() {
      return linkTarget != null;
    }
  }

  /**
   * What the container runs and with what.
   *
   * @param command the program (looked up on the container's {@code PATH} when it has no slash)
   *     and its arguments
   * @param environment the complete environment of the process
   * @param workspace the host folder bound at {@link #WORKSPACE}
   * @param readOnlyPaths host paths bound read-only at the same path
   * @param network share the host's network (no network namespace of its own)
   * @param limits the limits (0 = none)
   * @param uid the user the process runs as
   * @param gid its group
   * @param cgroupsPath the container's cgroup, relative to the runtime's own cgroup
   * @param swapLimit also write the memory+swap limit (v1 {@code memory.memsw}), so swap is no way out
   * @param createRuntimeHook the absolute path of a program, then its argv ({@code argv[0]} first), the runtime runs
   *     on the host once the container's namespaces exist and before its process starts, with the
   *     container's state (its pid) on standard input; empty for none
   */
  public record Params(
      List<String> command,
      Map<String, String> environment,
      Path workspace,
      List<Path> readOnlyPaths,
      boolean network,
      SandboxLimits limits,
      long uid,
      long gid,
      String cgroupsPath,
      boolean swapLimit,
      List<String> createRuntimeHook) {
    /** Parameters without a hook. */
    public Params(List<String> command, Map<String, String> environment, Path workspace, List<Path> readOnlyPaths,
        boolean network, SandboxLimits limits, long uid, long gid, String cgroupsPath, boolean swapLimit) {
      this(command, environment, workspace, readOnlyPaths, network, limits, uid, gid, cgroupsPath, swapLimit, List.of());
    }

    public Params {
      createRuntimeHook = List.copyOf(createRuntimeHook);
      command = List.copyOf(command);
      environment = Map.copyOf(environment);
      Objects.requireNonNull(workspace, "workspace");
      readOnlyPaths = List.copyOf(readOnlyPaths);
      Objects.requireNonNull(limits, "limits");
      Objects.requireNonNull(cgroupsPath, "cgroupsPath");
    }
  }

  /**
   * Creates the bundle in the empty folder {@code bundle}: the skeleton root {@code
   * bundle/rootfs} (its folders and links) and {@code bundle/config.json}.
   *
   * @throws SandboxException when the rootfs is missing, or a read-only path cannot be placed
   */
  public static Path create(Path bundle, Path sourceRootfs, Params params) {
    List<RootEntry> entries = entries(sourceRootfs);
    ObjectNode config = config(sourceRootfs, entries, params);
    Path skeleton = bundle.resolve("rootfs");
    try {
      Files.createDirectories(skeleton);
      for (RootEntry e : entries) {
        if (e.isLink()) Files.createSymbolicLink(skeleton.resolve(e.name()), Path.of(e.linkTarget()));
        else if (Files.isDirectory(sourceRootfs.resolve(e.name()))) Files.createDirectory(skeleton.resolve(e.name()));
        else Files.createFile(skeleton.resolve(e.name()));
      }
      Path file = bundle.resolve("config.json");
      JSON.writeValue(file.toFile(), config);
      return file;
    } catch (IOException e) {
      throw new SandboxException("cannot write the OCI bundle in " + bundle + ": " + e.getMessage(), e);
    }
  }

  /** The top-level entries of {@code rootfs}, sorted, without {@link #RESERVED} ones. */
  static List<RootEntry> entries(Path rootfs) {
    if (!Files.isDirectory(rootfs))
      throw new SandboxException("container rootfs " + rootfs + " does not exist or is not a folder "
          + "(griot.sandbox.container.rootfs)");
    List<RootEntry> entries = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(rootfs)) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        if (RESERVED.contains(name)) continue;
        if (Files.isSymbolicLink(p)) entries.add(RootEntry.link(name, Files.readSymbolicLink(p).toString()));
        else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          entries.add(RootEntry.bound(name));
      }
    } catch (IOException e) {
      throw new SandboxException("cannot read the container rootfs " + rootfs + ": " + e.getMessage(), e);
    }
    entries.sort(Comparator.comparing(RootEntry::name));
    return entries;
  }

  /**
   * The {@code config.json} of a container on the skeleton of {@code sourceRootfs} (whose
   * top-level entries are {@code entries}).
   *
   * @throws SandboxException when a read-only path is {@code /}, holds the workspace, or would
   *     need a mount point inside a folder of the rootfs or a reserved folder
   */
  public static ObjectNode config(Path sourceRootfs, List<RootEntry> entries, Params p) {
    ObjectNode root = JSON.createObjectNode();
    root.put("ociVersion", "1.0.2");

    ObjectNode process = root.putObject("process");
    process.put("terminal", false);
    ObjectNode user = process.putObject("user");
    user.put("uid", p.uid());
    user.put("gid", p.gid());
    ArrayNode args = process.putArray("args");
    p.command().forEach(args::add);
    ArrayNode env = process.putArray("env");
    new TreeMap<>(p.environment()).forEach((k, v) -> env.add(k + "=" + v));
    process.put("cwd", WORKSPACE);
    ObjectNode caps = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "inheritable", "permitted", "ambient")) caps.putArray(set);
    ArrayNode rlimits = process.putArray("rlimits");
    ObjectNode nofile = rlimits.addObject();
    nofile.put("type", "RLIMIT_NOFILE");
    nofile.put("hard", 1024);
    nofile.put("soft", 1024);
    process.put("noNewPrivileges", true);

    ObjectNode rootfs = root.putObject("root");
    rootfs.put("path", "rootfs");
    rootfs.put("readonly", true);
    root.put("hostname", "griot");
    if (!p.createRuntimeHook().isEmpty()) {
      ObjectNode hook = root.putObject("hooks").putArray("createRuntime").addObject();
      hook.put("path", p.createRuntimeHook().get(0));
      ArrayNode hookArgs = hook.putArray("args");
      p.createRuntimeHook().subList(1, p.createRuntimeHook().size()).forEach(hookArgs::add);
    }

    ArrayNode mounts = root.putArray("mounts");
    mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
    mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
    mount(mounts, "/dev/pts", "devpts", "devpts",
        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
    mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
    if (p.network()) mount(mounts, "/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro"));
    else mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
    mount(mounts, "/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777"));
    for (RootEntry e : entries) {
      if (e.isLink()) continue;
      mount(mounts, "/" + e.name(), "bind", sourceRootfs.resolve(e.name()).toString(),
          List.of("rbind", "ro", "nosuid", "nodev"));
    }
    mount(mounts, WORKSPACE, "bind", p.workspace().toString(), List.of("rbind", "rw", "nosuid", "nodev"));
    Set<String> bound = new java.util.HashSet<>();
    for (RootEntry e : entries) bound.add(e.name());
    List<Path> readOnly = new ArrayList<>();
    for (Path ro : p.readOnlyPaths()) readOnly.add(checkReadOnly(ro.toAbsolutePath().normalize(), p.workspace(), bound));
    readOnly.sort(Comparator.comparing(Path::getNameCount));
    for (Path ro : readOnly)
      mount(mounts, ro.toString(), "bind", ro.toString(), List.of("rbind", "ro", "nosuid", "nodev"));

    ObjectNode linux = root.putObject("linux");
    ArrayNode ns = linux.putArray("namespaces");
    for (String type : List.of("pid", "network", "ipc", "uts", "mount", "cgroup")) {
      if (type.equals("network") && p.network()) continue;
      ns.addObject().put("type", type);
    }
    linux.put("cgroupsPath", p.cgroupsPath());
    ObjectNode resources = linux.putObject("resources");
    ObjectNode deny = resources.putArray("devices").addObject();
    deny.put("allow", false);
    deny.put("access", "rwm");
    SandboxLimits l = p.limits();
    if (l.memoryBytes() > 0) {
      ObjectNode memory = resources.putObject("memory");
      memory.put("limit", l.memoryBytes());
      if (p.swapLimit()) memory.put("swap", l.memoryBytes());
    }
    if (l.pids() > 0) resources.putObject("pids").put("limit", l.pids());
    if (l.cpuMillis() > 0) {
      ObjectNode cpu = resources.putObject("cpu");
      cpu.put("quota", CgroupLimits.quotaMicros(l.cpuMillis()));
      cpu.put("period", CgroupLimits.CPU_PERIOD_US);
    }
    ArrayNode masked = linux.putArray("maskedPaths");
    MASKED_PATHS.forEach(masked::add);
    ArrayNode readonly = linux.putArray("readonlyPaths");
    READONLY_PATHS.forEach(readonly::add);
    return root;
  }

  /** The JSON text of {@link #config}. */
  public static String json(ObjectNode config) {
    try {
      return JSON.writeValueAsString(config);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path checkReadOnly(Path ro, Path workspace, Set<String> bound) {
    if (ro.getNameCount() == 0) throw SandboxException.refused("read-only path / would expose the whole host");
    if (workspace.toAbsolutePath().normalize().startsWith(ro))
      throw SandboxException.refused("read-only path " + ro + " holds the workspace " + workspace);
    String top = ro.getName(0).toString();
    if (bound.contains(top) || (RESERVED.contains(top) && !top.equals("tmp")))
      throw SandboxException.refused("read-only path " + ro + " cannot be bound in a container: /" + top
          + " belongs to the container's rootfs (the container kind binds host paths only outside the image's"
          + " own top-level folders, or under /tmp)");
    return ro;
  }

  private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> options) {
    ObjectNode m = mounts.addObject();
    m.put("destination", destination);
    m.put("type", type);
    m.put("source", source);
    ArrayNode o = m.putArray("options");
    options.forEach(o::add);
  }
}
