package dev.griot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code griot.sandbox.kind = container} and {@code griot.sandbox.container}. */
class ContainerSandboxesTest {

  private static Config with(String overrides) {
    return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()).resolve();
  }

  @Test
  void theDefaultsNameRuncAndNoRootfs() {
    Config c = ConfigFactory.load().getConfig("griot.sandbox.container");
    assertEquals("runc", c.getString("runtime"));
    assertEquals("", c.getString("rootfs"));
    assertEquals("", c.getString("state-root"));
  }

  @Test
  void containerWithARootfsIsTheRuncSandbox(@TempDir Path rootfs) {
    Config config = with("griot.sandbox { kind = container, container { rootfs = \"" + rootfs
        + "\", state-root = \"/run/griot-runc\" } }");
    assertInstanceOf(RuncSandbox.class, Sandboxes.fromConfig(config, Runnable::run));
    RuncSettings s = RuncSettings.fromConfig(config);
    assertEquals(rootfs, s.rootfs());
    assertEquals(Optional.of(Path.of("/run/griot-runc")), s.stateRoot());
    assertEquals(SandboxLimits.fromConfig(config), s.defaultLimits());
  }

  @Test
  void containerWithoutARootfsOrWithAMissingOneIsAPreciseError(@TempDir Path tmp) {
    SandboxException none = assertThrows(SandboxException.class,
        () -> Sandboxes.fromConfig(with("griot.sandbox.kind = container"), Runnable::run));
    assertTrue(none.getMessage().startsWith("griot.sandbox.kind = container needs griot.sandbox.container.rootfs"),
        none.getMessage());
    Path missing = tmp.resolve("missing");
    SandboxException absent = assertThrows(SandboxException.class, () -> Sandboxes.fromConfig(
        with("griot.sandbox { kind = container, container.rootfs = \"" + missing + "\" }"), Runnable::run));
    assertEquals("container rootfs " + missing + " does not exist or is not a folder (griot.sandbox.container.rootfs)",
        absent.getMessage());
  }

  @Test
  void aMissingRuntimeIsAPreciseError(@TempDir Path rootfs) {
    SandboxException e = assertThrows(SandboxException.class, () -> Sandboxes.fromConfig(
        with("griot.sandbox { kind = container, container { rootfs = \"" + rootfs + "\", runtime = /nowhere/runc } }"),
        Runnable::run));
    assertTrue(e.getMessage().startsWith("OCI runtime ('/nowhere/runc') not found"), e.getMessage());
  }
}
