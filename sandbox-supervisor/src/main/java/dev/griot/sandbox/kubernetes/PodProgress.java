package dev.griot.sandbox.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the status of a sandbox Pod says about its container: not running yet, running, or
 * ended with an exit code. Pure: reads a Pod, calls nothing.
 */
sealed interface PodProgress {

  /**
   * The exit code of a sandbox whose container never ran (its image cannot be pulled, its Pod not
   * scheduled in time, the Pod failed without a container status), as {@code docker run} uses it.
   */
  int NOT_RUN = 125;

  /**
   * Waiting reasons of the container that end the sandbox at once: the kubelet would try again
   * (ImagePullBackOff), but with the same spec the same way.
   */
  Set<String> FATAL_WAITING = Set.of(
      "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
      "CreateContainerConfigError", "CreateContainerError");

  /** Terminated reasons that say nothing beyond the exit code. */
  Set<String> PLAIN_TERMINATIONS = Set.of("Completed", "Error");

  /** Not running yet: {@code why} is the scheduler's or the kubelet's latest word. */
  record Waiting(String why) implements PodProgress {}

  /** The container runs: its log can be followed. */
  record Running() implements PodProgress {}

  /**
   * The container (or the Pod) ended.
   *
   * @param exitCode the container's exit code, {@link #NOT_RUN} when it never ran
   * @param stderr a line telling why, when the exit code alone does not
   * @param ran whether the container ran at all (so it has a log)
   * @param oomKilled whether the kernel ended it at its memory limit
   */
  record Ended(int exitCode, Optional<String> stderr, boolean ran, boolean oomKilled) implements PodProgress {}

  /** Reads the progress of {@code pod}. */
  static PodProgress of(Pod pod) {
    String ref = "sandbox pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    PodStatus status = pod.getStatus();
    ContainerState state = containerStatus(status).map(ContainerStatus::getState).orElse(null);
    if (state != null && state.getTerminated() != null) {
      ContainerStateTerminated t = state.getTerminated();
      String reason = t.getReason();
      boolean oom = "OOMKilled".equals(reason);
      Optional<String> line = reason == null || PLAIN_TERMINATIONS.contains(reason)
          ? Optional.empty()
          : Optional.of(ref + ": container " + reason + (oom ? " (memory limit)" : "") + suffix(t.getMessage()));
      return new Ended(t.getExitCode() == null ? NOT_RUN : t.getExitCode(), line, true, oom);
    }
    if (state != null && state.getRunning() != null) return new Running();
    ContainerStateWaiting waiting = state == null ? null : state.getWaiting();
    if (waiting != null && FATAL_WAITING.contains(waiting.getReason()))
      return new Ended(NOT_RUN, Optional.of(ref + " cannot start its container: " + waiting.getReason()
          + suffix(waiting.getMessage()) + " (image " + image(pod) + ")"), false, false);
    String phase = status == null ? null : status.getPhase();
    if ("Failed".equals(phase) || "Succeeded".equals(phase))
      return new Ended("Succeeded".equals(phase) ? 0 : NOT_RUN,
          Optional.of(ref + " " + phase + " without a container status" + suffix(status.getReason()) + suffix(status.getMessage())),
          false, false);
    return new Waiting(why(status, waiting));
  }

  private static Optional<ContainerStatus> containerStatus(PodStatus status) {
    if (status == null || status.getContainerStatuses() == null) return Optional.empty();
    return status.getContainerStatuses().stream().filter(s -> SandboxPods.CONTAINER.equals(s.getName())).findFirst();
  }

  private static String why(PodStatus status, ContainerStateWaiting waiting) {
    if (waiting != null && waiting.getReason() != null) return "container " + waiting.getReason() + suffix(waiting.getMessage());
    List<PodCondition> conditions = status == null || status.getConditions() == null ? List.of() : status.getConditions();
    for (PodCondition c : conditions)
      if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        return "not scheduled" + suffix(c.getReason()) + suffix(c.getMessage());
    String phase = status == null ? null : status.getPhase();
    return phase == null ? "no status yet" : "phase " + phase;
  }

  private static String image(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) return "?";
    return pod.getSpec().getContainers().stream()
        .filter(c -> SandboxPods.CONTAINER.equals(c.getName()))
        .map(Container::getImage).filter(Objects::nonNull).findFirst().orElse("?");
  }

  private static String suffix(String text) {
    return text == null || text.isBlank() ? "" : ": " + text.strip();
  }
}
