package dev.griot.agent.harness.scripted;

import java.util.Locale;

/** How a scripted attempt fails after its {@code fail_after_turns} turns. */
public enum FailMode {
  /** Starts the next turn, then exits 1 at once, with no result: a crashed harness. */
  CRASH,
  /** Prints {@code system/api_retry} lines with status 529 (overloaded), then exits 1. */
  TRANSIENT,
  /** Prints {@code system/api_retry} lines with status 401, then an error result; exits 1. */
  FATAL;

  /** The option value naming this mode ({@code crash}, {@code transient}, {@code fatal}). */
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  static FailMode fromOptionValue(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
