package dev.griot.node.grpc;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Run ids: {@code run-<uuid>}. A submit with an idempotency key gets the id derived from the key,
 * so a repeated submit lands on the same entity, which tells a repeat from a conflict.
 */
public final class RunIds {
  private static final Pattern FORMAT =
      Pattern.compile("run-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private RunIds() {}

  public static String forSubmit(String idempotencyKey) {
    if (idempotencyKey.isEmpty()) return "run-" + UUID.randomUUID();
    return "run-" + UUID.nameUUIDFromBytes(("griot-idempotency-key:" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
  }

  public static boolean isValid(String runId) {
    return runId != null && FORMAT.matcher(runId).matches();
  }
}
