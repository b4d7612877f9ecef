package dev.griot.agent.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every harness type survives Jackson CBOR, alone and behind its sealed interface. */
class HarnessEventSerializationTest {

  private static final ObjectMapper CBOR =
      new ObjectMapper(new CBORFactory())
          .registerModule(new ParameterNamesModule())
          .registerModule(new Jdk8Module());

  private static final ActorTestKit TEST_KIT = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  private static final Turn TURN =
      new Turn(
          7,
          List.of(
              new TurnItem.Message("msg_1", "looking"),
              new TurnItem.ToolCall("toolu_1", "Bash", "{\"command\":\"ls\"}"),
              new TurnItem.ToolResult("toolu_1", "a\nb", true)),
          new Usage(11, 1, 2, 3));

  static Stream<HarnessEvent> events() {
    return Stream.of(
        new HarnessEvent.SessionStarted("377be3c1-e8df-43d2-88f5-15a269f1f24c", "claude-opus-5-5"),
        new HarnessEvent.AssistantMessage("msg_1", "hello"),
        new HarnessEvent.ToolCall("toolu_1", "Bash", "{\"command\":\"ls\"}"),
        new HarnessEvent.ToolResult("toolu_1", "hello-from-sandbox", false),
        new HarnessEvent.ToolResult("toolu_2", "boom", true),
        new HarnessEvent.TurnCompleted(TURN),
        new HarnessEvent.InputRequested("Proceed?"),
        new HarnessEvent.Result(true, "success", "done", new Usage(22, 14, 0, 0), 0.000552, 2),
        new HarnessEvent.Retrying(3, 10, 2036, 401, "authentication_failed"),
        new HarnessEvent.Error(FailureKind.MAX_TURNS, "Reached maximum number of turns (1)"));
  }

  @ParameterizedTest
  @MethodSource("events")
  void eventRoundTripsBehindTheSealedInterface(HarnessEvent event) throws Exception {
    byte[] bytes = CBOR.writeValueAsBytes(event);

    assertEquals(event, CBOR.readValue(bytes, HarnessEvent.class));
    assertEquals(event, CBOR.readValue(bytes, event.getClass()));
  }

  @ParameterizedTest
  @MethodSource("events")
  void eventRoundTripsThroughPekkoSerialization(HarnessEvent event) {
    new SerializationTestKit(TEST_KIT.system()).verifySerialization(event, true);
  }

  @Test
  void turnItemsAndValuesRoundTrip() throws Exception {
    for (Object value :
        List.of(
            TURN,
            Usage.ZERO,
            new ResumeContext("sess-1", 12),
            new HarnessInvocation(
                "run-1", 2, "say hi", Path.of("/tmp/ws"), Map.of("turns", "20"),
                Optional.of(new ResumeContext("sess-1", 12))),
            new HarnessInvocation("run-1", 1, "say hi", Path.of("/tmp/ws"), Map.of(), Optional.empty()))) {
      byte[] bytes = CBOR.writeValueAsBytes(value);
      assertEquals(value, CBOR.readValue(bytes, value.getClass()));
      new SerializationTestKit(TEST_KIT.system()).verifySerialization(value, true);
    }
    for (TurnItem item : TURN.items())
      assertEquals(item, CBOR.readValue(CBOR.writeValueAsBytes(item), TurnItem.class));
  }

  @Test
  void turnHoldsAnImmutableCopy() {
    List<TurnItem> items = new java.util.ArrayList<>(TURN.items());
    Turn turn = new Turn(1, items, Usage.ZERO);
    items.clear();

    assertEquals(3, turn.items().size());
  }
}
