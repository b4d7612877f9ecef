package dev.griot.node;

import static org.junit.jupiter.api.Assertions.*;

import com.datastax.oss.driver.api.core.cql.Row;
import dev.griot.persistence.testkit.TestCassandra;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.cluster.Cluster;
import org.junit.jupiter.api.Test;

/**
 * Two clusters on one keyspace: the second one formed (a node that joined itself instead of the
 * running cluster) sees the first renew the keyspace lease, and stops; the first goes on.
 */
class KeyspaceGuardTest {

  private static final Map<String, Object> FAST = Map.of("griot.keyspace-lease.renew-interval", "300ms");

  private static Optional<Row> lease(String keyspace) {
    return Optional.ofNullable(TestCassandra.session()
        .execute("SELECT holder, renewals FROM " + keyspace + ".cluster_lease WHERE name = 'cluster'").one());
  }

  private static Row awaitHeldBy(TestNode node, long atLeastRenewals) {
    String self = Cluster.get(node.system.classicSystem()).selfAddress().toString();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Optional<Row> row = lease(node.keyspace);
      if (row.isPresent() && row.get().getString("holder").startsWith(self + "#") && row.get().getLong("renewals") >= atLeastRenewals)
        return row.get();
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // poll
    }
    throw new AssertionError("the lease of " + node.keyspace + " is not held by " + self + ": " + lease(node.keyspace).map(Row::getFormattedContents));
  }

  @Test
  void aSecondClusterOnTheSameKeyspaceStopsAndTheFirstGoesOn() throws Exception {
    try (TestNode first = TestNode.start("guard", FAST)) {
      awaitHeldBy(first, 0);

      TestNode second = TestNode.startIn(first.keyspace, FAST); // joins itself: a cluster of its own
      second.system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);

      assertEquals(Optional.of(KeyspaceGuard.KeyspaceTaken.INSTANCE), CoordinatedShutdown.get(second.system).getShutdownReason());
      long renewals = lease(first.keyspace).orElseThrow().getLong("renewals");
      awaitHeldBy(first, renewals + 1); // the first cluster still holds it and goes on renewing
      assertFalse(first.system.whenTerminated().isCompleted());
    }
  }
}
