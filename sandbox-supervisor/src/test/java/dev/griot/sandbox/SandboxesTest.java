package dev.griot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxesTest {

  private static Config with(String overrides) {
    return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()).resolve();
  }

  @Test
  void theDefaultKindIsTheBubblewrapSandbox() {
    assertEquals("process", ConfigFactory.load().getString("griot.sandbox.kind"));
    assertInstanceOf(BubblewrapSandbox.class, Sandboxes.fromConfig(ConfigFactory.load(), Runnable::run));
  }

  @Test
  void hostIsThePlainProcessSandbox() {
    assertInstanceOf(ProcessSandbox.class, Sandboxes.fromConfig(with("griot.sandbox.kind = host"), Runnable::run));
  }

  @Test
  void anUnknownKindOrAMissingBwrapIsAClearError() {
    SandboxException unknown = assertThrows(SandboxException.class,
        () -> Sandboxes.fromConfig(with("griot.sandbox.kind = vm"), Runnable::run));
    assertTrue(unknown.getMessage().contains("unknown griot.sandbox.kind 'vm'"), unknown.getMessage());
    SandboxException missing = assertThrows(SandboxException.class,
        () -> Sandboxes.fromConfig(with("griot.sandbox.bubblewrap.program = /nowhere/bwrap"), Runnable::run));
    assertTrue(missing.getMessage().contains("install bubblewrap or set griot.sandbox.kind = host (unsafe"), missing.getMessage());
  }

  @Test
  void theRemoteKindNeedsARunnerAndItsToken() {
    SandboxException noHost = assertThrows(SandboxException.class, () -> Sandboxes.fromConfig(
        with("griot.sandbox.kind = remote"), Runnable::run, java.util.Optional.empty(), null));
    assertTrue(noHost.getMessage().contains("needs griot.sandbox.remote.host"), noHost.getMessage());
    SandboxException noToken = assertThrows(SandboxException.class, () -> Sandboxes.fromConfig(
        with("griot.sandbox { kind = remote, remote { host = runner, token-env = GRIOT_TEST_UNSET } }"), Runnable::run,
        java.util.Optional.empty(), null));
    assertTrue(noToken.getMessage().contains("needs the runner's token"), noToken.getMessage());
  }

  @Test
  void defaultLimitsComeFromTheConfiguration() {
    assertEquals(new SandboxLimits(64L << 20, 16, 500),
        SandboxLimits.fromConfig(with("griot.sandbox.limits { memory = 64MiB, pids = 16, cpus = 0.5 }")));
  }

  @Test
  void aFullSpecRoundTripsThroughJacksonCbor() throws Exception {
    ObjectMapper cbor = new ObjectMapper(new CBORFactory()).registerModule(new ParameterNamesModule());
    SandboxSpec spec = new SandboxSpec(List.of("java", "-version"), Path.of("/tmp/ws"), Map.of("A", "1"))
        .withReadOnlyPaths(List.of(Path.of("/opt/jdk"), Path.of("/root/.m2/a.jar")))
        .withNetwork(true)
        .withLimits(new SandboxLimits(1 << 30, 100, 1500));
    assertEquals(spec, cbor.readValue(cbor.writeValueAsBytes(spec), SandboxSpec.class));
    SandboxSpec plain = new SandboxSpec(List.of("true"), Path.of("/tmp/ws"), Map.of());
    assertEquals(plain, cbor.readValue(cbor.writeValueAsBytes(plain), SandboxSpec.class));
  }
}
