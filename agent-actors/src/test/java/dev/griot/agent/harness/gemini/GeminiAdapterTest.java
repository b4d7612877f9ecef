package dev.griot.agent.harness.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.ResumeContext;
import dev.griot.sandbox.SandboxSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeminiAdapterTest {

  private static final Path WS = Path.of("/tmp/ws/run-1");
  private static final String AUTH = "{\"security\":{\"auth\":{\"selectedType\":\"gemini-api-key\"}}}";
  private final GeminiAdapter adapter = new GeminiAdapter();

  private static HarnessInvocation inv(Map<String, String> options, Optional<ResumeContext> resume) {
    return new HarnessInvocation("run-1", 1, "-say hi", WS, options, resume);
  }

  @Test
  void freshAttempt() {
    SandboxSpec spec = adapter.command(inv(Map.of(), Optional.empty()));

    assertEquals(
        List.of("sh", "-c", GeminiAdapter.SETTINGS_SCRIPT, "griot-gemini", AUTH,
            "gemini", "--prompt=-say hi", "--skip-trust", "--output-format", "stream-json"),
        spec.command());
    assertEquals(Map.of("GEMINI_API_KEY", GeminiAdapter.PLACEHOLDER_KEY), spec.environment());
    assertFalse(spec.network());
    assertFalse(spec.egress());
  }

  @Test
  void resumedAttemptWithEveryOption() {
    SandboxSpec spec = adapter.command(inv(
        Map.of("program", "/opt/gemini/bin/gemini", "model", "gemini-2.5-pro", "approval_mode", "yolo",
            "max_turns", "12", "base_url", "http://127.0.0.1:8080/gemini", "egress", "true"),
        Optional.of(new ResumeContext(GeminiStreamJsonParserTest.SESSION, 1))));

    assertEquals(
        List.of("sh", "-c", GeminiAdapter.SETTINGS_SCRIPT, "griot-gemini",
            "{\"security\":{\"auth\":{\"selectedType\":\"gemini-api-key\"}},\"model\":{\"maxSessionTurns\":12}}",
            "/opt/gemini/bin/gemini", "--prompt=-say hi", "--skip-trust", "--output-format", "stream-json",
            "--model", "gemini-2.5-pro", "--approval-mode", "yolo", "--resume", GeminiStreamJsonParserTest.SESSION),
        spec.command());
    assertEquals(
        Map.of("GEMINI_API_KEY", GeminiAdapter.PLACEHOLDER_KEY, "GOOGLE_GEMINI_BASE_URL", "http://127.0.0.1:8080/gemini"),
        spec.environment());
    assertTrue(spec.egress());
  }

  @Test
  void theShellStepWritesTheSettingsAndExecsTheRest(@TempDir Path home) throws Exception {
    SandboxSpec spec = adapter.command(inv(Map.of("program", "echo"), Optional.empty()));
    List<String> cmd = new ArrayList<>(spec.command());
    // run it with echo standing in for gemini: it prints its arguments
    ProcessBuilder p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    p.environment().put("HOME", home.toString());
    Process proc = p.start();
    String out = new String(proc.getInputStream().readAllBytes());
    assertEquals(0, proc.waitFor());
    assertEquals("--prompt=-say hi --skip-trust --output-format stream-json\n", out);
    assertEquals(AUTH + "\n", Files.readString(home.resolve(".gemini/settings.json")));
  }

  @Test
  void badOptionsAreRefusedPrecisely() {
    assertEquals(
        List.of("unknown option 'allowed_tools' for harness gemini (known: approval_mode, base_url, egress, max_turns, model, program)",
            "option 'approval_mode' must be one of auto_edit, default, plan, yolo, got 'auto'",
            "option 'max_turns' must be an integer, got 'x'"),
        adapter.validate(Map.of("allowed_tools", "a", "approval_mode", "auto", "max_turns", "x")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> adapter.command(inv(Map.of("base_url", "not a url"), Optional.empty())));
    assertEquals("option 'base_url' must be an http or https URL, got 'not a url'", e.getMessage());
  }

  @Test
  void parsesGeminiStreamJson() {
    assertInstanceOf(GeminiStreamJsonParser.class, adapter.newParser(0));
  }
}
