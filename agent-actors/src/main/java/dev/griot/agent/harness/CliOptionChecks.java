package dev.griot.agent.harness;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Option checks the agent CLI adapters ({@code claude-code}, {@code codex}, {@code gemini}) share,
 * on top of {@link dev.griot.agent.harness.OptionChecks}.
 */
public final class CliOptionChecks {

  private CliOptionChecks() {}

  /** Adds a problem when {@code key} is present but blank. */
  public static void notBlank(Map<String, String> options, String key, List<String> problems) {
    String value = options.get(key);
    if (value != null && value.isBlank()) problems.add("option '" + key + "' must not be blank");
  }

  /** Adds a problem when {@code key} is present but not a number above 0. */
  public static void positiveDecimal(Map<String, String> options, String key, List<String> problems) {
    String value = options.get(key);
    if (value == null) return;
    try {
      double d = Double.parseDouble(value.trim());
      if (!(d > 0) || Double.isInfinite(d))
        problems.add("option '" + key + "' must be a number above 0, got '" + value + "'");
    } catch (NumberFormatException e) {
      problems.add("option '" + key + "' must be a number above 0, got '" + value + "'");
    }
  }

  /** Adds a problem when {@code key} is present but not an absolute http(s) URL. */
  public static void httpUrl(Map<String, String> options, String key, List<String> problems) {
    String value = options.get(key);
    if (value == null) return;
    boolean ok;
    try {
      URI uri = new URI(value);
      ok = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (Exception e) {
      ok = false;
    }
    if (!ok) problems.add("option '" + key + "' must be an http or https URL, got '" + value + "'");
  }

  /** Adds a problem when {@code key} is present but not {@code true} or {@code false}. */
  public static void bool(Map<String, String> options, String key, List<String> problems) {
    String value = options.get(key);
    if (value != null && !value.equals("true") && !value.equals("false"))
      problems.add("option '" + key + "' must be true or false, got '" + value + "'");
  }
}
