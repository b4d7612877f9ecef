package dev.griot.agent.checkpoint;

import dev.griot.persistence.CborSerializable;

/**
 * Names a saved checkpoint of a run's workspace; journaled, so small and stable.
 *
 * @param manifest the hash of the checkpoint's {@link Manifest} blob
 * @param turn the turn after which it was taken
 * @param files how many regular files it holds
 * @param bytes how many bytes those files hold
 */
public record CheckpointRef(String manifest, int turn, int files, long bytes) implements CborSerializable {}
