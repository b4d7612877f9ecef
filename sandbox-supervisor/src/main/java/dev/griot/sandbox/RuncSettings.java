package dev.griot.sandbox;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the {@link RuncSandbox} (the {@code container} kind), read from {@code
 * griot.sandbox.container}, {@code griot.sandbox.limits}, {@code griot.sandbox.cgroups.parent} and
 * the {@code path}/{@code lang} of {@code griot.sandbox.process}.
 *
 * @param runtime the OCI runtime program ({@code runc}): a name looked up on {@code path}, or an
 *     absolute path
 * @param rootfs the folder holding the containers' root file system (never written to)
 * @param stateRoot runc's {@code --root} (where it keeps container state); empty for runc's own
 *     default ({@code /run/runc} as root)
 * @param path the {@code PATH} of every container process, and where the runtime is looked up
 * @param lang the {@code LANG} of every container process
 * @param defaultLimits the limits of a spec that names none
 * @param cgroupParent the folder, under the node's own cgroup, holding one cgroup per container
 */
public record RuncSettings(
    String runtime,
    Path rootfs,
    Optional<Path> stateRoot,
    String path,
    String lang,
    SandboxLimits defaultLimits,
    String cgroupParent) {

  public RuncSettings {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(rootfs, "rootfs");
    Objects.requireNonNull(stateRoot, "stateRoot");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(lang, "lang");
    Objects.requireNonNull(defaultLimits, "defaultLimits");
    Objects.requireNonNull(cgroupParent, "cgroupParent");
    if (cgroupParent.isBlank() || cgroupParent.contains("/") || cgroupParent.contains(".."))
      throw new IllegalArgumentException("griot.sandbox.cgroups.parent must be a plain folder name: " + cgroupParent);
  }

  /**
   * Reads the settings from a full configuration.
   *
   * @throws SandboxException when neither {@code griot.sandbox.container.rootfs} nor {@code image}
   *     is set, or the image cannot be unpacked (the image is unpacked here, once per node, into
   *     {@code image-cache})
   */
  public static RuncSettings fromConfig(Config root) {
    Config c = root.getConfig("griot.sandbox.container");
    Config p = root.getConfig("griot.sandbox.process");
    String rootfs = c.getString("rootfs");
    String image = c.getString("image");
    if (!rootfs.isBlank() && !image.isBlank())
      throw SandboxException.refused("set griot.sandbox.container.rootfs or griot.sandbox.container.image, not both");
    if (!image.isBlank()) {
      Path cache = c.getString("image-cache").isBlank()
          ? Path.of(System.getProperty("user.home"), ".griot", "images") : Path.of(c.getString("image-cache"));
      rootfs = OciImageLayout.rootfs(image, cache).toString();
    }
    if (rootfs.isBlank())
      throw new SandboxException("griot.sandbox.kind = container needs griot.sandbox.container.rootfs (the folder holding "
          + "the containers' root file system: a busybox or debootstrap tree, an unpacked image) or "
          + "griot.sandbox.container.image (an OCI image layout folder, with :<tag> when it holds several images)");
    String state = c.getString("state-root");
    return new RuncSettings(
        c.getString("runtime"),
        Path.of(rootfs),
        state.isBlank() ? Optional.empty() : Optional.of(Path.of(state)),
        p.getString("path"),
        p.getString("lang"),
        SandboxLimits.fromConfig(root),
        root.getString("griot.sandbox.cgroups.parent"));
  }
}
