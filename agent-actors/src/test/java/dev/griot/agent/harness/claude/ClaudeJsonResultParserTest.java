package dev.griot.agent.harness.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.HarnessEvent.Result;
import dev.griot.agent.harness.HarnessEvent.SessionStarted;
import dev.griot.agent.harness.Transcripts;
import dev.griot.agent.harness.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code claude -p --output-format json}, against the real captured output. */
class ClaudeJsonResultParserTest {

  private static final Result EXPECTED =
      new Result(
          true,
          "success",
          "Hello from the stub model. Turns so far: 10",
          new Usage(11, 7, 0, 0),
          0.0009199999999999998,
          1);

  @Test
  void parsesTheResultObject() {
    String json = String.join("\n", Transcripts.lines("claude-json-result.json"));

    assertEquals(Optional.of(EXPECTED), ClaudeJsonResultParser.parseResult(json));
  }

  @Test
  void asAParserItGivesSessionAndResult() {
    ClaudeJsonResultParser parser = new ClaudeJsonResultParser();
    List<HarnessEvent> events = new ArrayList<>();
    for (String line : Transcripts.lines("claude-json-result.json")) events.addAll(parser.onLine(line));
    events.addAll(parser.onExit(0));

    assertEquals(
        List.of(new SessionStarted("f1b570e0-48e9-4cca-878c-d39784a0a131", "claude-opus-5-5"), EXPECTED),
        events);
  }

  @Test
  void noResultIsATransientCrash() {
    ClaudeJsonResultParser parser = new ClaudeJsonResultParser();
    parser.onLine("Segmentation fault");

    assertEquals(
        List.of(new HarnessEvent.Error(FailureKind.TRANSIENT, "harness exited with code 139")),
        parser.onExit(139));
    assertEquals(1, parser.malformedLines());
  }
}
