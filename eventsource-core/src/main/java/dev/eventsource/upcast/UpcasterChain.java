package dev.eventsource.upcast;

import dev.eventsource.EventRevisionException.Reason;
import dev.eventsource.InvalidUpcasterException;
import dev.eventsource.InvalidUpcasterException.Problem;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of {@link Upcaster upcasters}, at most one per stored (type, revision), and the rules that make them
 * chains: {@link #verify} checks them against the bound event classes, {@link #plan} finds the steps from a stored
 * (type, revision) up to a bound class. Immutable; serializer-independent (the Jackson serializer uses it, and so
 * can another serializer on Jackson trees).
 *
 * <p>The bound classes are given as two maps: the current revision of every bound type name, and the aliases
 * (earlier type names of a class, each read as the class's type name at the revision it was stored with).
 */
public final class UpcasterChain {

    private static final UpcasterChain EMPTY = new UpcasterChain(Map.of(), Set.of());

    private final Map<Step, Upcaster> steps;
    private final Set<String> typesRead;

    private UpcasterChain(Map<Step, Upcaster> steps, Set<String> typesRead) {
        this.steps = steps;
        this.typesRead = typesRead;
    }

    /** @return a chain without upcasters */
    public static UpcasterChain empty() {
        return EMPTY;
    }

    /**
     * Returns this chain with more upcasters.
     *
     * @param upcasters the upcasters to add
     * @return the extended chain
     * @throws InvalidUpcasterException when two upcasters read one type and revision ({@link Problem#DUPLICATE_STEP}),
     *     or one produces its own type and revision ({@link Problem#CYCLE})
     * @throws IllegalArgumentException when an upcaster is null, has a blank type or lowers the revision
     */
    public UpcasterChain plus(Collection<? extends Upcaster> upcasters) {
        Map<Step, Upcaster> extended = new HashMap<>(steps);
        Set<String> read = new HashSet<>(typesRead);
        for (Upcaster upcaster : upcasters) {
            check(upcaster);
            Step step = new Step(upcaster.type(), upcaster.revision());
            Upcaster earlier = extended.putIfAbsent(step, upcaster);
            if (earlier != null && earlier != upcaster) {
                throw new InvalidUpcasterException("Two upcasters read " + step + ": " + earlier + " and " + upcaster
                        + "; keep one step per type and revision (combine their changes into one)",
                        Problem.DUPLICATE_STEP, step.type, step.revision);
            }
            read.add(upcaster.type());
        }
        return new UpcasterChain(Map.copyOf(extended), Set.copyOf(read));
    }

    /** @return whether the chain has no upcasters */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** @return the upcasters, in no particular order */
    public Collection<Upcaster> upcasters() {
        return steps.values();
    }

    /**
     * @param type a stored type name
     * @return whether some upcaster reads the type, at any revision
     */
    public boolean reads(String type) {
        return typesRead.contains(type);
    }

    /**
     * Checks the chains against the bound classes: every chain ends at a bound class's revision, no upcaster reads
     * a revision its bound class has already reached, no chain comes back on itself, no upcaster reads an alias,
     * and every class that declares a revision above 1 can be reached by some upcaster.
     *
     * @param revisions the current revision of every bound type name
     * @param aliases the aliases of bound classes, each mapped to its class's type name
     * @throws InvalidUpcasterException naming the first problem found
     */
    public void verify(Map<String, Integer> revisions, Map<String, String> aliases) {
        List<Upcaster> sorted = new ArrayList<>(steps.values());
        sorted.sort((a, b) -> a.type().equals(b.type()) ? Integer.compare(a.revision(), b.revision())
                : a.type().compareTo(b.type()));
        for (Upcaster upcaster : sorted) {
            String canonical = aliases.get(upcaster.type());
            if (canonical != null) {
                throw new InvalidUpcasterException(upcaster + " reads '" + upcaster.type() + "', an alias of the "
                        + "event type '" + canonical + "'; events stored under the alias are read as '" + canonical
                        + "' at their revision, so write the upcaster from '" + canonical + "' (or drop the alias and "
                        + "rename the type with renameType)", Problem.ALIAS_COLLISION, upcaster.type(),
                        upcaster.revision());
            }
            Integer current = revisions.get(upcaster.type());
            if (current != null && upcaster.revision() >= current) {
                throw new InvalidUpcasterException(upcaster + " reads revision " + upcaster.revision() + " of '"
                        + upcaster.type() + "', but its class declares revision " + current + ": an upcaster reads "
                        + "an older revision than the class's; raise @EventType(revision = ...) on the class to "
                        + (upcaster.targetRevision() > current ? upcaster.targetRevision() : current + 1)
                        + ", or remove the upcaster", Problem.AHEAD_OF_CLASS, upcaster.type(), upcaster.revision());
            }
        }
        for (Upcaster upcaster : sorted) {
            Plan plan = plan(upcaster.type(), upcaster.revision(), revisions, aliases);
            if (!plan.found()) {
                throw new InvalidUpcasterException("The chain from '" + upcaster.type() + "' revision "
                        + upcaster.revision() + " stops at '" + plan.type() + "' revision " + plan.revision() + ": "
                        + (plan.currentRevision() == 0 ? "no event class is bound under '" + plan.type()
                                + "' and no upcaster reads it; bind the class or rename the type to a bound one"
                                : plan.reason() == Reason.NEWER_THAN_CODE
                                ? "its class declares revision " + plan.currentRevision()
                                        + ", lower than the chain's result; raise the class's revision"
                                : "its class declares revision " + plan.currentRevision() + " and no upcaster reads "
                                        + "revision " + plan.revision() + "; add Upcaster.from(\"" + plan.type()
                                        + "\", " + plan.revision() + ")"),
                        Problem.GAP, plan.type(), plan.revision());
            }
        }
        List<String> types = new ArrayList<>(revisions.keySet());
        types.sort(null);
        Set<String> reached = new HashSet<>(typesRead);
        for (Upcaster upcaster : steps.values()) {
            reached.add(aliases.getOrDefault(upcaster.targetType(), upcaster.targetType()));
        }
        for (String type : types) {
            int current = revisions.get(type);
            if (current > 1 && !reached.contains(type)) {
                throw new InvalidUpcasterException("The event type '" + type + "' declares revision " + current
                        + " but no upcaster reads an earlier revision of it or leads to it, so its events stored in "
                        + "revision " + (current == 2 ? "1" : "1 to " + (current - 1)) + " cannot be read; register "
                        + "Upcaster.from(\"" + type + "\", " + (current - 1) + ") (and the steps below it), or keep "
                        + "the revision", Problem.GAP, type, current);
            }
        }
    }

    /**
     * Finds the steps from a stored type and revision to a bound class.
     *
     * @param type the stored type name (an alias is read as its class's name)
     * @param revision the stored revision
     * @param revisions the current revision of every bound type name
     * @param aliases the aliases of bound classes, each mapped to its class's type name
     * @return the plan: the steps and the bound type they reach, or where and why they stop
     * @throws InvalidUpcasterException when the steps come back to a type and revision already passed
     */
    public Plan plan(String type, int revision, Map<String, Integer> revisions, Map<String, String> aliases) {
        String at = aliases.getOrDefault(type, type);
        int atRevision = revision;
        List<Upcaster> path = new ArrayList<>();
        Set<Step> seen = new HashSet<>();
        while (true) {
            Integer current = revisions.get(at);
            if (current != null && atRevision == current) {
                return new Plan(List.copyOf(path), at, atRevision, current, null);
            }
            if (current != null && atRevision > current) {
                return new Plan(List.copyOf(path), at, atRevision, current, Reason.NEWER_THAN_CODE);
            }
            Step step = new Step(at, atRevision);
            Upcaster upcaster = steps.get(step);
            if (upcaster == null) {
                return new Plan(List.copyOf(path), at, atRevision, current == null ? 0 : current, Reason.NO_UPCASTER);
            }
            if (!seen.add(step)) {
                throw new InvalidUpcasterException("The upcasters from '" + type + "' revision " + revision
                        + " come back to " + step + " (" + path + "); a chain must end at an event class",
                        Problem.CYCLE, at, atRevision);
            }
            path.add(upcaster);
            at = aliases.getOrDefault(upcaster.targetType(), upcaster.targetType());
            atRevision = upcaster.targetRevision();
        }
    }

    private static void check(Upcaster upcaster) {
        if (upcaster == null) {
            throw new IllegalArgumentException("Cannot register a null upcaster");
        }
        String type = upcaster.type();
        String target = upcaster.targetType();
        if (type == null || type.isBlank() || target == null || target.isBlank()) {
            throw new IllegalArgumentException(upcaster + " has a blank type or target type");
        }
        if (upcaster.revision() < 1 || upcaster.targetRevision() < upcaster.revision()) {
            throw new IllegalArgumentException(upcaster + " goes from revision " + upcaster.revision() + " to "
                    + upcaster.targetRevision() + "; revisions start at 1 and upcasters only go up");
        }
        if (upcaster.targetRevision() == upcaster.revision() && target.equals(type)) {
            throw new InvalidUpcasterException(upcaster + " produces the type and revision it reads ('" + type
                    + "' revision " + upcaster.revision() + "); a step raises the revision or renames the type",
                    Problem.CYCLE, type, upcaster.revision());
        }
    }

    /**
     * The way from a stored type and revision to a bound class, or where it stops.
     *
     * @param steps the upcasters to apply, in order (empty when the stored revision is the class's)
     * @param type where the steps end: the bound type name reached, or the type where they stop
     * @param revision the revision where the steps end
     * @param currentRevision the revision of the class bound under {@code type}, 0 when none is
     * @param reason why the steps stop, {@code null} when they reach a bound class
     */
    public record Plan(List<Upcaster> steps, String type, int revision, int currentRevision,
                       @Nullable Reason reason) {

        /** @return whether the steps reach a bound class */
        public boolean found() {
            return reason == null;
        }
    }

    private record Step(String type, int revision) {

        @Override
        public String toString() {
            return "'" + type + "' revision " + revision;
        }
    }
}
