package dev.griot.sandbox.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.griot.sandbox.SandboxException;
import dev.griot.sandbox.SandboxHandle;
import dev.griot.sandbox.SandboxLimits;
import dev.griot.sandbox.SandboxSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes backend against fabric8's mock API server: CRUD mode for the Pods, with
 * expectations on top for the one thing CRUD mode cannot serve, a container's log. The test plays
 * the kubelet by patching the Pod's status.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesSandboxTest {

  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();
  private static final long WAIT = 10;
  private static final String NS = "test";
  private static final String IMAGE = "registry.example/griot/harness:1";
  private static final Path WORKSPACE = Path.of("/var/lib/griot/workspaces/run-1");

  KubernetesMockServer server;
  KubernetesClient client;

  private KubernetesSettings settings;
  private KubernetesSandbox sandbox;

  @BeforeEach
  void setUp() {
    settings = KubernetesSettings.fromConfig(ConfigFactory.parseString(
            "griot.sandbox.container.kubernetes { namespace = " + NS + ", image = \"" + IMAGE + "\" }")
        .withFallback(ConfigFactory.load()).resolve());
    sandbox = new KubernetesSandbox(settings, client, EXECUTOR);
  }

  @AfterAll
  static void shutdown() {
    EXECUTOR.shutdownNow();
  }

  @Test
  void thePodHasEverySecuritySettingItsLimitsLabelsEnvironmentAndCommand() throws Exception {
    SandboxSpec spec = new SandboxSpec(
        List.of("claude", "-p", "--add-dir", WORKSPACE + "/src", "hello"), WORKSPACE,
        Map.of("MODEL_URL", "http://gateway:8080", "LANG", "de_DE.UTF-8", "OUT", WORKSPACE + "/out.json"))
        .withReadOnlyPaths(List.of(Path.of("/opt/claude")))
        .withLimits(new SandboxLimits(512L * 1024 * 1024, 100, 1500));
    EventLog events = new EventLog();
    SandboxHandle handle = sandbox.start(spec, events);
    assertEquals(-1, handle.pid(), "a Pod has no pid on the node");
    Pod pod = onlyPod();
    String name = pod.getMetadata().getName();

    assertTrue(name.startsWith("griot-sandbox-"), name);
    assertEquals(Map.of("app.kubernetes.io/managed-by", "griot", "griot.dev/sandbox", name, "griot.dev/network", "none"),
        pod.getMetadata().getLabels());
    PodSpec p = pod.getSpec();
    assertEquals("Never", p.getRestartPolicy());
    assertEquals(false, p.getAutomountServiceAccountToken());
    assertEquals(false, p.getEnableServiceLinks());
    assertEquals(true, p.getSecurityContext().getRunAsNonRoot());
    assertEquals(1000L, p.getSecurityContext().getRunAsUser());
    assertEquals("RuntimeDefault", p.getSecurityContext().getSeccompProfile().getType());
    assertEquals(1, p.getContainers().size());

    Container c = p.getContainers().get(0);
    assertEquals("sandbox", c.getName());
    assertEquals(IMAGE, c.getImage());
    assertEquals("IfNotPresent", c.getImagePullPolicy());
    assertEquals(List.of("claude", "-p", "--add-dir", "/griot/workspace/src", "hello"), c.getCommand());
    assertEquals("/griot/workspace", c.getWorkingDir());
    assertEquals(Map.of(
            "PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "de_DE.UTF-8", "HOME", "/griot/workspace/.home",
            "MODEL_URL", "http://gateway:8080", "OUT", "/griot/workspace/out.json"),
        c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue)));
    SecurityContext sc = c.getSecurityContext();
    assertEquals(true, sc.getReadOnlyRootFilesystem());
    assertEquals(false, sc.getAllowPrivilegeEscalation());
    assertEquals(false, sc.getPrivileged());
    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
    assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty());
    assertEquals(true, sc.getRunAsNonRoot());
    assertEquals(1000L, sc.getRunAsUser());
    assertEquals("RuntimeDefault", sc.getSeccompProfile().getType());
    Map<String, Quantity> amounts = Map.of("memory", new Quantity("536870912"), "cpu", new Quantity("1500m"));
    assertEquals(amounts, c.getResources().getLimits());
    assertEquals(amounts, c.getResources().getRequests());

    Map<String, String> mounts = c.getVolumeMounts().stream()
        .collect(Collectors.toMap(VolumeMount::getMountPath, VolumeMount::getName));
    assertEquals(Map.of("/griot/workspace", "workspace", "/griot/workspace/.home", "home", "/tmp", "tmp"), mounts,
        "nothing of the node (the read-only path /opt/claude neither) is mounted");
    Map<String, Volume> volumes = p.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    assertEquals(3, volumes.size());
    assertEquals(new Quantity("10Gi"), volumes.get("workspace").getEmptyDir().getSizeLimit());
    assertEquals(new Quantity("10Gi"), volumes.get("home").getEmptyDir().getSizeLimit());
    assertEquals(new Quantity("1Gi"), volumes.get("tmp").getEmptyDir().getSizeLimit());
    volumes.values().forEach(v -> assertNull(v.getHostPath(), v.getName()));

    handle.kill(Duration.ZERO);
    assertEquals(137, handle.exit().toCompletableFuture().get(WAIT, TimeUnit.SECONDS));

    // with network: no "none" label, so a NetworkPolicy on it leaves the Pod alone; no limits: no resources
    SandboxHandle open = sandbox.start(spec.withNetwork(true).withLimits(SandboxLimits.NONE), new EventLog());
    Pod other = onlyPod();
    assertFalse(other.getMetadata().getLabels().containsKey("griot.dev/network"));
    Container oc = other.getSpec().getContainers().get(0);
    assertTrue(oc.getResources().getLimits() == null || oc.getResources().getLimits().isEmpty());
    open.kill(Duration.ZERO);
    open.exit().toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
  }

  @Test
  void theContainersExitCodeIsTheSandboxsAndThePodIsDeletedBeforeTheExitIsReported() throws Exception {
    EventLog events = new EventLog();
    SandboxHandle handle = sandbox.start(new SandboxSpec(List.of("sh", "-c", "exit 3"), WORKSPACE, Map.of()), events);
    String name = onlyPod().getMetadata().getName();
    expectLog(name, "", 0);

    kubelet(name, "Running", new ContainerStateBuilder().withNewRunning().endRunning().build());
    kubelet(name, "Failed", new ContainerStateBuilder().withNewTerminated().withExitCode(3).withReason("Error").endTerminated().build());

    assertEquals(3, handle.exit().toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
    assertNull(client.pods().inNamespace(NS).withName(name).get(), "the Pod is gone once the exit is reported");
    assertEquals(List.of("exit:3"), events.events());
    assertEquals(1, events.exits.get());
    assertEquals(0, handle.limitEvents().orElseThrow().oomKills());
  }

  @Test
  void logLinesReachTheListenerInOrderBeforeTheExit() throws Exception {
    EventLog events = new EventLog();
    SandboxHandle handle = sandbox.start(new SandboxSpec(List.of("harness"), WORKSPACE, Map.of()), events);
    String name = onlyPod().getMetadata().getName();
    // the log arrives a second after it is asked for: the container's end is seen before its lines
    expectLog(name, "{\"type\":\"init\"}\nsecond line\n\nlast, without a newline", 1000);

    kubelet(name, "Running", new ContainerStateBuilder().withNewRunning().endRunning().build());
    kubelet(name, "Succeeded", new ContainerStateBuilder().withNewTerminated().withExitCode(0).withReason("Completed").endTerminated().build());

    assertEquals(0, handle.exit().toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
    assertEquals(List.of("out:{\"type\":\"init\"}", "out:second line", "out:", "out:last, without a newline", "exit:0"),
        events.events());
    assertNull(client.pods().inNamespace(NS).withName(name).get());
  }

  @Test
  void killDeletesThePodWithItsGraceAndEndsTheHandle() throws Exception {
    EventLog events = new EventLog();
    SandboxHandle handle = sandbox.start(new SandboxSpec(List.of("sleep", "1000"), WORKSPACE, Map.of()), events);
    String name = onlyPod().getMetadata().getName();
    expectLog(name, "started\n", 0);
    kubelet(name, "Running", new ContainerStateBuilder().withNewRunning().endRunning().build());

    handle.kill(Duration.ofSeconds(7));
    handle.kill(Duration.ofSeconds(1)); // again: harmless

    assertEquals(143, handle.exit().toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
    assertNull(client.pods().inNamespace(NS).withName(name).get());
    assertEquals(List.of("out:started", "exit:143"), events.events());
    List<String> deletes = new ArrayList<>();
    for (RecordedRequest r; (r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null; )
      if (r.getMethod().equals("DELETE") && r.getPath().endsWith("/pods/" + name)) deletes.add(r.getBody().readUtf8());
    assertFalse(deletes.isEmpty(), "the Pod was deleted");
    assertTrue(deletes.get(0).contains("\"gracePeriodSeconds\":7"), deletes.get(0));
    handle.kill(Duration.ZERO); // after the exit: harmless
    assertEquals(1, events.exits.get());
  }

  @Test
  void aKillBeforeThePodRunsEndsItWith137ForNoGrace() throws Exception {
    EventLog events = new EventLog();
    SandboxHandle handle = sandbox.start(new SandboxSpec(List.of("true"), WORKSPACE, Map.of()), events);
    String name = onlyPod().getMetadata().getName();
    handle.kill(Duration.ZERO);
    assertEquals(137, handle.exit().toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
    assertNull(client.pods().inNamespace(NS).withName(name).get());
    assertEquals(List.of("exit:137"), events.events());
  }

  @Test
  void anImageThatCannotBePulledEndsWithAClearLineAndExit125() throws Exception {
    EventLog events = new EventLog();
    SandboxHandle handle = sandbox.start(new SandboxSpec(List.of("harness"), WORKSPACE, Map.of()), events);
    String name = onlyPod().getMetadata().getName();
    kubelet(name, "Pending", new ContainerStateBuilder().withNewWaiting().withReason("ErrImagePull")
        .withMessage("pull access denied for registry.example/griot/harness").endWaiting().build());

    assertEquals(125, handle.exit().toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
    assertEquals(List.of("sandbox pod " + NS + "/" + name + " cannot start its container: ErrImagePull: "
        + "pull access denied for registry.example/griot/harness (image " + IMAGE + ")"), events.stderr());
    assertEquals("exit:125", events.events().get(events.events().size() - 1));
    assertNull(client.pods().inNamespace(NS).withName(name).get());
  }

  @Test
  void aPodThatIsNeverScheduledEndsAfterTheStartTimeout() throws Exception {
    KubernetesSandbox quick = new KubernetesSandbox(settings.withTimings(
        Duration.ofSeconds(1), Duration.ofMillis(100), settings.logDrainTimeout(), settings.killTimeout(), settings.apiTimeout()),
        client, EXECUTOR);
    EventLog events = new EventLog();
    long begin = System.nanoTime();
    SandboxHandle handle = quick.start(new SandboxSpec(List.of("harness"), WORKSPACE, Map.of()), events);
    String name = onlyPod().getMetadata().getName();
    client.pods().inNamespace(NS).withName(name).editStatus(p -> new PodBuilder(p).withNewStatus()
        .withPhase("Pending")
        .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
        .withMessage("0/3 nodes are available: 3 Insufficient memory.").endCondition()
        .endStatus().build());

    assertEquals(125, handle.exit().toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - begin >= TimeUnit.SECONDS.toNanos(1), "not before the start timeout");
    assertEquals(List.of("sandbox pod " + NS + "/" + name + " did not start its container within 1 s "
        + "(griot.sandbox.container.kubernetes.start-timeout): not scheduled: Unschedulable: "
        + "0/3 nodes are available: 3 Insufficient memory."), events.stderr());
    assertNull(client.pods().inNamespace(NS).withName(name).get());
  }

  @Test
  void anOomKillIsReportedAsALimitEvent() throws Exception {
    EventLog events = new EventLog();
    SandboxHandle handle = sandbox.start(new SandboxSpec(List.of("harness"), WORKSPACE, Map.of()), events);
    String name = onlyPod().getMetadata().getName();
    expectLog(name, "allocating\n", 0);
    kubelet(name, "Failed", new ContainerStateBuilder().withNewTerminated().withExitCode(137).withReason("OOMKilled")
        .endTerminated().build());

    assertEquals(137, handle.exit().toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
    assertEquals(List.of("out:allocating", "err:sandbox pod " + NS + "/" + name + ": container OOMKilled (memory limit)",
        "exit:137"), events.events());
    assertTrue(handle.limitEvents().orElseThrow().oomKilled());
  }

  @Test
  void aPodDeletedBySomeoneElseEndsTheSandboxWith137() throws Exception {
    EventLog events = new EventLog();
    SandboxHandle handle = sandbox.start(new SandboxSpec(List.of("harness"), WORKSPACE, Map.of()), events);
    String name = onlyPod().getMetadata().getName();
    expectLog(name, "", 0);
    kubelet(name, "Running", new ContainerStateBuilder().withNewRunning().endRunning().build());
    client.pods().inNamespace(NS).withName(name).delete();

    assertEquals(137, handle.exit().toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
    assertEquals(List.of("err:sandbox pod " + NS + "/" + name + " was deleted before its container ended", "exit:137"),
        events.events());
  }

  @Test
  void anApiRefusalIsAPermanentSandboxExceptionAndAServerErrorIsNot() {
    SandboxSpec spec = new SandboxSpec(List.of("harness"), WORKSPACE, Map.of());
    refuseCreation(403, "Forbidden", "pods is forbidden: User \"system:serviceaccount:griot:griot\" cannot create "
        + "resource \"pods\" in API group \"\" in the namespace \"test\"");
    SandboxException forbidden = assertThrows(SandboxException.class, () -> sandbox.start(spec, new EventLog()));
    assertTrue(forbidden.permanent(), forbidden.getMessage());
    assertTrue(forbidden.getMessage().startsWith("cannot create sandbox pod test/griot-sandbox-"), forbidden.getMessage());
    assertTrue(forbidden.getMessage().contains("HTTP 403: pods is forbidden"), forbidden.getMessage());

    refuseCreation(422, "Invalid", "Pod \"x\" is invalid: spec.containers[0].image: Required value");
    assertTrue(assertThrows(SandboxException.class, () -> sandbox.start(spec, new EventLog())).permanent());

    refuseCreation(403, "Forbidden", "pods \"x\" is forbidden: exceeded quota: sandboxes, requested: pods=1");
    assertFalse(assertThrows(SandboxException.class, () -> sandbox.start(spec, new EventLog())).permanent(),
        "a full quota may empty");

    // fabric8 retries a 5xx answer with backoff (requestRetryBackoffLimit) before it fails: not here
    try (KubernetesClient once = server.createClient(b -> b.withConfig(
        new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build()))) {
      refuseCreation(500, "InternalError", "etcdserver: request timed out");
      assertFalse(assertThrows(SandboxException.class,
          () -> new KubernetesSandbox(settings, once, EXECUTOR).start(spec, new EventLog())).permanent());
    }

    SandboxException egress = assertThrows(SandboxException.class, () -> sandbox.start(spec.withEgress(true), new EventLog()));
    assertTrue(egress.permanent());
    assertEquals(List.of(), client.pods().inNamespace(NS).list().getItems(), "no Pod was created");
  }

  private void refuseCreation(int code, String reason, String message) {
    server.expect().post().withPath("/api/v1/namespaces/" + NS + "/pods")
        .andReturn(code, new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build())
        .once();
  }

  /** The one Pod of the namespace. */
  private Pod onlyPod() {
    List<Pod> pods = client.pods().inNamespace(NS).withLabel("app.kubernetes.io/managed-by", "griot").list().getItems();
    assertEquals(1, pods.size(), "one sandbox Pod");
    assertNotNull(pods.get(0).getMetadata().getName());
    return pods.get(0);
  }

  /** What the API server answers to the handle's request for the container's log, {@code delayMillis} late. */
  private void expectLog(String pod, String body, long delayMillis) {
    server.expect().get().delay(delayMillis)
        .withPath("/api/v1/namespaces/" + NS + "/pods/" + pod + "/log?container=sandbox&follow=true")
        .andReturn(200, body).once();
  }

  /** Plays the kubelet: the Pod's phase and its container's state. */
  private void kubelet(String pod, String phase, ContainerState state) {
    client.pods().inNamespace(NS).withName(pod).editStatus(p -> new PodBuilder(p).withNewStatus()
        .withPhase(phase)
        .addNewContainerStatus().withName("sandbox").withImage(IMAGE).withState(state).endContainerStatus()
        .endStatus().build());
  }
}
