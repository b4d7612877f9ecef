package dev.griot.sandbox;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the {@link BubblewrapSandbox} (the {@code process} kind), read from {@code
 * griot.sandbox.bubblewrap}, {@code griot.sandbox.limits}, {@code griot.sandbox.cgroups} and the
 * {@code path}/{@code lang} of {@code griot.sandbox.process} (defaults in this module's {@code
 * reference.conf}).
 *
 * @param program the {@code bwrap} program: a name looked up on {@code path}, or an absolute path
 * @param systemPaths host folders bound read-only at the same place when they exist; a symbolic
 *     link among them (like {@code /bin -> usr/bin}) is recreated as the same link
 * @param etcPaths files and folders (of {@code /etc}, usually) bound read-only when they exist
 * @param path the {@code PATH} of every sandboxed process
 * @param lang the {@code LANG} of every sandboxed process
 * @param defaultLimits the limits of a spec that names none
 * @param cgroupsRequired refuse to start when a limit is asked for and the node cannot write the
 *     cgroup for it; when off, such a sandbox runs without that limit
 * @param cgroupParent the folder, under the node's own cgroup, holding one cgroup per sandbox
 */
public record BubblewrapSettings(
    String program,
    List<String> systemPaths,
    List<String> etcPaths,
    String path,
    String lang,
    SandboxLimits defaultLimits,
    boolean cgroupsRequired,
    String cgroupParent) {

  public BubblewrapSettings {
    Objects.requireNonNull(program, "program");
    systemPaths = List.copyOf(systemPaths);
    etcPaths = List.copyOf(etcPaths);
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(lang, "lang");
    Objects.requireNonNull(defaultLimits, "defaultLimits");
    Objects.requireNonNull(cgroupParent, "cgroupParent");
    if (cgroupParent.isBlank() || cgroupParent.contains("/") || cgroupParent.contains(".."))
      throw new IllegalArgumentException("griot.sandbox.cgroups.parent must be a plain folder name: " + cgroupParent);
  }

  /** Reads the settings from a full configuration (the actor system's, usually). */
  public static BubblewrapSettings fromConfig(Config root) {
    Config b = root.getConfig("griot.sandbox.bubblewrap");
    Config p = root.getConfig("griot.sandbox.process");
    Config c = root.getConfig("griot.sandbox.cgroups");
    return new BubblewrapSettings(
        b.getString("program"),
        b.getStringList("system-paths"),
        b.getStringList("etc-paths"),
        p.getString("path"),
        p.getString("lang"),
        SandboxLimits.fromConfig(root),
        c.getBoolean("required"),
        c.getString("parent"));
  }
}
