package dev.griot.agent.harness;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryPromptTest {

  static Turn turn(int n, String text) {
    return new Turn(n, List.of(
        new TurnItem.Message("m" + n, text),
        new TurnItem.ToolCall("t" + n, "Bash", "{\"command\":\"echo " + n + "\"}"),
        new TurnItem.ToolResult("t" + n, "out " + n, n % 2 == 0)), Usage.ZERO);
  }

  @Test
  void itTellsTheTaskAndEveryTurnWithItsMessagesToolCallsAndResults() {
    String p = RecoveryPrompt.build("Fix the build", List.of(turn(1, "Looking at the build."), turn(2, "Found it.")));

    assertTrue(p.contains("## The task\n\nFix the build\n"), p);
    assertTrue(p.indexOf("### Turn 1\n") < p.indexOf("### Turn 2\n"), p);
    assertTrue(p.contains("You wrote:\nLooking at the build."), p);
    assertTrue(p.contains("You called tool Bash (t1) with:\n{\"command\":\"echo 1\"}"), p);
    assertTrue(p.contains("Tool t1 returned:\nout 1"), p);
    assertTrue(p.contains("Tool t2 failed:\nout 2"), p);
    assertTrue(p.contains("Do not redo the work above"), p);
    assertFalse(p.contains("left out"), p);
  }

  @Test
  void longItemsAreCutAndTheEarliestTurnsLeftOutToFitOneArgument() {
    List<Turn> turns = new ArrayList<>();
    for (int n = 1; n <= 200; n++) turns.add(turn(n, "x".repeat(5_000)));

    String p = RecoveryPrompt.build("task", turns);

    assertTrue(p.getBytes(StandardCharsets.UTF_8).length <= RecoveryPrompt.MAX_BYTES, "fits: " + p.length());
    assertTrue(p.contains("[…3000 more characters]"), "a message is cut to 2,000 characters");
    assertTrue(p.contains("### Turn 200\n"), "the latest turn is kept");
    int first = Integer.parseInt(p.substring(p.indexOf("### Turn ") + 9, p.indexOf('\n', p.indexOf("### Turn "))));
    assertTrue(first > 1, "the earliest are left out");
    assertTrue(p.contains(String.format(RecoveryPrompt.OMITTED, first - 1)), "and it says so");
  }
}
