package dev.griot.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import dev.griot.persistence.CassandraSessions;
import dev.griot.persistence.PersistenceSettings;
import dev.griot.persistence.SchemaApplier;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Starts one Griot node: applies the schema when configured to (development), then the actor
 * system with the {@link NodeGuardian}. {@code main} runs a node from {@code application.conf}
 * and the environment; {@code griot up} and the tests call {@link #start(Config)}.
 */
public final class GriotNode {
  private GriotNode() {}

  public static ActorSystem<Void> start(Config config) {
    NodeSettings settings = NodeSettings.fromConfig(config);
    if (settings.applySchema()) applySchema(config);
    return ActorSystem.create(NodeGuardian.create(settings), "griot", config);
  }

  /** Creates the keyspace and tables when missing (idempotent). */
  public static void applySchema(Config config) {
    try (CqlSession session = CassandraSessions.create(config)) {
      SchemaApplier.apply(session, PersistenceSettings.fromConfig(config));
    }
  }

  public static void main(String[] args) {
    start(NodeConfig.load());
  }
}
