package dev.griot.sandbox.kubernetes;

import com.typesafe.config.Config;
import dev.griot.sandbox.SandboxException;
import dev.griot.sandbox.SandboxLimits;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Settings of the {@link KubernetesSandbox} (the {@code container} kind with {@code backend =
 * kubernetes}), read from {@code griot.sandbox.container.kubernetes}, {@code griot.sandbox.limits}
 * and the {@code path}/{@code lang} of {@code griot.sandbox.process}.
 *
 * @param namespace the namespace of the sandbox Pods; empty for the client's own
 * @param image the image every sandbox Pod runs
 * @param imagePullPolicy {@code Always}, {@code IfNotPresent} or {@code Never}
 * @param imagePullSecrets names of Secrets of the namespace used to pull the image
 * @param runAsUser the user id of the container (not 0: the Pod sets {@code runAsNonRoot})
 * @param runAsGroup the group id of the container, and the Pod's {@code fsGroup}
 * @param serviceAccount the Pod's ServiceAccount; empty for the namespace's default (its token is
 *     never mounted either way)
 * @param podNamePrefix the start of every Pod name, followed by a random UUID
 * @param workspacePath where the workspace emptyDir is mounted: the working directory
 * @param workspaceSizeLimit the size limit of the workspace and home emptyDirs (a quantity)
 * @param tmpSizeLimit the size limit of the {@code /tmp} emptyDir (a quantity)
 * @param path the {@code PATH} of the container, looked up in the image
 * @param lang the {@code LANG} of the container
 * @param defaultLimits the limits of a spec that names none
 * @param startTimeout how long a Pod may take to get its container running
 * @param pollInterval how often each Pod is read besides the watch
 * @param logDrainTimeout once the container ended, how long to wait for the rest of its log
 * @param killTimeout after a kill's grace, how long to wait for the Pod to go before deleting it
 *     forcibly
 * @param apiTimeout how long the Pod may be unreadable before the sandbox is given up
 */
public record KubernetesSettings(
    String namespace,
    String image,
    String imagePullPolicy,
    List<String> imagePullSecrets,
    long runAsUser,
    long runAsGroup,
    Optional<String> serviceAccount,
    String podNamePrefix,
    String workspacePath,
    Optional<String> workspaceSizeLimit,
    Optional<String> tmpSizeLimit,
    String path,
    String lang,
    SandboxLimits defaultLimits,
    Duration startTimeout,
    Duration pollInterval,
    Duration logDrainTimeout,
    Duration killTimeout,
    Duration apiTimeout) {

  /** The longest prefix: with a 36-character UUID, a Pod name stays a valid label value (63). */
  public static final int MAX_PREFIX = 26;

  private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
  private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]*)?");
  private static final String KEYS = "griot.sandbox.container.kubernetes.";

  public KubernetesSettings {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
    imagePullSecrets = List.copyOf(imagePullSecrets);
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    Objects.requireNonNull(podNamePrefix, "podNamePrefix");
    Objects.requireNonNull(workspacePath, "workspacePath");
    Objects.requireNonNull(workspaceSizeLimit, "workspaceSizeLimit");
    Objects.requireNonNull(tmpSizeLimit, "tmpSizeLimit");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(lang, "lang");
    Objects.requireNonNull(defaultLimits, "defaultLimits");
    for (Duration d : List.of(startTimeout, pollInterval, logDrainTimeout, killTimeout, apiTimeout))
      if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(KEYS + "*-timeout and poll-interval must be positive: " + d);
    if (image.isBlank())
      throw new SandboxException("griot.sandbox.container.backend = kubernetes needs " + KEYS
          + "image: the image of the sandbox Pods, holding the harnesses' programs");
    if (!PULL_POLICIES.contains(imagePullPolicy))
      throw new IllegalArgumentException(KEYS + "image-pull-policy must be Always, IfNotPresent or Never: " + imagePullPolicy);
    if (runAsUser <= 0 || runAsGroup < 0)
      throw new IllegalArgumentException(KEYS + "run-as-user must be a user id above 0 (the Pod runs as non-root), "
          + "run-as-group at least 0: " + runAsUser + ", " + runAsGroup);
    if (podNamePrefix.length() > MAX_PREFIX || !PREFIX.matcher(podNamePrefix).matches())
      throw new IllegalArgumentException(KEYS + "pod-name-prefix must be lower-case letters, digits and '-', "
          + "starting with a letter or digit, at most " + MAX_PREFIX + " characters: '" + podNamePrefix + "'");
    if (!workspacePath.startsWith("/") || workspacePath.equals("/") || workspacePath.equals("/tmp")
        || workspacePath.startsWith("/tmp/") || workspacePath.contains(".."))
      throw new IllegalArgumentException(KEYS + "workspace-path must be an absolute folder other than / and /tmp: " + workspacePath);
    workspaceSizeLimit.ifPresent(q -> checkQuantity("workspace-size-limit", q));
    tmpSizeLimit.ifPresent(q -> checkQuantity("tmp-size-limit", q));
  }

  /**
   * Reads the settings from a full configuration.
   *
   * @throws SandboxException when {@code griot.sandbox.container.kubernetes.image} is empty
   */
  public static KubernetesSettings fromConfig(Config root) {
    Config k = root.getConfig("griot.sandbox.container.kubernetes");
    Config p = root.getConfig("griot.sandbox.process");
    return new KubernetesSettings(
        k.getString("namespace").trim(),
        k.getString("image").trim(),
        k.getString("image-pull-policy"),
        k.getStringList("image-pull-secrets"),
        k.getLong("run-as-user"),
        k.getLong("run-as-group"),
        optional(k.getString("service-account")),
        k.getString("pod-name-prefix"),
        k.getString("workspace-path"),
        optional(k.getString("workspace-size-limit")),
        optional(k.getString("tmp-size-limit")),
        p.getString("path"),
        p.getString("lang"),
        SandboxLimits.fromConfig(root),
        k.getDuration("start-timeout"),
        k.getDuration("poll-interval"),
        k.getDuration("log-drain-timeout"),
        k.getDuration("kill-timeout"),
        k.getDuration("api-timeout"));
  }

  /** The home of the container: {@code <workspacePath>/.home}. */
  public String home() {
    return workspacePath + "/.home";
  }

  /** These settings with other timings (tests, mostly). */
  public KubernetesSettings withTimings(
      Duration startTimeout, Duration pollInterval, Duration logDrainTimeout, Duration killTimeout, Duration apiTimeout) {
    return new KubernetesSettings(namespace, image, imagePullPolicy, imagePullSecrets, runAsUser, runAsGroup,
        serviceAccount, podNamePrefix, workspacePath, workspaceSizeLimit, tmpSizeLimit, path, lang, defaultLimits,
        startTimeout, pollInterval, logDrainTimeout, killTimeout, apiTimeout);
  }

  private static Optional<String> optional(String value) {
    return value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static void checkQuantity(String key, String value) {
    try {
      Quantity.getAmountInBytes(new Quantity(value));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(KEYS + key + " must be a Kubernetes quantity like 10Gi or 500Mi: '" + value + "'");
    }
  }
}
