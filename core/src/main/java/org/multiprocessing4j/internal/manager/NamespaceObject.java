package org.multiprocessing4j.internal.manager;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import org.multiprocessing4j.Namespace;

/** The object behind a managed {@link Namespace}, in the manager's process: names in the order first set. */
public final class NamespaceObject implements Namespace {
    private final Map<String, Object> values = new LinkedHashMap<>();

    @Override
    public void set(String name, Object value) {
        values.put(checked(name), value);
    }

    @Override
    public Object get(String name) {
        return values.get(present(name));
    }

    @Override
    public Object get(String name, Object defaultValue) {
        return values.containsKey(checked(name)) ? values.get(name) : defaultValue;
    }

    @Override
    public Object remove(String name) {
        return values.remove(present(name));
    }

    /** {@code name}, which must be a valid name that is set. */
    private String present(String name) {
        if (!values.containsKey(checked(name))) {
            throw missing(name);
        }
        return name;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Namespace(");
        String sep = "";
        for (Map.Entry<String, Object> e : values.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ", ";
        }
        return sb.append(')').toString();
    }

    private static String checked(String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        return name;
    }

    private static NoSuchElementException missing(String name) {
        return new NoSuchElementException("'Namespace' object has no attribute '" + name + "'");
    }
}
