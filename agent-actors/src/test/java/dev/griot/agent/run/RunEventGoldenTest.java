package dev.griot.agent.run;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.Turn;
import dev.griot.agent.harness.TurnItem;
import dev.griot.agent.harness.Usage;
import dev.griot.agent.checkpoint.CheckpointRef;
import dev.griot.agent.run.RunEvent.*;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Guards the stored event format: each sample event, serialized the way the journal stores it,
 * must equal its golden file byte for byte, and every golden file must still read back as the
 * sample. A change that breaks this breaks every journal written before it. To record a NEW
 * event type's golden file run with {@code -Dgriot.golden.write=true}. When an event gains a
 * field, its old file moves to {@code legacy/} (it must still read, with the field's default) and
 * a new one is recorded.
 */
class RunEventGoldenTest {

  private static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());
  private static final Path GOLDEN = Path.of("src/test/resources/golden/run-events");
  private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static RunSpec specV1() {
    return new RunSpec(
        "scripted", "Say hello", Map.of("turns", "2", "transcript", "claude-bash-tool"), "default",
        new RunTimeouts(Duration.ZERO, Duration.ofSeconds(60), Duration.ofHours(2), Duration.ofHours(24)),
        new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(60), 0.1), "key-1");
  }

  /** Files written by earlier versions of an event, and what they must still read as. */
  static Map<String, RunEvent> legacy() {
    return Map.of(
        "run-submitted-v1", new RunSubmitted("run-1", specV1(), T), // before budgets
        "run-submitted-v2", new RunSubmitted("run-1", specV2(), T), // before a run named its sandbox kind
        "run-submitted-v3", new RunSubmitted("run-1", specV3(), T), // before priorities
        "turn-journaled-v1", new TurnJournaled(1, turnSample(), T, Optional.empty())); // before checkpoints
  }

  static RunSpec specV2() {
    RunSpec v1 = specV1();
    return new RunSpec(v1.harness(), v1.prompt(), v1.options(), v1.queue(), v1.timeouts(), v1.retry(),
        v1.idempotencyKey(), new RunBudget(50, 200_000));
  }

  static Turn turnSample() {
    return new Turn(1, List.of(
        new TurnItem.Message("msg_1", "Running it."),
        new TurnItem.ToolCall("toolu_1", "Bash", "{\"command\":\"echo hi\"}"),
        new TurnItem.ToolResult("toolu_1", "hi", false)), new Usage(11, 7, 1, 2));
  }

  static RunSpec specV3() {
    RunSpec v2 = specV2();
    return new RunSpec(v2.harness(), v2.prompt(), v2.options(), v2.queue(), v2.timeouts(), v2.retry(),
        v2.idempotencyKey(), new RunBudget(50, 200_000, 2.5), "container");
  }

  static Map<String, RunEvent> samples() {
    RunSpec v3 = specV3();
    RunSpec spec = new RunSpec(v3.harness(), v3.prompt(), v3.options(), v3.queue(), v3.timeouts(), v3.retry(),
        v3.idempotencyKey(), v3.budget(), v3.sandbox(), 1);
    Turn turn = turnSample();
    Map<String, RunEvent> m = new LinkedHashMap<>();
    m.put("run-submitted", new RunSubmitted("run-1", spec, T));
    m.put("run-queued", new RunQueued(T, Optional.of(T.plusSeconds(5))));
    m.put("attempt-assigned", new AttemptAssigned(1, "node-1/slot-0", T, Optional.of(T.plusSeconds(60))));
    m.put("attempt-started", new AttemptStarted(1, T, Optional.empty()));
    m.put("session-captured", new SessionCaptured(1, "377be3c1-e8df-43d2-88f5-15a269f1f24c", T));
    m.put("turn-journaled", new TurnJournaled(1, turn, T,
        Optional.of(new CheckpointRef("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 1, 12, 48_213))));
    m.put("input-requested", new InputRequested(1, "Deploy?", T, Optional.of(T.plusSeconds(60))));
    m.put("input-provided", new InputProvided("yes", T));
    m.put("run-completed", new RunCompleted(1, "done", 0.000552, T));
    m.put("attempt-failed", new AttemptFailed(1, FailureKind.SANDBOX, "no rootfs", T));
    m.put("run-timed-out", new RunTimedOut(1, DeadlineKind.RUN, T));
    m.put("run-cancelled", new RunCancelled("by user", T));
    m.put("backoff-started", new BackoffStarted(1, Optional.of(FailureKind.TRANSIENT), "529", T.plusSeconds(1), T));
    m.put("run-dead-lettered", new RunDeadLettered("fatal failure: 401", T));
    m.put("run-redriven", new RunRedriven(T, Optional.empty()));
    m.put("attempt-yielded", new AttemptYielded(3, "node 127.0.0.2:25520 is shutting down", T, Optional.of(T.plusSeconds(5))));
    return m;
  }

  @Test
  void everyEventTypeHasASample() {
    var permitted = RunEvent.class.getPermittedSubclasses();
    var sampled = samples().values().stream().map(Object::getClass).distinct().count();
    assertEquals(permitted.length, sampled, "add a sample (and its golden file) for every new event type");
  }

  @Test
  void filesOfEarlierVersionsStillRead() throws IOException {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    for (var e : legacy().entrySet()) {
      var serializer = serialization.findSerializerFor(e.getValue());
      byte[] old = Files.readAllBytes(GOLDEN.resolve("legacy").resolve(e.getKey() + ".cbor"));
      Object back = serialization.deserialize(old, serializer.identifier(), Serializers.manifestFor(serializer, e.getValue())).get();
      assertEquals(e.getValue(), back, e.getKey());
    }
  }

  @Test
  void storedBytesMatchTheGoldenFiles() throws IOException {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    boolean write = Boolean.getBoolean("griot.golden.write");
    for (var e : samples().entrySet()) {
      var serializer = serialization.findSerializerFor(e.getValue());
      assertInstanceOf(org.apache.pekko.serialization.jackson.JacksonCborSerializer.class, serializer,
          "events are stored as Jackson CBOR");
      byte[] bytes = serializer.toBinary(e.getValue());
      String manifest = Serializers.manifestFor(serializer, e.getValue());
      Path file = GOLDEN.resolve(e.getKey() + ".cbor");
      if (!Files.exists(file)) {
        assertTrue(write, "no golden file " + file + "; record it with -Dgriot.golden.write=true");
        Files.createDirectories(GOLDEN);
        Files.write(file, bytes);
      }
      byte[] golden = Files.readAllBytes(file);
      assertArrayEquals(golden, bytes, "stored format of " + e.getKey() + " changed");
      Object back = serialization.deserialize(golden, serializer.identifier(), manifest).get();
      assertEquals(e.getValue(), back);
    }
  }
}
