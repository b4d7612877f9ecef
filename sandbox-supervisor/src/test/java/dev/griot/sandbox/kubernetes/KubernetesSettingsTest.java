package dev.griot.sandbox.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.griot.sandbox.Sandbox;
import dev.griot.sandbox.SandboxException;
import dev.griot.sandbox.SandboxLimits;
import dev.griot.sandbox.Sandboxes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code griot.sandbox.container.backend} and {@code griot.sandbox.container.kubernetes}. */
class KubernetesSettingsTest {

  private static Config with(String overrides) {
    return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()).resolve();
  }

  @Test
  void theDefaultsAreRuncAndAKubernetesBackendWithoutImage() {
    Config c = ConfigFactory.load().getConfig("griot.sandbox.container");
    assertEquals("runc", c.getString("backend"));
    KubernetesSettings s = KubernetesSettings.fromConfig(with("griot.sandbox.container.kubernetes.image = \"busybox:1.36\""));
    assertEquals("", s.namespace());
    assertEquals("busybox:1.36", s.image());
    assertEquals("IfNotPresent", s.imagePullPolicy());
    assertEquals(List.of(), s.imagePullSecrets());
    assertEquals(1000, s.runAsUser());
    assertEquals(1000, s.runAsGroup());
    assertEquals(Optional.empty(), s.serviceAccount());
    assertEquals("griot-sandbox-", s.podNamePrefix());
    assertEquals("/griot/workspace", s.workspacePath());
    assertEquals("/griot/workspace/.home", s.home());
    assertEquals(Optional.of("10Gi"), s.workspaceSizeLimit());
    assertEquals(Optional.of("1Gi"), s.tmpSizeLimit());
    assertEquals("/usr/local/bin:/usr/bin:/bin", s.path());
    assertEquals("C.UTF-8", s.lang());
    assertEquals(SandboxLimits.fromConfig(ConfigFactory.load()), s.defaultLimits());
    assertEquals(Duration.ofMinutes(5), s.startTimeout());
    assertEquals(Duration.ofSeconds(10), s.pollInterval());
    assertEquals(Duration.ofSeconds(10), s.logDrainTimeout());
    assertEquals(Duration.ofSeconds(30), s.killTimeout());
    assertEquals(Duration.ofMinutes(2), s.apiTimeout());
  }

  @Test
  void theKubernetesBackendIsTheKubernetesSandbox() {
    Sandbox sandbox = Sandboxes.fromConfig(with("griot.sandbox { kind = container, container { backend = kubernetes, "
        + "kubernetes { image = \"busybox:1.36\", namespace = sandboxes, service-account = griot-sandbox, "
        + "image-pull-secrets = [regcred], workspace-size-limit = \"\" } } }"), Runnable::run);
    KubernetesSandbox k = assertInstanceOf(KubernetesSandbox.class, sandbox);
    assertEquals("sandboxes", k.namespace());
    k.close();
  }

  @Test
  void aKubernetesBackendWithoutImageOrAnUnknownBackendIsAPreciseError() {
    SandboxException noImage = assertThrows(SandboxException.class, () -> Sandboxes.fromConfig(
        with("griot.sandbox { kind = container, container.backend = kubernetes }"), Runnable::run));
    assertTrue(noImage.getMessage().startsWith(
        "griot.sandbox.container.backend = kubernetes needs griot.sandbox.container.kubernetes.image"), noImage.getMessage());
    SandboxException unknown = assertThrows(SandboxException.class, () -> Sandboxes.fromConfig(
        with("griot.sandbox { kind = container, container.backend = docker }"), Runnable::run));
    assertEquals("unknown griot.sandbox.container.backend 'docker': use runc (an OCI runtime on this machine) "
        + "or kubernetes (a Pod per sandbox)", unknown.getMessage());
  }

  @Test
  void badValuesAreRefusedNamingTheirKey() {
    String base = "griot.sandbox.container.kubernetes { image = x, ";
    for (String bad : List.of("run-as-user = 0", "pod-name-prefix = \"Griot_\"", "pod-name-prefix = \"a-very-long-prefix-of-sandboxes-\"",
        "image-pull-policy = Sometimes", "workspace-path = /tmp/ws", "workspace-path = relative", "tmp-size-limit = lots",
        "poll-interval = 0s")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> KubernetesSettings.fromConfig(with(base + bad + " }")), bad);
      assertTrue(e.getMessage().startsWith("griot.sandbox.container.kubernetes."), e.getMessage());
    }
  }

  @Test
  void argumentsNamingTheNodesWorkspaceAreRewrittenToThePods() {
    Path ws = Path.of("/var/lib/griot/ws/run-1");
    assertEquals("/griot/workspace", SandboxPods.inside("/var/lib/griot/ws/run-1", ws, "/griot/workspace"));
    assertEquals("/griot/workspace/a/b", SandboxPods.inside("/var/lib/griot/ws/run-1/a/b", ws, "/griot/workspace"));
    assertEquals("/var/lib/griot/ws/run-10", SandboxPods.inside("/var/lib/griot/ws/run-10", ws, "/griot/workspace"));
    assertEquals("cd /var/lib/griot/ws/run-1", SandboxPods.inside("cd /var/lib/griot/ws/run-1", ws, "/griot/workspace"));
  }
}
