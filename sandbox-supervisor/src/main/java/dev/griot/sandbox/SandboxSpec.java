package dev.griot.sandbox;

import dev.griot.persistence.CborSerializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run in a sandbox: the command line, the workspace that becomes its working directory,
 * and the complete environment of the child.
 *
 * <p>The child sees <em>only</em> {@code environment} plus three defaults chosen by the sandbox:
 * {@code PATH} (from settings), {@code LANG} (from settings) and {@code HOME =
 * <workspace>/.home}. Entries of {@code environment} override those defaults. Nothing of the
 * node's own environment is passed on, so no credential of the node reaches a harness. Standard
 * input is always {@code /dev/null}.
 *
 * @param command the program and its arguments; a program name without a slash is looked up on
 *     the sandbox's {@code PATH}, never the node's
 * @param workspace the working directory of the child, created when missing
 * @param environment variables given to the child, on top of the defaults
 */
public record SandboxSpec(List<String> command, Path workspace, Map<String, String> environment)
    implements CborSerializable {

  public SandboxSpec {
    command = List.copyOf(Objects.requireNonNull(command, "command"));
    if (command.isEmpty()) throw new IllegalArgumentException("command must not be empty");
    Objects.requireNonNull(workspace, "workspace");
    environment = environment == null ? Map.of() : Map.copyOf(environment);
  }

  /** The home directory the child gets: {@code <workspace>/.home}. */
  public Path home() {
    return workspace.resolve(".home");
  }
}
