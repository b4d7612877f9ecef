package dev.griot.sandbox;

import dev.griot.persistence.CborSerializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run in a sandbox: the command line, the workspace that becomes its working directory,
 * the complete environment of the child, and what else of the host it may see.
 *
 * <p>The child sees <em>only</em> {@code environment} plus three defaults chosen by the sandbox:
 * {@code PATH} (from settings), {@code LANG} (from settings) and {@code HOME =
 * <workspace>/.home}. Entries of {@code environment} override those defaults. Nothing of the
 * node's own environment is passed on, so no credential of the node reaches a harness. Standard
 * input is always {@code /dev/null}.
 *
 * @param command the program and its arguments; a program name without a slash is looked up on
 *     the sandbox's {@code PATH}, never the node's
 * @param workspace the working directory of the child, created when missing; the only place it
 *     may write to (besides a private {@code /tmp})
 * @param environment variables given to the child, on top of the defaults
 * @param readOnlyPaths files and folders of the host the child needs to read besides the system
 *     folders ({@code /usr} and a few files of {@code /etc}); an isolating sandbox binds them
 *     read-only at the same path. Never {@code /} or a folder holding the workspace.
 * @param network whether the child may use the host's network; without it, it has only a
 *     loopback of its own
 * @param limits memory, process and CPU limits; {@code null} for the node's defaults ({@code
 *     griot.sandbox.limits}), {@link SandboxLimits#NONE} for none
 */
public record SandboxSpec(
    List<String> command,
    Path workspace,
    Map<String, String> environment,
    List<Path> readOnlyPaths,
    boolean network,
    SandboxLimits limits,
    boolean egress)
    implements CborSerializable {

  public SandboxSpec {
    command = List.copyOf(Objects.requireNonNull(command, "command"));
    if (command.isEmpty()) throw new IllegalArgumentException("command must not be empty");
    Objects.requireNonNull(workspace, "workspace");
    environment = environment == null ? Map.of() : Map.copyOf(environment);
    readOnlyPaths = readOnlyPaths == null ? List.of() : List.copyOf(readOnlyPaths);
  }

  /** A spec without the egress gateway. */
  public SandboxSpec(
      List<String> command, Path workspace, Map<String, String> environment, List<Path> readOnlyPaths,
      boolean network, SandboxLimits limits) {
    this(command, workspace, environment, readOnlyPaths, network, limits, false);
  }

  /** A spec that needs nothing of the host beyond the system folders, without network, with the node's default limits. */
  public SandboxSpec(List<String> command, Path workspace, Map<String, String> environment) {
    this(command, workspace, environment, List.of(), false, null);
  }

  /**
   * Where an isolating sandbox (process, container) shows the workspace to the harness, whatever
   * its host path: the same on every node, so a harness that keys its sessions by its working
   * directory (Claude Code does) finds a session restored from a checkpoint taken on another node.
   */
  public static final String SANDBOX_WORKSPACE = "/griot/workspace";

  /**
   * {@code value} with a leading {@code hostWorkspace} path replaced by {@code sandboxWorkspace}:
   * how arguments and environment values naming the workspace are seen inside a sandbox.
   */
  public static String pathInside(String value, Path hostWorkspace, String sandboxWorkspace) {
    String ws = hostWorkspace.toString();
    if (value.equals(ws)) return sandboxWorkspace;
    if (value.startsWith(ws + "/")) return sandboxWorkspace + value.substring(ws.length());
    return value;
  }

  /** The home directory the child gets: {@code <workspace>/.home}. */
  public Path home() {
    return workspace.resolve(".home");
  }

  /** This spec, with {@code paths} readable in the sandbox. */
  public SandboxSpec withReadOnlyPaths(List<Path> paths) {
    return new SandboxSpec(command, workspace, environment, paths, network, limits, egress);
  }

  /** This spec, with or without the host's network. */
  public SandboxSpec withNetwork(boolean network) {
    return new SandboxSpec(command, workspace, environment, readOnlyPaths, network, limits, egress);
  }

  /** This spec, with {@code limits} instead of the node's defaults. */
  public SandboxSpec withLimits(SandboxLimits limits) {
    return new SandboxSpec(command, workspace, environment, readOnlyPaths, network, limits, egress);
  }

  /**
   * This spec, reaching the node's egress gateway (or not): without network of its own, the
   * sandbox then finds the gateway at {@code $GRIOT_EGRESS_URL} (http://127.0.0.1:8080), one path
   * prefix per allowed route, with the credentials added outside.
   */
  public SandboxSpec withEgress(boolean egress) {
    return new SandboxSpec(command, workspace, environment, readOnlyPaths, network, limits, egress);
  }
}
