package org.multiprocessing4j.internal.manager;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a method is named on the wire (see {@link ManagerProtocol#CALL}). Its signature,
 * {@code "java.util.Map#put(java.lang.Object,java.lang.Object)"}, is sent once per connection, with a
 * number this JVM gave the method; later calls on that connection send the number alone. Names, not
 * indexes into {@code getMethods()}, so that a client and a server on different JDKs (whose
 * interfaces may have gained methods) still agree.
 */
final class MethodTable {
    private static final Map<Method, Entry> BY_METHOD = new ConcurrentHashMap<>();
    private static final Map<String, Method> BY_SIGNATURE = new ConcurrentHashMap<>();
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private MethodTable() {
    }

    /**
     * This JVM's number for a method, its signature, and whether a call to it may block until
     * interrupted (it declares {@link InterruptedException}).
     */
    record Entry(int number, String signature, boolean interruptible) {
    }

    static Entry of(Method m) {
        Entry e = BY_METHOD.get(m);
        if (e == null) {
            e = BY_METHOD.computeIfAbsent(m, k -> new Entry(NUMBERS.getAndIncrement(), signature(k), interruptible(k)));
        }
        return e;
    }

    static String signature(Method m) {
        StringBuilder sb = new StringBuilder(m.getDeclaringClass().getName()).append('#').append(m.getName()).append('(');
        Class<?>[] params = m.getParameterTypes();
        for (int i = 0; i < params.length; i++) {
            sb.append(i == 0 ? "" : ",").append(params[i].getName());
        }
        return sb.append(')').toString();
    }

    static boolean interruptible(Method m) {
        for (Class<?> t : m.getExceptionTypes()) {
            if (t == InterruptedException.class) {
                return true;
            }
        }
        return false;
    }

    /**
     * The method a signature names, its classes loaded with {@code loader}.
     *
     * @throws ReflectiveOperationException if it names a class or method that is not here
     */
    static Method resolve(String signature, ClassLoader loader) throws ReflectiveOperationException {
        Method m = BY_SIGNATURE.get(signature);
        if (m != null) {
            return m;
        }
        int hash = signature.indexOf('#');
        int open = signature.indexOf('(', hash);
        if (hash <= 0 || open < 0 || !signature.endsWith(")")) {
            throw new NoSuchMethodException("malformed method signature " + signature);
        }
        Class<?> declaring = load(signature.substring(0, hash), loader);
        String name = signature.substring(hash + 1, open);
        String list = signature.substring(open + 1, signature.length() - 1);
        String[] names = list.isEmpty() ? new String[0] : list.split(",");
        Class<?>[] params = new Class<?>[names.length];
        for (int i = 0; i < names.length; i++) {
            params[i] = load(names[i], loader);
        }
        m = declaring.getMethod(name, params);
        BY_SIGNATURE.putIfAbsent(signature, m);
        return m;
    }

    private static Class<?> load(String name, ClassLoader loader) throws ClassNotFoundException {
        switch (name) {
            case "boolean": return boolean.class;
            case "byte": return byte.class;
            case "char": return char.class;
            case "short": return short.class;
            case "int": return int.class;
            case "long": return long.class;
            case "float": return float.class;
            case "double": return double.class;
            default: return Class.forName(name, false, loader);
        }
    }
}
