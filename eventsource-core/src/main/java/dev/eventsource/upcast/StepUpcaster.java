package dev.eventsource.upcast;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An {@link Upcaster} built from helpers, applied in the order they were added. Immutable: every helper returns a
 * new step, so a step can be shared and extended.
 *
 * <p>Fields are named by path: a plain name ({@code "amount"}) or names separated by dots for nested objects
 * ({@code "money.amount"}). A helper whose source field is absent from a payload does nothing to it (old payloads
 * often miss optional fields); a helper that would overwrite a field that is present fails the read with a message
 * naming the event, rather than losing a value.
 */
public final class StepUpcaster implements Upcaster {

    private static final JsonMapper VALUES = JsonMapper.builder().build();

    private final String type;
    private final int revision;
    private final String targetType;
    private final int targetRevision;
    private final List<Operation> operations;

    private StepUpcaster(String type, int revision, String targetType, int targetRevision,
                         List<Operation> operations) {
        this.type = type;
        this.revision = revision;
        this.targetType = targetType;
        this.targetRevision = targetRevision;
        this.operations = List.copyOf(operations);
    }

    static StepUpcaster start(String type, int revision) {
        requireName(type, "type");
        if (revision < 1) {
            throw new IllegalArgumentException("An upcaster of '" + type + "' reads revision " + revision
                    + "; revisions start at 1");
        }
        return new StepUpcaster(type, revision, type, revision + 1, List.of());
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public int revision() {
        return revision;
    }

    @Override
    public String targetType() {
        return targetType;
    }

    @Override
    public int targetRevision() {
        return targetRevision;
    }

    @Override
    public ObjectNode upcast(ObjectNode payload, UpcastContext context) {
        ObjectNode result = payload;
        for (Operation operation : operations) {
            result = operation.apply(result, context);
            if (result == null) {
                throw new IllegalStateException(operation.description + " returned null; return the payload");
            }
        }
        return result;
    }

    /**
     * Renames the type: the result is read as {@code newType} (at the next revision unless
     * {@link #toRevision(int)} says otherwise), so a renamed class keeps its history.
     *
     * @param newType the type name of the result
     * @return the extended step
     */
    public StepUpcaster renameType(String newType) {
        requireName(newType, "new type");
        return new StepUpcaster(type, revision, newType, targetRevision, operations);
    }

    /**
     * Sets the revision of the result; the next one by default. Keeping the revision is allowed only with
     * {@link #renameType(String)}.
     *
     * @param newRevision the revision of the result
     * @return the extended step
     */
    public StepUpcaster toRevision(int newRevision) {
        if (newRevision < revision) {
            throw new IllegalArgumentException("An upcaster of " + type + " revision " + revision
                    + " cannot produce the lower revision " + newRevision + "; upcasters only go up");
        }
        return new StepUpcaster(type, revision, targetType, newRevision, operations);
    }

    /**
     * Renames a field in place: {@code renameField("address.zip", "postalCode")}.
     *
     * @param path the field's path
     * @param newName its new name, in the same object (use {@link #moveField} to move it elsewhere)
     * @return the extended step
     */
    public StepUpcaster renameField(String path, String newName) {
        List<String> from = Path.parse(path);
        requireName(newName, "new field name");
        if (newName.contains(".")) {
            throw new IllegalArgumentException("renameField(\"" + path + "\", \"" + newName + "\"): the new name "
                    + "holds a dot; use moveField to move a field into another object");
        }
        List<String> to = new ArrayList<>(from.subList(0, from.size() - 1));
        to.add(newName);
        return move("renameField " + path + " -> " + newName, from, List.copyOf(to));
    }

    /**
     * Moves a field to another path, creating the objects on the way: {@code moveField("street", "address.street")}
     * moves a field into a nested object, {@code moveField("address.street", "street")} out of one.
     *
     * @param path the field's path
     * @param newPath its new path
     * @return the extended step
     */
    public StepUpcaster moveField(String path, String newPath) {
        return move("moveField " + path + " -> " + newPath, Path.parse(path), Path.parse(newPath));
    }

    /**
     * Adds a field with a default value to payloads that lack it, creating the objects on the way; payloads that
     * have it keep theirs (an explicit {@code null} included).
     *
     * @param path the field's path
     * @param value the default: a {@link JsonNode}, or a value Jackson writes as one (a string, number, boolean,
     *     list, map or record); {@code null} for JSON null
     * @return the extended step
     */
    public StepUpcaster addField(String path, @Nullable Object value) {
        List<String> at = Path.parse(path);
        JsonNode node = toNode(value, "addField(\"" + path + "\")");
        return with("addField " + path, (payload, context) -> {
            ObjectNode parent = Path.parentForWrite(payload, at, "addField " + path);
            String name = at.get(at.size() - 1);
            if (!parent.has(name)) {
                parent.set(name, node.deepCopy());
            }
            return payload;
        });
    }

    /**
     * Removes a field; payloads without it are unchanged.
     *
     * @param path the field's path
     * @return the extended step
     */
    public StepUpcaster removeField(String path) {
        List<String> at = Path.parse(path);
        return with("removeField " + path, (payload, context) -> {
            ObjectNode parent = Path.parentForRead(payload, at);
            if (parent != null) {
                parent.remove(at.get(at.size() - 1));
            }
            return payload;
        });
    }

    /**
     * Changes a field's representation: the conversion is given the stored value (a JSON null included) and
     * returns the new one; payloads without the field are unchanged.
     *
     * <pre>{@code .convertField("amount", amount -> Map.of("cents", amount.asLong() * 100))}</pre>
     *
     * @param path the field's path
     * @param conversion from the stored node to the new value: a {@link JsonNode} or any value Jackson writes as
     *     one; {@code null} for JSON null
     * @return the extended step
     */
    public StepUpcaster convertField(String path, Function<JsonNode, ? extends @Nullable Object> conversion) {
        List<String> at = Path.parse(path);
        Objects.requireNonNull(conversion, "conversion");
        String description = "convertField " + path;
        return with(description, (payload, context) -> {
            ObjectNode parent = Path.parentForRead(payload, at);
            String name = at.get(at.size() - 1);
            if (parent != null && parent.has(name)) {
                parent.set(name, toNode(conversion.apply(parent.get(name)), description));
            }
            return payload;
        });
    }

    /**
     * Adds any change of the tree, for steps the helpers do not cover (splitting a field, merging two, values that
     * depend on the event's {@link UpcastContext}).
     *
     * @param description what the change does, for error messages
     * @param change the change; returns the payload (changed in place) or a new object
     * @return the extended step
     */
    public StepUpcaster transform(String description, BiFunction<ObjectNode, UpcastContext, ObjectNode> change) {
        requireName(description, "description");
        Objects.requireNonNull(change, "change");
        return with(description, change);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Upcaster ").append(type).append(" revision ").append(revision)
                .append(" -> ").append(targetType).append(" revision ").append(targetRevision);
        if (!operations.isEmpty()) {
            text.append(' ').append(operations.stream().map(o -> o.description).toList());
        }
        return text.toString();
    }

    private StepUpcaster move(String description, List<String> from, List<String> to) {
        if (from.equals(to)) {
            throw new IllegalArgumentException(description + ": the field stays where it is");
        }
        if (to.size() > from.size() && to.subList(0, from.size()).equals(from)) {
            throw new IllegalArgumentException(description + ": a field cannot move into itself");
        }
        return with(description, (payload, context) -> {
            ObjectNode source = Path.parentForRead(payload, from);
            String name = from.get(from.size() - 1);
            if (source == null || !source.has(name)) {
                return payload;
            }
            JsonNode value = source.get(name);
            ObjectNode target = Path.parentForWrite(payload, to, description);
            String newName = to.get(to.size() - 1);
            if (target.has(newName)) {
                throw new IllegalStateException(description + ": the payload already has '" + String.join(".", to)
                        + "'; remove or rename it first, so that no value is lost");
            }
            source.remove(name);
            target.set(newName, value);
            return payload;
        });
    }

    private StepUpcaster with(String description, BiFunction<ObjectNode, UpcastContext, ObjectNode> change) {
        List<Operation> extended = new ArrayList<>(operations);
        extended.add(new Operation(description, change));
        return new StepUpcaster(type, revision, targetType, targetRevision, extended);
    }

    private static JsonNode toNode(@Nullable Object value, String description) {
        if (value == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        try {
            return VALUES.valueToTree(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(description + ": cannot write " + value.getClass().getName()
                    + " as JSON: " + e.getMessage(), e);
        }
    }

    private static void requireName(@Nullable String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("An upcaster needs a non-blank " + what + ", got "
                    + (name == null ? "null" : "'" + name + "'"));
        }
    }

    private record Operation(String description, BiFunction<ObjectNode, UpcastContext, ObjectNode> change) {

        ObjectNode apply(ObjectNode payload, UpcastContext context) {
            return change.apply(payload, context);
        }
    }

    /** Dotted field paths. */
    private static final class Path {

        static List<String> parse(String path) {
            requireName(path, "field path");
            List<String> names = List.of(path.split("\\.", -1));
            for (String name : names) {
                if (name.isBlank()) {
                    throw new IllegalArgumentException("Field path '" + path + "' has an empty name; write names "
                            + "separated by single dots, such as \"address.street\"");
                }
            }
            return names;
        }

        /** The object holding the path's last name, or null when an object on the way is absent. */
        static @Nullable ObjectNode parentForRead(ObjectNode root, List<String> path) {
            ObjectNode node = root;
            for (String name : path.subList(0, path.size() - 1)) {
                if (!(node.get(name) instanceof ObjectNode child)) {
                    return null;
                }
                node = child;
            }
            return node;
        }

        /** The object holding the path's last name, created on the way where absent. */
        static ObjectNode parentForWrite(ObjectNode root, List<String> path, String description) {
            ObjectNode node = root;
            for (int i = 0; i < path.size() - 1; i++) {
                String name = path.get(i);
                JsonNode child = node.get(name);
                if (child == null || child.isNull()) {
                    node = node.putObject(name);
                } else if (child instanceof ObjectNode object) {
                    node = object;
                } else {
                    throw new IllegalStateException(description + ": '" + String.join(".", path.subList(0, i + 1))
                            + "' is " + child.getNodeType() + ", not an object");
                }
            }
            return node;
        }
    }
}
