package dev.griot.sandbox;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** What no retry can cure is a refusal: the worker fails the run at once instead of retrying. */
class SandboxRefusalTest {

  @Test
  void aMissingProgramOrAGatewayTheNodeLacksIsARefusal() throws Exception {
    var ws = Files.createTempDirectory("refusal");
    var executor = Executors.newCachedThreadPool();
    try {
      var process = new BubblewrapSandbox(BubblewrapSettings.fromConfig(ConfigFactory.load()), executor);
      var missing = assertThrows(SandboxException.class,
          () -> process.start(new SandboxSpec(List.of("/no/such/program"), ws, Map.of()), new RecordingListener()));
      assertTrue(missing.permanent(), missing.getMessage());
      var noGateway = assertThrows(SandboxException.class,
          () -> process.start(new SandboxSpec(List.of("true"), ws, Map.of()).withEgress(true), new RecordingListener()));
      assertTrue(noGateway.permanent(), noGateway.getMessage());
      assertTrue(noGateway.getMessage().contains("griot.sandbox.egress.routes"), noGateway.getMessage());
      var host = new ProcessSandbox(ProcessSandboxSettings.fromConfig(ConfigFactory.load()), executor);
      assertTrue(assertThrows(SandboxException.class,
          () -> host.start(new SandboxSpec(List.of("no-such-program-anywhere"), ws, Map.of()), new RecordingListener())).permanent());
      assertFalse(new SandboxException("cannot prepare workspace").permanent(), "an I/O failure may pass");
    } finally {
      executor.shutdownNow();
    }
  }
}
