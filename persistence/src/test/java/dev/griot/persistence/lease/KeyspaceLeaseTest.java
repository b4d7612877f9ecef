package dev.griot.persistence.lease;

import static org.junit.jupiter.api.Assertions.*;

import dev.griot.persistence.testkit.TestCassandra;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lease row on the real Cassandra: compare-and-set writes and expiry. */
class KeyspaceLeaseTest {

  private static final Duration LONG = Duration.ofMinutes(5);

  private static <T> T get(CompletionStage<T> f) throws Exception {
    return f.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static KeyspaceLease lease() {
    return new KeyspaceLease(CompletableFuture.completedFuture(TestCassandra.session()), TestCassandra.freshKeyspace("lease"));
  }

  @Test
  void oneHolderAtATimeAndOnlyAWriterThatSawTheRowAsItIsRenewsIt() throws Exception {
    KeyspaceLease lease = lease();
    KeyspaceLease.Outcome a = get(lease.acquire("a", LONG));
    assertTrue(a.applied());
    assertEquals(Optional.of(new KeyspaceLease.Row("a", 0)), a.row());

    KeyspaceLease.Outcome b = get(lease.acquire("b", LONG));
    assertFalse(b.applied(), "held already");
    assertEquals(Optional.of(new KeyspaceLease.Row("a", 0)), b.row(), "and b learns by whom");

    KeyspaceLease.Outcome renewed = get(lease.renew("a", a.row().get(), LONG));
    assertTrue(renewed.applied());
    assertEquals(Optional.of(new KeyspaceLease.Row("a", 1)), renewed.row());

    KeyspaceLease.Outcome stale = get(lease.renew("b", b.row().get(), LONG));
    assertFalse(stale.applied(), "b's view of the row is out of date");
    assertEquals(Optional.of(new KeyspaceLease.Row("a", 1)), stale.row());

    KeyspaceLease.Outcome takeover = get(lease.renew("c", stale.row().get(), LONG));
    assertTrue(takeover.applied(), "a writer that saw the row as it is takes it over");
    assertEquals(Optional.of(new KeyspaceLease.Row("c", 2)), takeover.row());
  }

  @Test
  void aLeaseNobodyRenewsExpires() throws Exception {
    KeyspaceLease lease = lease();
    assertTrue(get(lease.acquire("a", Duration.ofSeconds(1))).applied());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    KeyspaceLease.Outcome b;
    do {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // poll
      b = get(lease.acquire("b", LONG));
    } while (!b.applied() && System.nanoTime() < deadline);
    assertTrue(b.applied(), "b holds it once a's row expired: " + b);
  }
}
