package dev.eventsource.autoconfigure.inherited;

/** A test aggregate that declares no handler of its own: all of them come from {@link Document}. */
public class Invoice extends Document {
}
