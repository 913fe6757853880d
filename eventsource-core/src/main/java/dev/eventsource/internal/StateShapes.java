package dev.eventsource.internal;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The shape of an aggregate's state, for snapshot fingerprints: the names and generic types of its instance fields
 * (its superclasses' included, static and transient ones not), and recursively those of the classes they hold,
 * outside the JDK; enum types with their constants. Computed once per class.
 */
public final class StateShapes {

    private static final ClassValue<String> FINGERPRINTS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return hash(describe(type));
        }
    };

    private StateShapes() {
    }

    /**
     * @param type the aggregate class
     * @return 16 hexadecimal digits of the SHA-256 of its shape
     */
    public static String fingerprint(Class<?> type) {
        return FINGERPRINTS.get(type);
    }

    /**
     * @param type a class
     * @return its shape as text (what the fingerprint hashes)
     */
    public static String describe(Class<?> type) {
        StringBuilder shape = new StringBuilder();
        append(type, shape, new HashSet<>());
        return shape.toString();
    }

    private static void append(Type type, StringBuilder shape, Set<Class<?>> seen) {
        if (type instanceof Class<?> c) {
            appendClass(c, shape, seen);
        } else if (type instanceof ParameterizedType p) {
            append(p.getRawType(), shape, seen);
            shape.append('<');
            for (Type argument : p.getActualTypeArguments()) {
                append(argument, shape, seen);
                shape.append(',');
            }
            shape.append('>');
        } else if (type instanceof GenericArrayType array) {
            append(array.getGenericComponentType(), shape, seen);
            shape.append("[]");
        } else if (type instanceof WildcardType wildcard) {
            shape.append('?');
            for (Type bound : wildcard.getUpperBounds()) {
                append(bound, shape, seen);
            }
        } else if (type instanceof TypeVariable<?> variable) {
            shape.append(variable.getName());
        } else {
            shape.append(type.getTypeName());
        }
    }

    private static void appendClass(Class<?> type, StringBuilder shape, Set<Class<?>> seen) {
        if (type.isArray()) {
            append(type.getComponentType(), shape, seen);
            shape.append("[]");
            return;
        }
        shape.append(type.getName());
        if (type.isPrimitive() || isJdk(type) || !seen.add(type)) {
            return;
        }
        if (type.isEnum()) {
            shape.append('(');
            for (Object constant : type.getEnumConstants()) {
                shape.append(((Enum<?>) constant).name()).append(',');
            }
            shape.append(')');
            return;
        }
        shape.append('{');
        for (Field field : fields(type)) {
            shape.append(field.getName()).append(':');
            append(field.getGenericType(), shape, seen);
            shape.append(';');
        }
        shape.append('}');
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class && !isJdk(c); c = c.getSuperclass()) {
            List<Field> declared = new ArrayList<>();
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.isSynthetic()) {
                    declared.add(field);
                }
            }
            declared.sort(Comparator.comparing(Field::getName));
            fields.addAll(declared);
        }
        return fields;
    }

    private static boolean isJdk(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.");
    }

    private static String hash(String shape) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(shape.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
