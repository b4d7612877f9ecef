package dev.griot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxSpecSerializationTest {

  @Test
  void roundTripsThroughJacksonCbor() throws Exception {
    ObjectMapper cbor = new ObjectMapper(new CBORFactory()).registerModule(new ParameterNamesModule());
    SandboxSpec spec =
        new SandboxSpec(List.of("sh", "-c", "echo hi"), Path.of("/tmp/ws"), Map.of("A", "1"));

    byte[] bytes = cbor.writeValueAsBytes(spec);

    assertEquals(spec, cbor.readValue(bytes, SandboxSpec.class));
  }
}
