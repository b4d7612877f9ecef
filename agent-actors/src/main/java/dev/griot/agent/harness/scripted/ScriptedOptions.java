package dev.griot.agent.harness.scripted;

import dev.griot.agent.harness.OptionChecks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The options of the {@code scripted} harness, as a run spec gives them (and as {@link
 * ScriptedHarnessMain} gets them back as {@code --key value} arguments, {@code _} turned into
 * {@code -}).
 *
 * <ul>
 *   <li>{@code transcript}: a bundled transcript ({@code claude-text}, {@code claude-bash-tool},
 *       {@code claude-mcp-tool}, {@code claude-max-turns}, {@code claude-auth-retry}; default
 *       {@code claude-bash-tool}) or the absolute path of a Claude Code stream-json file.
 *   <li>{@code turns}: how many turns to emit, repeating the transcript's turns cyclically;
 *       default the transcript's own number.
 *   <li>{@code line_delay_ms}: pause after every line; default 0.
 *   <li>{@code fail_after_turns}: fail once turn K (counted in the whole run) is done.
 *   <li>{@code fail_mode}: {@code crash} (default), {@code transient} or {@code fatal}; see {@link
 *       FailMode}.
 *   <li>{@code fail_attempts}: how many attempts fail that way; default 1, so attempt 2 succeeds.
 *   <li>{@code verify_resume}: {@code true} makes a resumed attempt check what it is handed
 *       before it goes on: its session file must hold exactly the turns 1..N it resumes after,
 *       and the workspace's {@code scripted-work.log} exactly the lines of turns 1..N; anything
 *       else ends the attempt with an error result saying what is wrong. Default {@code false}.
 * </ul>
 */
public record ScriptedOptions(
    String transcript,
    OptionalInt turns,
    long lineDelayMs,
    OptionalInt failAfterTurns,
    FailMode failMode,
    int failAttempts,
    boolean verifyResume) {

  public static final String TRANSCRIPT = "transcript";
  public static final String TURNS = "turns";
  public static final String LINE_DELAY_MS = "line_delay_ms";
  public static final String FAIL_AFTER_TURNS = "fail_after_turns";
  public static final String FAIL_MODE = "fail_mode";
  public static final String FAIL_ATTEMPTS = "fail_attempts";
  public static final String VERIFY_RESUME = "verify_resume";

  /** Every option key the harness knows. */
  public static final Set<String> KEYS =
      Set.of(TRANSCRIPT, TURNS, LINE_DELAY_MS, FAIL_AFTER_TURNS, FAIL_MODE, FAIL_ATTEMPTS, VERIFY_RESUME);

  /** The transcript replayed when none is named. */
  public static final String DEFAULT_TRANSCRIPT = "claude-bash-tool";

  static final int MAX_TURNS = 100_000;

  /** Human-readable problems with {@code options}; empty when they are fine. */
  public static List<String> problems(Map<String, String> options) {
    List<String> problems = new ArrayList<>();
    OptionChecks.unknownKeys(ScriptedAdapter.NAME, options, KEYS, problems);
    String transcript = options.get(TRANSCRIPT);
    if (transcript != null) {
      if (transcript.contains("/")) {
        if (!Path.of(transcript).isAbsolute())
          problems.add("option 'transcript' must be a bundled name or an absolute path, got '"
              + transcript + "'");
      } else if (!ScriptedTranscript.isBundled(transcript)) {
        problems.add("option 'transcript': no bundled transcript '" + transcript + "' (bundled: "
            + String.join(", ", ScriptedTranscript.BUNDLED) + ")");
      }
    }
    OptionChecks.intInRange(options, TURNS, 1, MAX_TURNS, problems);
    OptionChecks.intInRange(options, LINE_DELAY_MS, 0, 60_000, problems);
    OptionChecks.intInRange(options, FAIL_AFTER_TURNS, 0, MAX_TURNS, problems);
    OptionChecks.intInRange(options, FAIL_ATTEMPTS, 1, 1_000, problems);
    Set<String> modes =
        Arrays.stream(FailMode.values()).map(FailMode::optionValue).collect(Collectors.toSet());
    OptionChecks.oneOf(options, FAIL_MODE, modes, problems);
    OptionChecks.oneOf(options, VERIFY_RESUME, Set.of("true", "false"), problems);
    if (!options.containsKey(FAIL_AFTER_TURNS)) {
      for (String key : List.of(FAIL_MODE, FAIL_ATTEMPTS)) {
        if (options.containsKey(key))
          problems.add("option '" + key + "' needs option '" + FAIL_AFTER_TURNS + "'");
      }
    }
    return problems;
  }

  /**
   * The options in {@code options}.
   *
   * @throws IllegalArgumentException with every problem, when there are any
   */
  public static ScriptedOptions parse(Map<String, String> options) {
    List<String> problems = problems(options);
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return new ScriptedOptions(
        options.getOrDefault(TRANSCRIPT, DEFAULT_TRANSCRIPT),
        optionalInt(options.get(TURNS)),
        Long.parseLong(options.getOrDefault(LINE_DELAY_MS, "0").trim()),
        optionalInt(options.get(FAIL_AFTER_TURNS)),
        Optional.ofNullable(options.get(FAIL_MODE)).map(FailMode::fromOptionValue).orElse(FailMode.CRASH),
        Integer.parseInt(options.getOrDefault(FAIL_ATTEMPTS, "1").trim()),
        Boolean.parseBoolean(options.getOrDefault(VERIFY_RESUME, "false").trim()));
  }

  /** Whether attempt {@code attempt} is one of those that fail. */
  public boolean fails(int attempt) {
    return failAfterTurns.isPresent() && attempt <= failAttempts;
  }

  private static OptionalInt optionalInt(String value) {
    return value == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(value.trim()));
  }
}
