package dev.griot.agent.harness.claude;

import dev.griot.agent.harness.CliHarnessAdapter;
import dev.griot.agent.harness.CliOptionChecks;
import dev.griot.agent.harness.HarnessErrorText;

import dev.griot.agent.harness.HarnessAdapter;
import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.HarnessParser;
import dev.griot.agent.harness.OptionChecks;
import dev.griot.agent.harness.scripted.ScriptedAdapter;
import dev.griot.sandbox.SandboxSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code claude-code} harness: Claude Code headless,
 *
 * <pre>
 * claude -p --output-format stream-json --verbose --include-partial-messages [--model M]
 *   [--allowedTools A,B] [--permission-mode P] [--max-turns N] [--max-budget-usd X]
 *   [--append-system-prompt S] [--mcp-config C] (--session-id UUID | --resume SESSION_ID) -- PROMPT
 * </pre>
 *
 * read by {@link ClaudeStreamJsonParser}. The prompt comes last, after {@code --}, so that neither
 * a prompt starting with {@code -} nor the variadic {@code --allowedTools} and {@code
 * --mcp-config} can swallow it. {@code --include-partial-messages} adds the model's raw stream
 * ({@code stream_event} lines): its {@code message_delta} events carry a message's final usage,
 * without which every message would count one output token (the {@code assistant} lines repeat
 * the usage of {@code message_start}), and the lines show a harness streaming a long answer is
 * alive.
 *
 * <p>A fresh attempt sets the session id up front: the name-based UUID of {@code
 * griot:<run id>:<attempt>} ({@link ScriptedAdapter#sessionId}); a resumed one passes {@code
 * --resume <session id>}, which keeps the id. Claude Code keeps its transcripts under {@code
 * $HOME/.claude/projects/<cwd>/}, so a resume needs the same workspace (the sandbox's HOME is in
 * it).
 *
 * <p>The sandbox has no network. Claude Code reaches a model only through the node's egress
 * gateway: option {@code egress=true} asks for it, and {@code base_url} (the gateway's route, for
 * example {@code http://127.0.0.1:8080/anthropic}) becomes {@code ANTHROPIC_BASE_URL}. With a
 * {@code base_url} the harness also gets {@code ANTHROPIC_API_KEY=}{@value #PLACEHOLDER_KEY}: the
 * CLI will not start without a key, and the gateway drops whatever key a request carries and adds
 * the real one, so no credential enters the sandbox.
 */
public final class ClaudeCodeAdapter extends CliHarnessAdapter {

  public static final String NAME = "claude-code";

  /** The API key the harness is given: not a credential, the egress gateway replaces it. */
  public static final String PLACEHOLDER_KEY = "griot-egress-gateway";

  static final Set<String> OPTIONS =
      Set.of(
          "allowed_tools", "permission_mode", "max_turns", "max_budget_usd", "system_prompt", "mcp_config");

  static final Set<String> PERMISSION_MODES =
      Set.of("default", "acceptEdits", "bypassPermissions", "plan", "dontAsk");

  /** Claude Code found on the sandbox's {@code PATH} (or under the system folders). */
  public ClaudeCodeAdapter() {
    this(List.of());
  }

  /**
   * @param readOnlyPaths host folders the harness needs to read, such as an npm installation
   *     outside the system folders; set by the node's operator, never by a run
   */
  public ClaudeCodeAdapter(List<Path> readOnlyPaths) {
    super(NAME, OPTIONS, readOnlyPaths);
  }

  @Override
  protected void validateOwn(Map<String, String> options, List<String> problems) {
    CliOptionChecks.notBlank(options, "system_prompt", problems);
    CliOptionChecks.notBlank(options, "mcp_config", problems);
    String tools = options.get("allowed_tools");
    if (tools != null && toolList(tools).isEmpty())
      problems.add("option 'allowed_tools' must be a comma-separated list of tool names, got '" + tools + "'");
    OptionChecks.oneOf(options, "permission_mode", PERMISSION_MODES, problems);
    OptionChecks.intInRange(options, "max_turns", 1, 10_000, problems);
    CliOptionChecks.positiveDecimal(options, "max_budget_usd", problems);
  }

  @Override
  protected SandboxSpec spec(HarnessInvocation inv) {
    Map<String, String> o = inv.options();
    List<String> cmd = new ArrayList<>();
    cmd.add(o.getOrDefault("program", "claude"));
    cmd.addAll(List.of("-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages"));
    add(cmd, "--model", o.get("model"));
    if (o.containsKey("allowed_tools"))
      cmd.addAll(List.of("--allowedTools", String.join(",", toolList(o.get("allowed_tools")))));
    add(cmd, "--permission-mode", o.get("permission_mode"));
    if (o.containsKey("max_turns")) add(cmd, "--max-turns", o.get("max_turns").trim());
    if (o.containsKey("max_budget_usd")) add(cmd, "--max-budget-usd", o.get("max_budget_usd").trim());
    add(cmd, "--append-system-prompt", o.get("system_prompt"));
    add(cmd, "--mcp-config", o.get("mcp_config"));
    if (inv.nativeResume().isPresent()) cmd.addAll(List.of("--resume", inv.nativeResume().get().sessionId()));
    else cmd.addAll(List.of("--session-id", ScriptedAdapter.sessionId(inv.runId(), inv.attempt())));
    cmd.add("--");
    cmd.add(inv.prompt());
    Map<String, String> env = new LinkedHashMap<>();
    if (o.containsKey("base_url")) {
      env.put("ANTHROPIC_BASE_URL", o.get("base_url"));
      env.put("ANTHROPIC_API_KEY", PLACEHOLDER_KEY);
    }
    return new SandboxSpec(cmd, inv.workspace(), env);
  }

  @Override
  public HarnessParser newParser(int startTurnNumber) {
    return new ClaudeStreamJsonParser(startTurnNumber);
  }

  private static void add(List<String> cmd, String flag, String value) {
    if (value != null) cmd.addAll(List.of(flag, value));
  }

  static List<String> toolList(String value) {
    return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
