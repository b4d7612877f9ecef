package dev.griot.node.grpc;

import static org.junit.jupiter.api.Assertions.*;

import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.run.RunStatus;
import dev.griot.grpc.v1.RunState;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProtoMappingTest {

  @Test
  void everyRunStatusMapsToTheProtoStateOfTheSameNameAndBack() {
    for (RunStatus s : RunStatus.values()) {
      RunState proto = ProtoMapping.state(s);
      assertEquals("RUN_STATE_" + s.name(), proto.name());
      assertEquals(Optional.of(s), ProtoMapping.status(proto));
    }
    assertEquals(Optional.empty(), ProtoMapping.status(RunState.RUN_STATE_UNSPECIFIED));
  }

  @Test
  void everyFailureKindMapsToTheProtoKindOfTheSameName() {
    for (FailureKind k : FailureKind.values())
      assertEquals("FAILURE_KIND_" + k.name(), ProtoMapping.failure(k).name());
  }
}
