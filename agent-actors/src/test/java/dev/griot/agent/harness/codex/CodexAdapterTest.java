package dev.griot.agent.harness.codex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.ResumeContext;
import dev.griot.sandbox.SandboxSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CodexAdapterTest {

  private static final Path WS = Path.of("/tmp/ws/run-1");
  private final CodexAdapter adapter = new CodexAdapter();

  private static HarnessInvocation inv(Map<String, String> options, Optional<ResumeContext> resume) {
    return new HarnessInvocation("run-1", 1, "say hi", WS, options, resume);
  }

  @Test
  void freshAttempt() {
    SandboxSpec spec = adapter.command(inv(Map.of(), Optional.empty()));

    assertEquals(
        List.of("codex", "exec", "--json", "--skip-git-repo-check", "--sandbox", "danger-full-access", "--", "say hi"),
        spec.command());
    assertEquals(Map.of(), spec.environment());
    assertFalse(spec.network());
    assertFalse(spec.egress());
  }

  @Test
  void resumedAttemptWithEveryOption() {
    SandboxSpec spec = adapter.command(inv(
        Map.of("program", "/opt/codex/bin/codex", "model", "gpt-5", "base_url", "http://127.0.0.1:8080/openai/v1",
            "egress", "true"),
        Optional.of(new ResumeContext(CodexExecJsonParserTest.THREAD, 1))));

    assertEquals(
        List.of("/opt/codex/bin/codex", "exec", "--json", "--skip-git-repo-check", "--sandbox", "danger-full-access",
            "--model", "gpt-5",
            "-c", "model_provider=\"griot\"",
            "-c", "model_providers.griot.name=\"griot\"",
            "-c", "model_providers.griot.base_url=\"http://127.0.0.1:8080/openai/v1\"",
            "-c", "model_providers.griot.wire_api=\"responses\"",
            "resume", "--", CodexExecJsonParserTest.THREAD, "say hi"),
        spec.command());
    assertTrue(spec.egress());
    assertFalse(spec.network());
  }

  @Test
  void badOptionsAreRefusedPrecisely() {
    assertEquals(
        List.of("unknown option 'sandbox' for harness codex (known: base_url, egress, model, program)",
            "option 'base_url' must be an http or https URL, got 'http://bad\"quote'"),
        adapter.validate(Map.of("sandbox", "read-only", "base_url", "http://bad\"quote")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> adapter.command(inv(Map.of("program", ""), Optional.empty())));
    assertEquals("option 'program' must not be blank", e.getMessage());
  }

  @Test
  void parsesCodexJson() {
    assertInstanceOf(CodexExecJsonParser.class, adapter.newParser(0));
  }
}
