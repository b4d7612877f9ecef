package dev.griot.agent.harness;

import dev.griot.agent.harness.scripted.ScriptedAdapter;
import dev.griot.agent.harness.shell.ShellAdapter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The harnesses a node knows, by name; validates run specs for the ingress. */
public final class HarnessRegistry {

  private final Map<String, HarnessAdapter> adapters;

  public HarnessRegistry(List<HarnessAdapter> adapters) {
    Map<String, HarnessAdapter> byName = new LinkedHashMap<>();
    for (HarnessAdapter a : adapters) {
      if (byName.putIfAbsent(a.name(), a) != null)
        throw new IllegalArgumentException("two harnesses named " + a.name());
    }
    this.adapters = Map.copyOf(byName);
  }

  /** The built-in harnesses: scripted, shell, claude-code, codex and gemini. */
  public static HarnessRegistry standard() {
    return fromConfig(com.typesafe.config.ConfigFactory.load());
  }

  /**
   * The built-in harnesses, the real CLIs among them reading the host folders an operator lists
   * in {@code griot.harnesses.<name>.read-only-paths} (an npm installation outside the sandbox's
   * system folders, for example).
   */
  public static HarnessRegistry fromConfig(com.typesafe.config.Config root) {
    com.typesafe.config.Config c = root.getConfig("griot.harnesses");
    java.util.function.Function<String, List<java.nio.file.Path>> paths =
        name -> c.getStringList(name + ".read-only-paths").stream().map(java.nio.file.Path::of).toList();
    return new HarnessRegistry(List.of(
        new ScriptedAdapter(),
        new ShellAdapter(),
        new dev.griot.agent.harness.claude.ClaudeCodeAdapter(paths.apply("claude-code")),
        new dev.griot.agent.harness.codex.CodexAdapter(paths.apply("codex")),
        new dev.griot.agent.harness.gemini.GeminiAdapter(paths.apply("gemini"))));
  }

  public Optional<HarnessAdapter> find(String name) {
    return Optional.ofNullable(adapters.get(name));
  }

  /** The names of all known harnesses. */
  public Set<String> names() {
    return adapters.keySet();
  }

  /**
   * Human-readable problems with a harness name and its options, for an INVALID_ARGUMENT reply;
   * empty when both are fine.
   */
  public List<String> validate(String harness, Map<String, String> options) {
    HarnessAdapter adapter = harness == null ? null : adapters.get(harness);
    if (adapter == null) {
      List<String> known = new ArrayList<>(adapters.keySet());
      known.sort(null);
      return List.of("unknown harness '" + harness + "' (known: " + String.join(", ", known) + ")");
    }
    return List.copyOf(adapter.validate(options == null ? Map.of() : options));
  }
}
