package dev.griot.node.grpc;

import static org.junit.jupiter.api.Assertions.*;

import com.google.protobuf.Duration;
import com.typesafe.config.ConfigFactory;
import dev.griot.agent.harness.HarnessRegistry;
import dev.griot.agent.run.RunSettings;
import dev.griot.grpc.v1.RetryPolicy;
import dev.griot.grpc.v1.SubmitRunRequest;
import dev.griot.grpc.v1.Timeouts;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunRequestsTest {
  private final RunSettings settings = RunSettings.fromConfig(ConfigFactory.load());
  private final HarnessRegistry harnesses = HarnessRegistry.standard();

  private SubmitRunRequest.Builder valid() {
    return SubmitRunRequest.newBuilder().setHarness("scripted").setPrompt("hello").putOptions("turns", "2");
  }

  private RunRequests.Checked check(SubmitRunRequest.Builder b) {
    return RunRequests.check(b.build(), harnesses, settings);
  }

  private static Duration seconds(long s) {
    return Duration.newBuilder().setSeconds(s).build();
  }

  @Test
  void unsetFieldsTakeTheNodeDefaultsAndAnExplicitZeroMeansNoDeadline() {
    var spec = check(valid()).spec();
    assertEquals(settings.defaultTimeouts(), spec.timeouts());
    assertEquals(settings.defaultRetry(), spec.retry());
    assertEquals("default", spec.queue());
    var noRunDeadline = check(valid().setTimeouts(Timeouts.newBuilder().setRun(seconds(0)))).spec();
    assertTrue(noRunDeadline.timeouts().run().isZero());
    assertEquals(settings.defaultTimeouts().start(), noRunDeadline.timeouts().start());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    var checked = check(valid().setPrompt(" ").setHarness("nope").setTimeouts(Timeouts.newBuilder().setInput(seconds(-1))));
    assertFalse(checked.ok());
    assertEquals(3, checked.problems().size(), checked.problems().toString());
  }

  @Test
  void aLongInitialBackoffAloneRaisesTheDefaultCap() {
    var spec = check(valid().setRetry(RetryPolicy.newBuilder().setInitialBackoff(seconds(120)))).spec();
    assertEquals(java.time.Duration.ofSeconds(120), spec.retry().initialBackoff());
    assertEquals(java.time.Duration.ofSeconds(120), spec.retry().maxBackoff());
    var bad = check(valid().setRetry(RetryPolicy.newBuilder().setInitialBackoff(seconds(120)).setMaxBackoff(seconds(10))));
    assertTrue(bad.problems().contains("retry.max_backoff must not be shorter than retry.initial_backoff"), bad.problems().toString());
  }

  @Test
  void aSandboxKindIsOneGriotKnowsOrNoneForTheNodeDefault() {
    assertEquals("", check(valid()).spec().sandbox());
    assertEquals("container", check(valid().setSandbox("container")).spec().sandbox());
    var unknown = check(valid().setSandbox("vm"));
    assertEquals(List.of("unknown sandbox kind 'vm': use process, container, remote, host, or leave it empty for the node's default"),
        unknown.problems());
  }

  @Test
  void aCostBudgetNeedsAPricedModel() {
    var noModel = check(valid().setBudget(dev.griot.grpc.v1.Budget.newBuilder().setMaxCostUsd(1)));
    assertEquals(List.of("budget.max_cost_usd needs the run's model: set option model, or griot.pricing.default-models.scripted"),
        noModel.problems());
    var claude = SubmitRunRequest.newBuilder().setHarness("claude-code").setPrompt("hi")
        .setBudget(dev.griot.grpc.v1.Budget.newBuilder().setMaxCostUsd(1));
    assertEquals(List.of("budget.max_cost_usd needs a price for model 'claude-unknown' (griot.pricing.models)"),
        check(claude.clone().putOptions("model", "claude-unknown")).problems());
    var priced = check(claude.clone().putOptions("model", "claude-sonnet-4-5"));
    assertTrue(priced.ok(), priced.problems().toString());
    assertEquals(1.0, priced.spec().budget().maxCostUsd());
    assertEquals(List.of("budget.max_cost_usd must be a non-negative number"),
        check(valid().setBudget(dev.griot.grpc.v1.Budget.newBuilder().setMaxCostUsd(-0.5))).problems());
    assertEquals(List.of("budget.max_cost_usd must be a non-negative number"),
        check(valid().setBudget(dev.griot.grpc.v1.Budget.newBuilder().setMaxCostUsd(Double.NaN))).problems());
  }

  @Test
  void limits() {
    assertFalse(check(valid().setPrompt("x".repeat(RunRequests.MAX_PROMPT_BYTES + 1))).ok());
    assertFalse(check(valid().setIdempotencyKey("k".repeat(RunRequests.MAX_KEY_LENGTH + 1))).ok());
    assertTrue(check(valid().setQueue("team-a_2")).ok());
    assertFalse(check(valid().setQueue("-leading-dash")).ok());
  }

  @Test
  void runIdsFromKeysAreStableAndValid() {
    assertEquals(RunIds.forSubmit("k1"), RunIds.forSubmit("k1"));
    assertNotEquals(RunIds.forSubmit("k1"), RunIds.forSubmit("k2"));
    assertTrue(RunIds.isValid(RunIds.forSubmit("")));
    assertTrue(RunIds.isValid(RunIds.forSubmit("k1")));
    assertFalse(RunIds.isValid("run-XYZ"));
  }
}
