package io.ripcord.xdrgen;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/** Reaches generated classes, which tests load at run time and so cannot name at compile time. */
final class Reflect {

    private Reflect() {
    }

    /** Calls the public method named {@code name} that takes {@code args.length} arguments. */
    static Object call(Object target, String name, Object... args) throws Throwable {
        Class<?> c = target instanceof Class<?> k ? k : target.getClass();
        for (Method m : c.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length && accepts(m, args)) {
                try {
                    return m.invoke(target instanceof Class<?> ? null : target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new AssertionError("no method " + name + "/" + args.length + " in " + c);
    }

    private static boolean accepts(Method m, Object[] args) {
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < args.length; i++) {
            if (args[i] != null && !types[i].isPrimitive() && !types[i].isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    /** Creates an instance through the one public constructor with that many parameters. */
    static Object create(Class<?> c, Object... args) throws Throwable {
        for (var k : c.getConstructors()) {
            if (k.getParameterCount() == args.length) {
                try {
                    return k.newInstance(args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new AssertionError("no constructor with " + args.length + " parameters in " + c);
    }

    /** A method's body: gets the arguments, returns the result, may throw what the method declares. */
    @FunctionalInterface
    interface Body {
        Object apply(Object[] args) throws Throwable;
    }

    /** Implements a generated interface: each method by name; a method without a handler fails. */
    static Object implement(Class<?> iface, Map<String, ? extends Body> methods) {
        return Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> iface.getSimpleName() + " implementation";
                };
            }
            Body f = methods.get(m.getName());
            if (f == null) {
                throw new UnsupportedOperationException(m.getName());
            }
            return f.apply(args);
        });
    }
}
