package dev.eventsource.serializer.jackson;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.introspect.AnnotatedConstructor;
import tools.jackson.databind.introspect.AnnotatedWithParams;
import tools.jackson.databind.module.SimpleModule;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;

/**
 * Calls the constructors that Jackson reads records (and other classes with a multi-argument creator) through with
 * a method handle spread once per class. Jackson 3 calls such a constructor with
 * {@link MethodHandle#invokeWithArguments}, which checks and spreads the arguments anew on every call: per event, a
 * tenth of the time it takes to read one. Everything else, the arguments, their defaults and checks, and how a
 * constructor's exception is reported, stays Jackson's.
 */
final class SpreadCreators implements ValueInstantiators {

    private SpreadCreators() {
    }

    /**
     * Returns a copy of the mapper that calls multi-argument constructors through spread handles; the mapper passed
     * in is not changed.
     *
     * @param mapper the mapper
     * @return the copy
     */
    static ObjectMapper install(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("eventsource-spread-creators") {
            private static final long serialVersionUID = 1L;

            @Override
            public void setupModule(SetupContext context) {
                super.setupModule(context);
                context.addValueInstantiators(new SpreadCreators());
            }
        };
        return mapper.rebuild().addModule(module).build();
    }

    @Override
    public ValueInstantiator findValueInstantiator(DeserializationConfig config,
                                                   BeanDescription.Supplier beanDescRef) {
        return null;
    }

    @Override
    public ValueInstantiator modifyValueInstantiator(DeserializationConfig config,
                                                     BeanDescription.Supplier beanDescRef,
                                                     ValueInstantiator instantiator) {
        // Only Jackson's own instantiator: one from a module of the caller's is left as it is.
        if (instantiator.getClass() != StdValueInstantiator.class) {
            return instantiator;
        }
        StdValueInstantiator standard = (StdValueInstantiator) instantiator;
        AnnotatedWithParams creator = standard.getWithArgsCreator();
        if (!(creator instanceof AnnotatedConstructor constructor) || constructor.getParameterCount() < 2) {
            return instantiator;
        }
        MethodHandle spread = spread(constructor.getAnnotated());
        return spread == null ? instantiator : new Spread(standard, spread);
    }

    /** @return the constructor as a handle taking its arguments as one {@code Object[]}, or null when not allowed */
    private static MethodHandle spread(Constructor<?> constructor) {
        try {
            if (!constructor.canAccess(null) && !constructor.trySetAccessible()) {
                return null;
            }
            return MethodHandles.lookup().unreflectConstructor(constructor)
                    .asSpreader(Object[].class, constructor.getParameterCount())
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /** Jackson's instantiator, but for the call of the constructor. */
    private static final class Spread extends StdValueInstantiator {

        private static final long serialVersionUID = 1L;

        private final transient MethodHandle constructor;

        Spread(StdValueInstantiator standard, MethodHandle constructor) {
            super(standard);
            this.constructor = constructor;
        }

        @Override
        public Object createFromObjectWith(DeserializationContext ctxt, Object[] args) throws JacksonException {
            try {
                return (Object) constructor.invokeExact(args);
            } catch (Exception e) {
                return ctxt.handleInstantiationProblem(getValueClass(), args, rewrapCtorProblem(ctxt, e));
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
