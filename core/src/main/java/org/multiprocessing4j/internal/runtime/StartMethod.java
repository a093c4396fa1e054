package org.multiprocessing4j.internal.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a child JVM is started (Python's start methods, by their Python names). The public API takes and
 * gives the names as strings; inside, a start method is parsed once, by {@link #of}.
 */
public enum StartMethod {
    /** A fresh JVM per process, started at {@code start()}; the default. */
    SPAWN("spawn"),
    /** A spare JVM, started and warmed in advance, takes the process at {@code start()}. */
    FORKSERVER("forkserver");

    private static final List<String> NAMES;

    static {
        List<String> names = new ArrayList<>();
        for (StartMethod m : values()) {
            names.add(m.pythonName);
        }
        NAMES = Collections.unmodifiableList(names);
    }

    private final String pythonName;

    StartMethod(String pythonName) {
        this.pythonName = pythonName;
    }

    /** The name Python uses, e.g. {@code "spawn"}. */
    public String pythonName() {
        return pythonName;
    }

    /** The names of every start method, the default first. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The start method named {@code name}.
     *
     * @throws IllegalArgumentException if there is none of that name; the message lists the allowed ones
     */
    public static StartMethod of(String name) {
        for (StartMethod m : values()) {
            if (m.pythonName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown start method '" + name + "' (allowed: " + NAMES + ")");
    }

    @Override
    public String toString() {
        return pythonName;
    }
}
