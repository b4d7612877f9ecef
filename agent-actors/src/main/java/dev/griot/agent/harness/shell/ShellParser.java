package dev.griot.agent.harness.shell;

import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.HarnessParser;
import dev.griot.agent.harness.Turn;
import dev.griot.agent.harness.TurnItem;
import dev.griot.agent.harness.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a plain command's stdout: every line is an {@link HarnessEvent.AssistantMessage} (message
 * id {@code shell-<turn>-<line>}, lines counted from 1), and the whole run is one turn, completed
 * at the exit. Then a {@link HarnessEvent.Result}, a success iff the exit code is 0, whose text is
 * the last line; a non-zero exit also gives an {@link HarnessEvent.Error}: {@link
 * FailureKind#TRANSIENT} for 75 ({@code EX_TEMPFAIL}, "try again"), {@link FailureKind#FATAL}
 * otherwise.
 */
public final class ShellParser implements HarnessParser {

  /** The exit code ({@code EX_TEMPFAIL} of sysexits.h) by which a command asks to be retried. */
  public static final int EX_TEMPFAIL = 75;

  private final int turnNumber;
  private final List<TurnItem> items = new ArrayList<>();
  private String lastLine = "";

  /** @param startTurnNumber turns completed by earlier attempts */
  public ShellParser(int startTurnNumber) {
    this.turnNumber = startTurnNumber + 1;
  }

  @Override
  public List<HarnessEvent> onLine(String line) {
    String id = "shell-" + turnNumber + "-" + (items.size() + 1);
    items.add(new TurnItem.Message(id, line));
    lastLine = line;
    return List.of(new HarnessEvent.AssistantMessage(id, line));
  }

  @Override
  public List<HarnessEvent> onExit(int exitCode) {
    List<HarnessEvent> events = new ArrayList<>();
    events.add(new HarnessEvent.TurnCompleted(new Turn(turnNumber, items, Usage.ZERO)));
    boolean success = exitCode == 0;
    events.add(
        new HarnessEvent.Result(success, success ? "success" : "error", lastLine, Usage.ZERO, 0, 1));
    if (!success) {
      FailureKind kind = exitCode == EX_TEMPFAIL ? FailureKind.TRANSIENT : FailureKind.FATAL;
      events.add(new HarnessEvent.Error(kind, "command exited with code " + exitCode));
    }
    return events;
  }
}
