package dev.griot.sandbox.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link PodProgress}: what a Pod's status means for its sandbox. */
class KubernetesPodProgressTest {

  private static final String REF = "sandbox pod ns/p";

  private static PodBuilder pod(String phase) {
    return new PodBuilder().withNewMetadata().withNamespace("ns").withName("p").endMetadata()
        .withNewSpec().addNewContainer().withName("sandbox").withImage("img:1").endContainer().endSpec()
        .withNewStatus().withPhase(phase).endStatus();
  }

  private static Pod withContainer(String phase, ContainerState state) {
    return pod(phase).editStatus().addNewContainerStatus().withName("sandbox").withState(state).endContainerStatus()
        .endStatus().build();
  }

  @Test
  void aFreshPodWaitsAndSaysWhy() {
    assertEquals(new PodProgress.Waiting("no status yet"),
        PodProgress.of(new PodBuilder().withNewMetadata().withNamespace("ns").withName("p").endMetadata().build()));
    assertEquals(new PodProgress.Waiting("phase Pending"), PodProgress.of(pod("Pending").build()));
    assertEquals(new PodProgress.Waiting("container ContainerCreating"), PodProgress.of(withContainer("Pending",
        new ContainerStateBuilder().withNewWaiting().withReason("ContainerCreating").endWaiting().build())));
  }

  @Test
  void runningAndTerminatedContainers() {
    assertEquals(new PodProgress.Running(), PodProgress.of(withContainer("Running",
        new ContainerStateBuilder().withNewRunning().endRunning().build())));
    assertEquals(new PodProgress.Ended(3, Optional.empty(), true, false), PodProgress.of(withContainer("Failed",
        new ContainerStateBuilder().withNewTerminated().withExitCode(3).withReason("Error").endTerminated().build())));
    assertEquals(new PodProgress.Ended(128, Optional.of(REF + ": container StartError: exec: \"harness\": "
            + "executable file not found in $PATH"), true, false),
        PodProgress.of(withContainer("Failed", new ContainerStateBuilder().withNewTerminated().withExitCode(128)
            .withReason("StartError").withMessage("exec: \"harness\": executable file not found in $PATH")
            .endTerminated().build())));
  }

  @Test
  void aContainerThatCannotStartAndAFailedPodEndWith125() {
    assertEquals(new PodProgress.Ended(125, Optional.of(REF + " cannot start its container: CreateContainerConfigError: "
            + "secret \"x\" not found (image img:1)"), false, false),
        PodProgress.of(withContainer("Pending", new ContainerStateBuilder().withNewWaiting()
            .withReason("CreateContainerConfigError").withMessage("secret \"x\" not found").endWaiting().build())));
    assertEquals(new PodProgress.Ended(125, Optional.of(REF + " Failed without a container status: Evicted: "
            + "The node was low on resource: ephemeral-storage."), false, false),
        PodProgress.of(pod("Failed").editStatus().withReason("Evicted")
            .withMessage("The node was low on resource: ephemeral-storage.").endStatus().build()));
  }
}
