package dev.eventsource.autoconfigure;

import dev.eventsource.InvalidUpcasterException;

/**
 * Explains an {@link InvalidUpcasterException}: the upcasters do not form chains from stored revisions up to the
 * bound event classes. The description is the exception's message, which names the step and the concrete fix;
 * the action follows the {@link InvalidUpcasterException#problem() problem}.
 */
class InvalidUpcasterFailureAnalyzer extends MessageFailureAnalyzer<InvalidUpcasterException> {

    @Override
    String action(InvalidUpcasterException cause) {
        String at = "'" + cause.eventType() + "' revision " + cause.revision();
        return switch (cause.problem()) {
            case DUPLICATE_STEP -> "Keep one upcaster per stored type and revision: merge the two that read " + at
                    + " into one (Upcaster.from(\"" + cause.eventType() + "\", " + cause.revision()
                    + ") with the helpers of both), or remove one of them.";
            case GAP -> "Make every chain of upcasters end at the revision its event class declares: add an Upcaster "
                    + "bean for each missing step (Upcaster.from(type, n) reads revision n and writes n + 1), make "
                    + "sure the class the chain ends at is bound (an aggregate's or a projection's @EventHandler "
                    + "takes it), or set @EventType(revision = ...) on the class to where the chain ends.";
            case AHEAD_OF_CLASS -> "An upcaster reads only revisions older than its class's. If the upcaster "
                    + "describes a new change of the shape, raise @EventType(revision = ...) on the class of '"
                    + cause.eventType() + "' above " + cause.revision() + "; otherwise remove the upcaster that "
                    + "reads " + at + ".";
            case CYCLE -> "Make every chain end at an event class: each step raises the revision or renames the type, "
                    + "and no step may lead back to " + at + "; remove or fix the step that closes the loop.";
            case ALIAS_COLLISION -> "Events stored under the alias '" + cause.eventType() + "' are read as their "
                    + "class's type name at their stored revision, so write the upcaster from the class's type name "
                    + "instead of the alias; or remove '" + cause.eventType() + "' from @EventType(aliases = ...) and "
                    + "let the upcaster rename the type with renameType(...).";
        };
    }
}
