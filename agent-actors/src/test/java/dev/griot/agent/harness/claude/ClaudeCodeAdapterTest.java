package dev.griot.agent.harness.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.ResumeContext;
import dev.griot.agent.harness.scripted.ScriptedAdapter;
import dev.griot.sandbox.SandboxSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClaudeCodeAdapterTest {

  private static final Path WS = Path.of("/tmp/ws/run-1");
  private final ClaudeCodeAdapter adapter = new ClaudeCodeAdapter();

  private static HarnessInvocation inv(Map<String, String> options, Optional<ResumeContext> resume) {
    return new HarnessInvocation("run-1", 2, "-say hi", WS, options, resume);
  }

  @Test
  void freshAttemptSetsTheSessionIdUpFront() {
    SandboxSpec spec = adapter.command(inv(Map.of(), Optional.empty()));

    assertEquals(
        List.of("claude", "-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages",
            "--session-id", ScriptedAdapter.sessionId("run-1", 2), "--", "-say hi"),
        spec.command());
    assertEquals(WS, spec.workspace());
    assertEquals(Map.of(), spec.environment());
    assertFalse(spec.network());
    assertFalse(spec.egress());
  }

  @Test
  void everyOptionIsMapped() {
    Map<String, String> options = Map.of(
        "program", "/opt/claude/bin/claude", "model", "claude-opus-5-5", "allowed_tools", "Bash, Read,mcp__hello__hello",
        "permission_mode", "acceptEdits", "max_turns", "7", "max_budget_usd", "0.5",
        "system_prompt", "Be brief.", "mcp_config", "mcp.json", "base_url", "http://127.0.0.1:8080/anthropic",
        "egress", "true");

    SandboxSpec spec = adapter.command(inv(options, Optional.of(new ResumeContext("sess-1", 3))));

    assertEquals(
        List.of("/opt/claude/bin/claude", "-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages",
            "--model", "claude-opus-5-5", "--allowedTools", "Bash,Read,mcp__hello__hello",
            "--permission-mode", "acceptEdits", "--max-turns", "7", "--max-budget-usd", "0.5",
            "--append-system-prompt", "Be brief.", "--mcp-config", "mcp.json",
            "--resume", "sess-1", "--", "-say hi"),
        spec.command());
    assertEquals(
        Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:8080/anthropic", "ANTHROPIC_API_KEY", ClaudeCodeAdapter.PLACEHOLDER_KEY),
        spec.environment());
    assertTrue(spec.egress());
    assertFalse(spec.network());
  }

  @Test
  void operatorReadOnlyPathsAreKept() {
    SandboxSpec spec = new ClaudeCodeAdapter(List.of(Path.of("/opt/claude")))
        .command(inv(Map.of(), Optional.empty()));
    assertEquals(List.of(Path.of("/opt/claude")), spec.readOnlyPaths());
  }

  @Test
  void badOptionsAreRefusedPrecisely() {
    assertEquals(
        List.of(
            "unknown option 'max_turn' for harness claude-code (known: allowed_tools, base_url, egress, "
                + "max_budget_usd, max_turns, mcp_config, model, permission_mode, program, system_prompt)"),
        adapter.validate(Map.of("max_turn", "3")));
    assertEquals( // every problem at once; the common options are checked first
        java.util.Set.of(
            "option 'model' must not be blank",
            "option 'allowed_tools' must be a comma-separated list of tool names, got ' , '",
            "option 'permission_mode' must be one of acceptEdits, bypassPermissions, default, dontAsk, plan, got 'yolo'",
            "option 'max_turns' must be between 1 and 10000, got 0",
            "option 'max_budget_usd' must be a number above 0, got '-1'",
            "option 'base_url' must be an http or https URL, got 'ftp://x'",
            "option 'egress' must be true or false, got 'yes'"),
        java.util.Set.copyOf(adapter.validate(Map.of(
            "model", " ", "allowed_tools", " , ", "permission_mode", "yolo", "max_turns", "0",
            "max_budget_usd", "-1", "base_url", "ftp://x", "egress", "yes"))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> adapter.command(inv(Map.of("max_turns", "many"), Optional.empty())));
    assertEquals("option 'max_turns' must be an integer, got 'many'", e.getMessage());
  }

  @Test
  void parsesClaudeStreamJson() {
    assertInstanceOf(ClaudeStreamJsonParser.class, adapter.newParser(0));
  }
}
