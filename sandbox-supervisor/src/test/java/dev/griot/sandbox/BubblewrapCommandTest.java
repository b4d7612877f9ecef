package dev.griot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BubblewrapCommandTest {

  private static final BubblewrapCommand COMMAND = new BubblewrapCommand(
      "/usr/bin/bwrap", List.of("/usr", "/bin", "/lib64"), List.of("/etc/passwd", "/etc/ssl/certs"));
  private static final Map<Path, Path> LINKS = Map.of(Path.of("/bin"), Path.of("usr/bin"));
  private static final Path WS = Path.of("/var/griot/workspaces/run-1");

  private static List<String> argv(SandboxSpec spec) {
    return COMMAND.argv(spec, Map.of("PATH", "/usr/bin:/bin", "HOME", WS + "/.home", "A", "1"),
        p -> Optional.ofNullable(LINKS.get(p)));
  }

  @Test
  void isolatesEverythingAndBindsOnlySystemFoldersTheWorkspaceAndDeclaredPaths() {
    SandboxSpec spec = new SandboxSpec(List.of("/usr/bin/java", "-version"), WS, Map.of())
        .withReadOnlyPaths(List.of(Path.of("/usr/lib/jvm/java-17"), Path.of("/root/.m2/repository/a.jar")));

    assertEquals(List.of(
        "/usr/bin/bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv",
        "--ro-bind-try", "/usr", "/usr",
        "--symlink", "usr/bin", "/bin",
        "--ro-bind-try", "/lib64", "/lib64",
        "--ro-bind-try", "/etc/passwd", "/etc/passwd",
        "--ro-bind-try", "/etc/ssl/certs", "/etc/ssl/certs",
        "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
        "--bind", WS.toString(), "/griot/workspace", // the same place on every node
        // the JVM under /usr is bound already
        "--ro-bind-try", "/root/.m2/repository/a.jar", "/root/.m2/repository/a.jar",
        "--remount-ro", "/",
        "--setenv", "A", "1", "--setenv", "HOME", "/griot/workspace/.home", "--setenv", "PATH", "/usr/bin:/bin",
        "--chdir", "/griot/workspace", "--",
        "/usr/bin/java", "-version"), argv(spec));
  }

  @Test
  void sharesTheNetworkOnlyWhenAsked() {
    SandboxSpec spec = new SandboxSpec(List.of("true"), WS, Map.of());
    assertTrue(!argv(spec).contains("--share-net"));
    assertEquals(List.of("/usr/bin/bwrap", "--unshare-all", "--share-net"), argv(spec.withNetwork(true)).subList(0, 3));
  }

  @Test
  void refusesReadOnlyPathsThatWouldExposeTheRootOrTheWorkspaceSurroundings() {
    SandboxSpec spec = new SandboxSpec(List.of("true"), WS, Map.of());
    for (String p : List.of("/", "/var", "/var/griot", "/var/griot/workspaces"))
      assertThrows(IllegalArgumentException.class, () -> argv(spec.withReadOnlyPaths(List.of(Path.of(p)))), p);
    // a path inside the workspace is fine
    assertTrue(argv(spec.withReadOnlyPaths(List.of(WS.resolve("tools")))).contains(WS.resolve("tools").toString()));
  }
}
