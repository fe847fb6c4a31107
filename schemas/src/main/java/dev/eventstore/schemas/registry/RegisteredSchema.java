package dev.eventstore.schemas.registry;

import org.apache.avro.Schema;

/** A schema as the registry knows it under a subject. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {}
