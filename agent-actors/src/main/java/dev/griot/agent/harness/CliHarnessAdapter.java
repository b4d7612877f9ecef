package dev.griot.agent.harness;

import dev.griot.sandbox.SandboxSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the adapters of the real harness CLIs (claude-code, codex, gemini) share: the options every
 * one of them takes ({@code program}, {@code model}, {@code base_url}, {@code egress}), checking
 * them before a command line is built, the host folders the node's operator lets the CLI read,
 * and the egress gateway when the run asks for it. A subclass adds its own options and builds its
 * command line.
 */
public abstract class CliHarnessAdapter implements HarnessAdapter {

  /** Options of every real CLI. */
  public static final Set<String> COMMON_OPTIONS = Set.of("program", "model", "base_url", "egress");

  private final String name;
  private final Set<String> options;
  private final List<Path> readOnlyPaths;

  /**
   * @param ownOptions the options this CLI takes beyond {@link #COMMON_OPTIONS}
   * @param readOnlyPaths host folders the harness needs to read, such as an npm installation
   *     outside the system folders; set by the node's operator, never by a run
   */
  protected CliHarnessAdapter(String name, Set<String> ownOptions, List<Path> readOnlyPaths) {
    this.name = Objects.requireNonNull(name, "name");
    Set<String> all = new HashSet<>(COMMON_OPTIONS);
    all.addAll(ownOptions);
    this.options = Set.copyOf(all);
    this.readOnlyPaths = List.copyOf(Objects.requireNonNull(readOnlyPaths, "readOnlyPaths"));
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final List<String> validate(Map<String, String> given) {
    List<String> problems = new ArrayList<>();
    OptionChecks.unknownKeys(name, given, options, problems);
    CliOptionChecks.notBlank(given, "program", problems);
    CliOptionChecks.notBlank(given, "model", problems);
    CliOptionChecks.httpUrl(given, "base_url", problems);
    CliOptionChecks.bool(given, "egress", problems);
    validateOwn(given, problems);
    return problems;
  }

  /** Adds the problems of this CLI's own options. */
  protected void validateOwn(Map<String, String> given, List<String> problems) {}

  @Override
  public final SandboxSpec command(HarnessInvocation inv) {
    List<String> problems = validate(inv.options());
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return spec(inv).withReadOnlyPaths(readOnlyPaths).withEgress("true".equals(inv.options().get("egress")));
  }

  /** The command line and environment of the CLI for checked options. */
  protected abstract SandboxSpec spec(HarnessInvocation inv);
}
