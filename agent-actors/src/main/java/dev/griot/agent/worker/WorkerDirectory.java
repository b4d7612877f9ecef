package dev.griot.agent.worker;

import dev.griot.agent.worker.WorkerPool.RunReady;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * Where the runs of this node tell the cluster's workers that they wait: every {@link WorkerPool}
 * of the cluster registers with the receptionist under {@link WorkerPool#SERVICE_KEY}, and each
 * {@link RunReady} goes to all of them. Every pool with a free slot offers it to the run through
 * sharding; the run grants one lease (the first offer) and declines the others. Announcements made
 * while no pool is known yet are kept (the latest per run, at most {@code MAX_PENDING}) and sent
 * once one is; a queued run also announces itself again on a timer.
 */
public final class WorkerDirectory {

  /** Announcements kept while no worker is known. */
  static final int MAX_PENDING = 10_000;

  private WorkerDirectory() {}

  private record Listing(Set<ActorRef<WorkerPool.Command>> pools) implements WorkerPool.Command {}

  public static Behavior<WorkerPool.Command> create() {
    return Behaviors.setup(ctx -> {
      ActorRef<Receptionist.Listing> adapter = ctx.messageAdapter(Receptionist.Listing.class,
          l -> new Listing(l.getServiceInstances(WorkerPool.SERVICE_KEY)));
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(WorkerPool.SERVICE_KEY, adapter));
      return running(Set.of(), new LinkedHashMap<>());
    });
  }

  private static Behavior<WorkerPool.Command> running(
      Set<ActorRef<WorkerPool.Command>> pools, LinkedHashMap<String, RunReady> pending) {
    return Behaviors.receive(WorkerPool.Command.class)
        .onMessage(Listing.class, l -> {
          if (!l.pools().isEmpty()) {
            pending.values().forEach(r -> l.pools().forEach(p -> p.tell(r)));
            pending.clear();
          }
          return running(l.pools(), pending);
        })
        .onMessage(RunReady.class, r -> {
          if (pools.isEmpty()) {
            pending.remove(r.runId());
            pending.put(r.runId(), r);
            if (pending.size() > MAX_PENDING) dropOldest(pending);
          } else {
            pools.forEach(p -> p.tell(r));
          }
          return Behaviors.same();
        })
        .build();
  }

  private static void dropOldest(Map<String, RunReady> pending) {
    var it = pending.keySet().iterator();
    it.next();
    it.remove(); // it announces itself again on its timer
  }
}
