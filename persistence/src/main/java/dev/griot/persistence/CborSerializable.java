package dev.griot.persistence;

/**
 * The one serialization marker of Griot. Every command, event, reply and state that crosses a
 * process boundary or reaches the journal implements it, and is bound to Jackson CBOR in this
 * module's {@code reference.conf}.
 */
public interface CborSerializable {}
