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

  /** The built-in harnesses: {@code scripted} and {@code shell}. */
  public static HarnessRegistry standard() {
    return new HarnessRegistry(List.of(new ScriptedAdapter(), new ShellAdapter()));
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
