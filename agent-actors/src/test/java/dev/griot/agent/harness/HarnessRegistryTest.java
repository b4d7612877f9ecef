package dev.griot.agent.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HarnessRegistryTest {

  private final HarnessRegistry registry = HarnessRegistry.standard();

  @Test
  void knowsTheBuiltInHarnesses() {
    assertEquals(Set.of("scripted", "shell", "claude-code", "codex", "gemini"), registry.names());
    assertTrue(registry.find("scripted").isPresent());
    assertTrue(registry.find("claude-code").isPresent());
    assertTrue(registry.find("claude").isEmpty());
  }

  @Test
  void unknownHarness() {
    assertEquals(
        List.of("unknown harness 'nope' (known: claude-code, codex, gemini, scripted, shell)"), registry.validate("nope", Map.of()));
  }

  @Test
  void validOptionsHaveNoProblems() {
    assertEquals(List.of(), registry.validate("scripted", Map.of()));
    assertEquals(
        List.of(),
        registry.validate(
            "scripted",
            Map.of(
                "transcript", "claude-max-turns", "turns", "20", "line_delay_ms", "5",
                "fail_after_turns", "3", "fail_mode", "transient", "fail_attempts", "2")));
    assertEquals(List.of(), registry.validate("scripted", Map.of("transcript", "/abs/file.jsonl")));
    assertEquals(List.of(), registry.validate("shell", Map.of("command", "echo hi")));
    assertEquals(List.of(), registry.validate("claude-code", Map.of("model", "claude-opus-5-5", "max_turns", "3")));
    assertEquals(List.of(), registry.validate("codex", Map.of("model", "gpt-5")));
    assertEquals(List.of(), registry.validate("gemini", Map.of("max_turns", "3", "egress", "true")));
  }

  @Test
  void scriptedProblems() {
    assertEquals(
        List.of(
            "unknown option 'turn' for harness scripted (known: fail_after_turns, fail_attempts, "
                + "fail_mode, line_delay_ms, transcript, turns, verify_resume)"),
        registry.validate("scripted", Map.of("turn", "3")));
    assertEquals(
        List.of("option 'turns' must be an integer, got 'many'"),
        registry.validate("scripted", Map.of("turns", "many")));
    assertEquals(
        List.of("option 'turns' must be between 1 and 100000, got 0"),
        registry.validate("scripted", Map.of("turns", "0")));
    assertEquals(
        List.of("option 'fail_mode' must be one of crash, fatal, transient, got 'explode'"),
        registry.validate("scripted", Map.of("fail_after_turns", "1", "fail_mode", "explode")));
    assertEquals(
        List.of("option 'fail_mode' needs option 'fail_after_turns'"),
        registry.validate("scripted", Map.of("fail_mode", "crash")));
    assertTrue(registry.validate("scripted", Map.of("transcript", "claude-nope")).get(0)
        .startsWith("option 'transcript': no bundled transcript 'claude-nope'"));
    assertEquals(
        List.of("option 'transcript' must be a bundled name or an absolute path, got 'rel/x.jsonl'"),
        registry.validate("scripted", Map.of("transcript", "rel/x.jsonl")));
  }

  @Test
  void shellProblems() {
    assertEquals(List.of("option 'command' is required"), registry.validate("shell", Map.of()));
    assertEquals(
        List.of("unknown option 'cmd' for harness shell (known: command)", "option 'command' is required"),
        registry.validate("shell", Map.of("cmd", "ls")));
  }

  @Test
  void adaptersRefuseInvalidOptions() {
    HarnessInvocation bad =
        new HarnessInvocation("r", 1, "", Path.of("/tmp"), Map.of("turns", "x"), Optional.empty());
    assertThrows(
        IllegalArgumentException.class, () -> registry.find("scripted").orElseThrow().command(bad));
  }
}
