package dev.griot.agent.harness.scripted;

import com.fasterxml.jackson.databind.JsonNode;
import dev.griot.agent.harness.RecoveryPrompt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a resumed scripted attempt checks it was handed (option {@code verify_resume}): the
 * session file holds the turn records 1..N exactly, in order, and the work log the lines of turns
 * 1..N exactly. Lines after the last turn record (the start of a turn that was not finished) are
 * allowed, as a real harness's session may hold them.
 */
final class ResumeCheck {

  private static final String TURN_RECORD = "griot_scripted_turn";

  private ResumeCheck() {}

  static String turnRecord(int turn) {
    return "{\"type\":\"" + TURN_RECORD + "\",\"turn\":" + turn + "}";
  }

  static String workLine(int turn) {
    return "turn " + turn;
  }

  /** Why the files do not match {@code completedTurns}, or null when they do. */
  static String problem(Optional<Path> sessionFile, Path workLog, int completedTurns) throws IOException {
    if (sessionFile.isEmpty()) return "no HOME, so no session file";
    Path session = sessionFile.get();
    if (!Files.exists(session)) return "no session file " + session + " (to resume after " + completedTurns + " turns)";
    List<Integer> turns = new ArrayList<>();
    for (String line : Files.readAllLines(session, StandardCharsets.UTF_8)) {
      if (!line.contains(TURN_RECORD)) continue;
      JsonNode record = ScriptedTranscript.MAPPER.readTree(line);
      if (TURN_RECORD.equals(record.path("type").asText())) turns.add(record.path("turn").asInt());
    }
    List<Integer> expected = new ArrayList<>();
    for (int t = 1; t <= completedTurns; t++) expected.add(t);
    if (!turns.equals(expected))
      return "session file " + session.getFileName() + " holds turns " + summary(turns) + ", expected 1.." + completedTurns;
    List<String> work = Files.exists(workLog) ? Files.readAllLines(workLog, StandardCharsets.UTF_8) : List.of();
    List<String> expectedWork = expected.stream().map(ResumeCheck::workLine).toList();
    if (!work.equals(expectedWork))
      return "workspace's " + workLog + " holds " + work.size() + " line(s) (last: '"
          + (work.isEmpty() ? "" : work.get(work.size() - 1)) + "'), expected turns 1.." + completedTurns;
    return null;
  }

  /**
   * Why the prompt of a recovery (a new session, {@link RecoveryPrompt}) does not tell turns
   * 1..N, or null when it does: its turn headings must run without a gap up to N, starting at 1
   * or right after the note that left the earliest out.
   */
  static String recoveryProblem(String prompt, int completedTurns) {
    List<Integer> turns = new ArrayList<>();
    for (String line : prompt.split("\n")) {
      if (line.startsWith(RecoveryPrompt.TURN_HEADING))
        turns.add(Integer.parseInt(line.substring(RecoveryPrompt.TURN_HEADING.length()).trim()));
    }
    int first = turns.isEmpty() ? completedTurns + 1 : turns.get(0);
    List<Integer> expected = new ArrayList<>();
    for (int t = first; t <= completedTurns; t++) expected.add(t);
    if (!turns.equals(expected) || first < 1)
      return "recovery prompt tells turns " + summary(turns) + ", expected 1.." + completedTurns;
    if (first > 1 && !prompt.contains(String.format(RecoveryPrompt.OMITTED, first - 1)))
      return "recovery prompt starts at turn " + first + " without saying turns 1.." + (first - 1) + " are left out";
    return null;
  }

  private static String summary(List<Integer> turns) {
    if (turns.isEmpty()) return "none";
    if (turns.size() <= 6) return turns.toString();
    return turns.subList(0, 3) + "…" + turns.subList(turns.size() - 3, turns.size()) + " (" + turns.size() + ")";
  }
}
