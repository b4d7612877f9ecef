package dev.griot.agent.harness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompt of a <b>recovery</b>: a new session of the harness for a run whose own session
 * could not be restored (its checkpoint is missing, behind the journal, or unreadable). It holds
 * the user's task, the run's journaled turns (model text, tool calls and tool results, each cut
 * to {@value #ITEM_CHARS} characters), and the instruction to go on from there. It fits a single
 * command-line argument (Linux allows 128 KiB): when the turns do not fit in {@value #MAX_BYTES}
 * bytes, the earliest are left out and the prompt says which.
 */
public final class RecoveryPrompt {

  /** At most this many UTF-8 bytes in all. */
  public static final int MAX_BYTES = 96 * 1024;
  /** At most this many characters of one message, tool input or tool result. */
  public static final int ITEM_CHARS = 2_000;

  public static final String TURN_HEADING = "### Turn ";
  public static final String OMITTED = "(Turns 1 to %d are left out for length.)";

  private RecoveryPrompt() {}

  /** The recovery prompt for {@code task} after {@code turns} (the run's journaled turns, in order). */
  public static String build(String task, List<Turn> turns) {
    String head = "You are continuing a task that was interrupted. Your previous session could not be "
        + "restored, so this is the record of what you already did in it.\n\n## The task\n\n" + task + "\n\n";
    String tail = "\n## Now\n\nContinue the task from where the record ends. Do not redo the work above. "
        + "The files in your working directory may not reflect all of it: check them before you rely on them.\n";
    List<String> blocks = new ArrayList<>();
    for (Turn t : turns) blocks.add(block(t));
    int budget = MAX_BYTES - bytes(head) - bytes(tail) - 200;
    int first = blocks.size(); // the earliest turn kept
    int used = 0;
    while (first > 0 && used + bytes(blocks.get(first - 1)) <= budget) {
      used += bytes(blocks.get(--first));
    }
    StringBuilder s = new StringBuilder(head);
    s.append("## What you did so far (turns ").append(turns.isEmpty() ? 0 : turns.get(0).number()).append(" to ")
        .append(turns.isEmpty() ? 0 : turns.get(turns.size() - 1).number()).append(")\n\n");
    if (first > 0) s.append(String.format(OMITTED, turns.get(first - 1).number())).append("\n\n");
    for (int i = first; i < blocks.size(); i++) s.append(blocks.get(i));
    return s.append(tail).toString();
  }

  private static String block(Turn t) {
    StringBuilder s = new StringBuilder(TURN_HEADING).append(t.number()).append("\n\n");
    for (TurnItem item : t.items()) {
      if (item instanceof TurnItem.Message m) {
        s.append("You wrote:\n").append(cut(m.text())).append("\n\n");
      } else if (item instanceof TurnItem.ToolCall c) {
        s.append("You called tool ").append(c.name()).append(" (").append(c.toolCallId()).append(") with:\n")
            .append(cut(c.inputJson())).append("\n\n");
      } else if (item instanceof TurnItem.ToolResult r) {
        s.append(r.isError() ? "Tool " + r.toolCallId() + " failed:\n" : "Tool " + r.toolCallId() + " returned:\n")
            .append(cut(r.content())).append("\n\n");
      }
    }
    return s.toString();
  }

  private static String cut(String text) {
    if (text == null) return "";
    return text.length() <= ITEM_CHARS ? text : text.substring(0, ITEM_CHARS) + " […" + (text.length() - ITEM_CHARS) + " more characters]";
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
