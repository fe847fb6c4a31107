package dev.eventstore.reader.query;

/** Forward reads go up from a version, backward reads down from it. */
public enum ReadDirection {
    FORWARD,
    BACKWARD
}
