package dev.eventsource.upcast;

import tools.jackson.databind.node.ObjectNode;

/**
 * One step up the history of an event's shape: turns a stored payload of ({@link #type()}, {@link #revision()})
 * into one of ({@link #targetType()}, {@link #targetRevision()}), on the serializer's tree form, before any class is
 * bound. Steps chain (1 &rarr; 2 &rarr; 3), so only today's event classes exist in code.
 *
 * <p>Most steps are built from the helpers of {@link #from(String, int)}:
 *
 * <pre>{@code
 * Upcaster.from("Deposited", 1)
 *         .moveField("amount", "money.amount")
 *         .addField("money.currency", "EUR");            // Deposited revision 1 -> 2
 * Upcaster.from("PersonRegistered", 2).renameType("PersonCreated");   // -> PersonCreated revision 3
 * }</pre>
 *
 * <p>An implementation must be stateless and thread-safe; it may change the node it is given and return it. It
 * never sees stored bytes: those are never rewritten, and every read upcasts again.
 */
public interface Upcaster {

    /** @return the stored type name this step reads */
    String type();

    /** @return the revision this step reads, from 1 */
    int revision();

    /** @return the type name of the result; the same type by default */
    default String targetType() {
        return type();
    }

    /**
     * @return the revision of the result: the next one by default; never lower than {@link #revision()}, and the
     *     same only for a step that renames the type
     */
    default int targetRevision() {
        return revision() + 1;
    }

    /**
     * Upcasts one payload.
     *
     * @param payload the payload in ({@link #type()}, {@link #revision()}), a JSON object (for CBOR, the same tree)
     * @param context the stored event the payload belongs to, for steps that need it
     * @return the payload in ({@link #targetType()}, {@link #targetRevision()}): the given node changed, or another
     */
    ObjectNode upcast(ObjectNode payload, UpcastContext context);

    /**
     * Starts a step built from helpers (rename the type, rename, add, remove, move and convert fields, or any
     * change of the tree) that reads the given type and revision and, unless told otherwise, writes the next
     * revision of the same type.
     *
     * @param type the stored type name the step reads
     * @param revision the revision it reads
     * @return the step, which changes nothing until helpers are added
     * @throws IllegalArgumentException when the type is blank or the revision below 1
     */
    static StepUpcaster from(String type, int revision) {
        return StepUpcaster.start(type, revision);
    }
}
