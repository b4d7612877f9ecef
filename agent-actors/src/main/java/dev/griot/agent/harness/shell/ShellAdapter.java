package dev.griot.agent.harness.shell;

import dev.griot.agent.harness.HarnessAdapter;
import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.HarnessParser;
import dev.griot.agent.harness.OptionChecks;
import dev.griot.sandbox.SandboxSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code shell} harness: runs {@code sh -c <command>} in the workspace. Option {@code command}
 * (required) is the script. The script gets {@code GRIOT_RUN_ID}, {@code GRIOT_ATTEMPT} and {@code
 * GRIOT_PROMPT} in its environment. Output and outcome are read by {@link ShellParser}: one turn
 * for the whole run, exit 0 is success, exit 75 a transient failure, any other a fatal one.
 */
public final class ShellAdapter implements HarnessAdapter {

  public static final String NAME = "shell";

  /** The prompt is a command, not a conversation: a lost attempt simply runs it again. */
  @Override
  public boolean takesRecoveryPrompt() {
    return false;
  }
  public static final String COMMAND = "command";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> validate(Map<String, String> options) {
    List<String> problems = new ArrayList<>();
    OptionChecks.unknownKeys(NAME, options, Set.of(COMMAND), problems);
    OptionChecks.required(options, COMMAND, problems);
    return problems;
  }

  @Override
  public SandboxSpec command(HarnessInvocation inv) {
    List<String> problems = validate(inv.options());
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return new SandboxSpec(
        List.of("sh", "-c", inv.options().get(COMMAND)),
        inv.workspace(),
        Map.of(
            "GRIOT_RUN_ID", inv.runId(),
            "GRIOT_ATTEMPT", String.valueOf(inv.attempt()),
            "GRIOT_PROMPT", inv.prompt()));
  }

  @Override
  public HarnessParser newParser(int startTurnNumber) {
    return new ShellParser(startTurnNumber);
  }
}
