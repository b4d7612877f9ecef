package dev.griot.agent.harness.scripted;

import static org.junit.jupiter.api.Assertions.*;

import dev.griot.agent.harness.RecoveryPrompt;
import dev.griot.agent.harness.Turn;
import dev.griot.agent.harness.TurnItem;
import dev.griot.agent.harness.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumeCheckRecoveryTest {

  private static List<Turn> turns(int from, int to, int textLength) {
    List<Turn> turns = new ArrayList<>();
    for (int n = from; n <= to; n++) turns.add(new Turn(n, List.of(new TurnItem.Message("m", "y".repeat(textLength))), Usage.ZERO));
    return turns;
  }

  @Test
  void aRecoveryPromptOfTurns1ToNPasses() {
    assertNull(ResumeCheck.recoveryProblem(RecoveryPrompt.build("t", turns(1, 3, 10)), 3));
  }

  @Test
  void aPromptWithTheEarliestTurnsLeftOutPassesWhenItSaysSo() {
    String p = RecoveryPrompt.build("t", turns(1, 100, 1_500));
    assertTrue(p.contains("left out"), "this many turns do not fit");
    assertNull(ResumeCheck.recoveryProblem(p, 100));
  }

  @Test
  void aMissingOrExtraTurnFails() {
    String problem = ResumeCheck.recoveryProblem(RecoveryPrompt.build("t", turns(1, 3, 10)), 4);
    assertTrue(problem.contains("expected 1..4"), problem);
    assertNotNull(ResumeCheck.recoveryProblem(RecoveryPrompt.build("t", turns(1, 3, 10)), 2));
    assertNotNull(ResumeCheck.recoveryProblem(RecoveryPrompt.build("t", turns(2, 3, 10)), 3), "turn 1 missing, unannounced");
  }
}
