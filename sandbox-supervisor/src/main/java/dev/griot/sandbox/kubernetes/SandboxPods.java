package dev.griot.sandbox.kubernetes;

import dev.griot.sandbox.SandboxLimits;
import dev.griot.sandbox.SandboxSpec;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the Pod of one sandbox from its {@link SandboxSpec}: pure, no API call.
 *
 * <p>One container ({@value #CONTAINER}) runs the spec's command in the image of the settings,
 * restartPolicy {@code Never}, as a non-root user without privileges, capabilities or a service
 * account token, with a read-only root and three emptyDirs: the workspace (its working
 * directory), the home under it, and {@code /tmp}. The spec's workspace is a path of the node:
 * the Pod gets an empty workspace of its own, and arguments and environment values naming the
 * node's workspace (or a path under it) are rewritten to {@link KubernetesSettings#workspacePath}.
 */
public final class SandboxPods {

  /** The name of the one container of a sandbox Pod. */
  public static final String CONTAINER = "sandbox";
  /** Every sandbox Pod carries {@code app.kubernetes.io/managed-by: griot}. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  /** The Pod's own name, as a label, so a policy or a selector can name one sandbox. */
  public static final String SANDBOX = "griot.dev/sandbox";
  /** {@code griot.dev/network: none} on the Pods of specs without network, for a NetworkPolicy. */
  public static final String NETWORK = "griot.dev/network";

  static final String WORKSPACE_VOLUME = "workspace";
  static final String HOME_VOLUME = "home";
  static final String TMP_VOLUME = "tmp";

  private SandboxPods() {}

  /** The Pod of sandbox {@code name}, running {@code spec} within {@code limits}. */
  public static Pod pod(String name, String namespace, SandboxSpec spec, SandboxLimits limits, KubernetesSettings settings) {
    Path workspace = spec.workspace().toAbsolutePath().normalize();
    List<String> command = new ArrayList<>();
    for (String arg : spec.command()) command.add(inside(arg, workspace, settings.workspacePath()));

    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", settings.path());
    env.put("LANG", settings.lang());
    env.put("HOME", settings.home());
    spec.environment().forEach((k, v) -> env.put(k, inside(v, workspace, settings.workspacePath())));
    List<EnvVar> envVars = new ArrayList<>();
    env.forEach((k, v) -> envVars.add(new EnvVar(k, v, null)));

    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, "griot");
    labels.put(SANDBOX, name);
    if (!spec.network()) labels.put(NETWORK, "none");

    List<LocalObjectReference> pullSecrets = new ArrayList<>();
    for (String secret : settings.imagePullSecrets()) pullSecrets.add(new LocalObjectReference(secret));

    SeccompProfile runtimeDefault = new SeccompProfile(null, "RuntimeDefault");
    return new PodBuilder()
        .withNewMetadata()
          .withName(name)
          .withNamespace(namespace)
          .withLabels(labels)
        .endMetadata()
        .withNewSpec()
          .withRestartPolicy("Never")
          .withAutomountServiceAccountToken(false)
          .withEnableServiceLinks(false)
          .withServiceAccountName(settings.serviceAccount().orElse(null))
          .withImagePullSecrets(pullSecrets)
          .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(settings.runAsUser())
            .withRunAsGroup(settings.runAsGroup())
            .withFsGroup(settings.runAsGroup())
            .withSeccompProfile(runtimeDefault)
          .endSecurityContext()
          .addNewContainer()
            .withName(CONTAINER)
            .withImage(settings.image())
            .withImagePullPolicy(settings.imagePullPolicy())
            .withCommand(command)
            .withWorkingDir(settings.workspacePath())
            .withEnv(envVars)
            .withStdin(false)
            .withTty(false)
            .withResources(resources(limits))
            .withNewSecurityContext()
              .withReadOnlyRootFilesystem(true)
              .withAllowPrivilegeEscalation(false)
              .withPrivileged(false)
              .withCapabilities(new Capabilities(null, List.of("ALL")))
              .withRunAsNonRoot(true)
              .withRunAsUser(settings.runAsUser())
              .withRunAsGroup(settings.runAsGroup())
              .withSeccompProfile(runtimeDefault)
            .endSecurityContext()
            .withVolumeMounts(
                mount(WORKSPACE_VOLUME, settings.workspacePath()),
                mount(HOME_VOLUME, settings.home()),
                mount(TMP_VOLUME, "/tmp"))
          .endContainer()
          .withVolumes(
              emptyDir(WORKSPACE_VOLUME, settings.workspaceSizeLimit()),
              emptyDir(HOME_VOLUME, settings.workspaceSizeLimit()),
              emptyDir(TMP_VOLUME, settings.tmpSizeLimit()))
        .endSpec()
        .build();
  }

  /**
   * Limits and equal requests: memory in bytes and CPU in millicores, each only when set. A Pod
   * cannot limit its number of processes (that is the kubelet's {@code podPidsLimit}).
   */
  static ResourceRequirements resources(SandboxLimits limits) {
    Map<String, Quantity> amounts = new LinkedHashMap<>();
    if (limits.memoryBytes() > 0) amounts.put("memory", new Quantity(Long.toString(limits.memoryBytes())));
    if (limits.cpuMillis() > 0) amounts.put("cpu", new Quantity(limits.cpuMillis() + "m"));
    ResourceRequirements r = new ResourceRequirements();
    if (!amounts.isEmpty()) {
      r.setLimits(new LinkedHashMap<>(amounts));
      r.setRequests(new LinkedHashMap<>(amounts));
    }
    return r;
  }

  private static VolumeMount mount(String volume, String path) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(false).build();
  }

  private static Volume emptyDir(String name, Optional<String> sizeLimit) {
    return new VolumeBuilder()
        .withName(name)
        .withNewEmptyDir()
          .withSizeLimit(sizeLimit.map(Quantity::new).orElse(null))
        .endEmptyDir()
        .build();
  }

  /** {@code value} with a leading node workspace path replaced by the Pod's workspace path. */
  static String inside(String value, Path workspace, String podWorkspace) {
    return dev.griot.sandbox.SandboxSpec.pathInside(value, workspace, podWorkspace);
  }
}
