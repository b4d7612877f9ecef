package dev.griot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated OCI config, without a runtime. */
class OciBundleTest {

  private static final Path ROOTFS = Path.of("/images/busybox");
  private static final Path WS = Path.of("/var/griot/workspaces/run-1");
  private static final List<OciBundle.RootEntry> ENTRIES = List.of(
      OciBundle.RootEntry.bound("bin"), OciBundle.RootEntry.bound("etc"), OciBundle.RootEntry.link("lib", "usr/lib"),
      OciBundle.RootEntry.bound("usr"));

  private static OciBundle.Params params(boolean network, SandboxLimits limits, List<Path> readOnly) {
    return new OciBundle.Params(List.of("sh", "-c", "echo hi"), Map.of("PATH", "/bin", "HOME", OciBundle.HOME, "A", "1"),
        WS, readOnly, network, limits, 1000, 1001, "griot/griot-abc", true);
  }

  private static JsonNode config(OciBundle.Params p) throws Exception {
    // through the text, as runc reads it
    return new ObjectMapper().readTree(OciBundle.json(OciBundle.config(ROOTFS, ENTRIES, p)));
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static Map<String, JsonNode> mounts(JsonNode c) {
    return StreamSupport.stream(c.get("mounts").spliterator(), false)
        .collect(Collectors.toMap(m -> m.get("destination").asText(), m -> m, (a, b) -> b, java.util.LinkedHashMap::new));
  }

  @Test
  void processRunsTheCommandInTheWorkspaceWithNoCapabilities() throws Exception {
    JsonNode c = config(params(false, SandboxLimits.NONE, List.of()));
    JsonNode p = c.get("process");
    assertEquals(List.of("sh", "-c", "echo hi"), texts(p.get("args")));
    assertEquals(List.of("A=1", "HOME=/griot/workspace/.home", "PATH=/bin"), texts(p.get("env")));
    assertEquals("/griot/workspace", p.get("cwd").asText());
    assertFalse(p.get("terminal").asBoolean());
    assertTrue(p.get("noNewPrivileges").asBoolean());
    assertEquals(1000, p.get("user").get("uid").asLong());
    assertEquals(1001, p.get("user").get("gid").asLong());
    for (String set : List.of("bounding", "effective", "inheritable", "permitted", "ambient"))
      assertEquals(0, p.get("capabilities").get(set).size(), set);
  }

  @Test
  void rootIsReadOnlyAndOnlyTheWorkspaceIsBoundWritable() throws Exception {
    JsonNode c = config(params(false, SandboxLimits.NONE, List.of()));
    assertEquals("rootfs", c.get("root").get("path").asText());
    assertTrue(c.get("root").get("readonly").asBoolean());
    Map<String, JsonNode> m = mounts(c);
    assertEquals(List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/tmp", "/bin", "/etc", "/usr",
        "/griot/workspace"), new ArrayList<>(m.keySet()));
    assertEquals(WS.toString(), m.get("/griot/workspace").get("source").asText());
    assertTrue(texts(m.get("/griot/workspace").get("options")).contains("rw"));
    for (String d : List.of("/bin", "/etc", "/usr")) {
      assertEquals("bind", m.get(d).get("type").asText());
      assertEquals(ROOTFS + d, m.get(d).get("source").asText());
      assertTrue(texts(m.get(d).get("options")).contains("ro"), d);
    }
    assertTrue(texts(m.get("/sys").get("options")).contains("ro"));
    assertEquals("tmpfs", m.get("/tmp").get("type").asText());
    assertTrue(texts(c.get("linux").get("maskedPaths")).containsAll(List.of("/proc/kcore", "/proc/keys", "/sys/firmware")));
    assertTrue(texts(c.get("linux").get("readonlyPaths")).containsAll(List.of("/proc/sys", "/proc/sysrq-trigger")));
  }

  @Test
  void ownNamespacesIncludingTheNetworkUnlessTheSpecSharesTheHosts() throws Exception {
    JsonNode isolated = config(params(false, SandboxLimits.NONE, List.of()));
    assertEquals(Set.of("pid", "network", "ipc", "uts", "mount", "cgroup"), namespaces(isolated));
    JsonNode shared = config(params(true, SandboxLimits.NONE, List.of()));
    assertEquals(Set.of("pid", "ipc", "uts", "mount", "cgroup"), namespaces(shared));
    // sysfs cannot be mounted without a network namespace of one's own: the host's is bound read-only
    assertEquals("none", mounts(shared).get("/sys").get("type").asText());
    assertTrue(texts(mounts(shared).get("/sys").get("options")).containsAll(List.of("rbind", "ro")));
  }

