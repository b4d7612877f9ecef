package dev.griot.agent.run;

import dev.griot.agent.harness.Usage;
import dev.griot.persistence.CborSerializable;
import java.util.Optional;

/** What a user sees of a run: its status and record, and where its journal ends. */
public record RunView(
    RunStatus status,
    RunRecord record,
    String resultText,
    String pendingQuestion,
    Optional<RunState.Due> nextDue,
    long lastSequenceNr)
    implements CborSerializable {

  public RunView {
    resultText = resultText == null ? "" : resultText;
    pendingQuestion = pendingQuestion == null ? "" : pendingQuestion;
    nextDue = nextDue == null ? Optional.empty() : nextDue;
  }

  public String runId() {
    return record.runId();
  }

  public Usage usage() {
    return record.usage();
  }

  static RunView of(RunState.Accepted state, long lastSequenceNr) {
    String result = state instanceof RunState.Completed c ? c.resultText() : "";
    String question = state instanceof RunState.WaitingForInput w ? w.question() : "";
    return new RunView(state.status(), state.record(), result, question, state.due(), lastSequenceNr);
  }
}
