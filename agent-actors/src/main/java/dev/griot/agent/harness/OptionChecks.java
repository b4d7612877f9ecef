package dev.griot.agent.harness;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Small checks adapters share to validate their options into human-readable problems. */
public final class OptionChecks {

  private OptionChecks() {}

  /** Adds a problem for every key of {@code options} that is not in {@code known}. */
  public static void unknownKeys(
      String harness, Map<String, String> options, Set<String> known, List<String> problems) {
    for (String key : new TreeSet<>(options.keySet())) {
      if (!known.contains(key))
        problems.add(
            "unknown option '" + key + "' for harness " + harness + " (known: "
                + String.join(", ", new TreeSet<>(known)) + ")");
    }
  }

  /**
   * Adds a problem when {@code key} is present but not an integer in [{@code min}, {@code max}].
   */
  public static void intInRange(
      Map<String, String> options, String key, long min, long max, List<String> problems) {
    String value = options.get(key);
    if (value == null) return;
    try {
      long n = Long.parseLong(value.trim());
      if (n < min || n > max)
        problems.add("option '" + key + "' must be between " + min + " and " + max + ", got " + n);
    } catch (NumberFormatException e) {
      problems.add("option '" + key + "' must be an integer, got '" + value + "'");
    }
  }

  /** Adds a problem when {@code key} is present but not one of {@code allowed}. */
  public static void oneOf(
      Map<String, String> options, String key, Set<String> allowed, List<String> problems) {
    String value = options.get(key);
    if (value != null && !allowed.contains(value))
      problems.add(
          "option '" + key + "' must be one of " + String.join(", ", new TreeSet<>(allowed))
              + ", got '" + value + "'");
  }

  /** Adds a problem when {@code key} is missing or blank. */
  public static void required(Map<String, String> options, String key, List<String> problems) {
    String value = options.get(key);
    if (value == null || value.isBlank()) problems.add("option '" + key + "' is required");
  }
}