  private static Set<String> namespaces(JsonNode c) {
    return StreamSupport.stream(c.get("linux").get("namespaces").spliterator(), false)
        .map(n -> n.get("type").asText()).collect(Collectors.toSet());
  }

  @Test
  void limitsBecomeLinuxResourcesAndZeroMeansNone() throws Exception {
    JsonNode limited = config(params(false, new SandboxLimits(64L << 20, 16, 1500), List.of())).get("linux");
    assertEquals("griot/griot-abc", limited.get("cgroupsPath").asText());
    JsonNode r = limited.get("resources");
    assertEquals(64L << 20, r.get("memory").get("limit").asLong());
    assertEquals(64L << 20, r.get("memory").get("swap").asLong());
    assertEquals(16, r.get("pids").get("limit").asLong());
    assertEquals(150_000, r.get("cpu").get("quota").asLong());
    assertEquals(100_000, r.get("cpu").get("period").asLong());
    assertFalse(r.get("devices").get(0).get("allow").asBoolean());

    JsonNode none = config(params(false, SandboxLimits.NONE, List.of())).get("linux").get("resources");
    assertFalse(none.has("memory"));
    assertFalse(none.has("pids"));
    assertFalse(none.has("cpu"));

    JsonNode memoryOnly = config(params(false, new SandboxLimits(1 << 30, 0, 0), List.of())).get("linux").get("resources");
    assertEquals(1 << 30, memoryOnly.get("memory").get("limit").asLong());
    assertFalse(memoryOnly.has("pids"));
  }

  @Test
  void readOnlyPathsAreBoundAtTheirPathOnlyOutsideTheImagesFolders() throws Exception {
    Map<String, JsonNode> m = mounts(config(params(false, SandboxLimits.NONE, List.of(Path.of("/opt/tool"), Path.of("/tmp/x")))));
    assertEquals("/opt/tool", m.get("/opt/tool").get("source").asText());
    assertTrue(texts(m.get("/opt/tool").get("options")).contains("ro"));
    assertTrue(m.containsKey("/tmp/x"));

    for (String refused : List.of("/", "/usr/lib/jvm", "/bin/x", "/proc/1", "/griot/x", "/var/griot", "/var/griot/workspaces/run-1")) {
      SandboxException e = assertThrows(SandboxException.class,
          () -> OciBundle.config(ROOTFS, ENTRIES, params(false, SandboxLimits.NONE, List.of(Path.of(refused)))), refused);
      assertTrue(e.getMessage().contains("read-only path"), e.getMessage());
    }
  }

  @Test
  void createWritesTheSkeletonAndConfigAndLeavesTheSourceAlone(@TempDir Path tmp) throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.createDirectories(src.resolve("bin"));
    Files.createDirectories(src.resolve("proc"));
    Files.createDirectories(src.resolve("usr/lib"));
    Files.createSymbolicLink(src.resolve("lib"), Path.of("usr/lib"));
    Files.writeString(src.resolve("marker"), "m");
    List<String> before;
    try (var s = Files.walk(src)) {
      before = s.map(Path::toString).sorted().toList();
    }
    Path bundle = Files.createDirectories(tmp.resolve("bundle"));

    Path file = OciBundle.create(bundle, src, params(false, SandboxLimits.NONE, List.of()));

    assertEquals(bundle.resolve("config.json"), file);
    ObjectNode c = (ObjectNode) new ObjectMapper().readTree(file.toFile());
    assertEquals(List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/tmp", "/bin", "/marker", "/usr",
        "/griot/workspace"), new ArrayList<>(mounts(c).keySet()));
    Path skeleton = bundle.resolve("rootfs");
    assertTrue(Files.isDirectory(skeleton.resolve("bin")));
    assertTrue(Files.isRegularFile(skeleton.resolve("marker")));
    assertEquals(Path.of("usr/lib"), Files.readSymbolicLink(skeleton.resolve("lib")));
    assertFalse(Files.exists(skeleton.resolve("proc")), "reserved: runc mounts its own");
    try (var s = Files.walk(src)) {
      assertEquals(before, s.map(Path::toString).sorted().toList());
    }
  }

  @Test
  void aMissingRootfsIsAPreciseError(@TempDir Path tmp) {
    Path missing = tmp.resolve("no-rootfs");
    SandboxException e = assertThrows(SandboxException.class,
        () -> OciBundle.create(tmp, missing, params(false, SandboxLimits.NONE, List.of())));
    assertEquals("container rootfs " + missing + " does not exist or is not a folder (griot.sandbox.container.rootfs)",
        e.getMessage());
  }
}
