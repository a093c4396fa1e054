package org.multiprocessing4j.internal.codec;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link ObjectInputFilter} of every stream the library reads objects from. An object is rejected
 * when any of these says so, checked in this order:
 * <ol>
 *   <li>the limits: nesting depth ({@code maxdepth}, default {@value #DEFAULT_MAX_DEPTH}), object
 *       references ({@code maxrefs}, default {@value #DEFAULT_MAX_REFS}), and, when set, array length
 *       ({@code maxarray}) and stream bytes ({@code maxbytes}); the system property {@value #PROPERTY}
 *       may raise or lower each of them;</li>
 *   <li>always: an array may not claim more elements than the bytes left in its message could hold,
 *       so that a short message cannot make the reader allocate a huge array;</li>
 *   <li>the class patterns of {@value #PROPERTY}, in {@link ObjectInputFilter.Config#createFilter}
 *       syntax (e.g. {@code com.acme.*;java.base/*;!*});</li>
 *   <li>the filter given to {@link #setUserFilter} in this JVM;</li>
 *   <li>the JVM-wide filter ({@code jdk.serialFilter}, or one set with
 *       {@link ObjectInputFilter.Config#setSerialFilter}).</li>
 * </ol>
 * The property is read once; a child JVM is given its parent's value, so the same filter applies there.
 * A filter given to {@link #setUserFilter} applies only in the JVM that set it. An invalid property
 * rejects everything, saying why.
 */
public final class SerialFilter {
    /** The system property: limits and class patterns, in {@code ObjectInputFilter} syntax. */
    public static final String PROPERTY = "multiprocessing4j.serialFilter";
    static final long DEFAULT_MAX_DEPTH = 500;
    static final long DEFAULT_MAX_REFS = 100_000_000;

    /** Bytes counted beyond those left in a message: the reader may have read a block ahead. */
    private static final long ARRAY_SLACK = 4096;

    private static final Config CONFIG = Config.parse(System.getProperty(PROPERTY));
    private static volatile ObjectInputFilter userFilter;

    private SerialFilter() {
    }

    /** Sets this JVM's own filter, consulted after the property's; null removes it. */
    public static void setUserFilter(ObjectInputFilter filter) {
        userFilter = filter;
    }

    /**
     * A filter for one stream that reads a message of {@code messageBytes} bytes. It remembers why it
     * rejected, see {@link Stream#rejection()}.
     */
    static Stream forMessage(long messageBytes) {
        return new Stream(messageBytes, userFilter, ObjectInputFilter.Config.getSerialFilter());
    }

    /** The limits and the class patterns of the property, or why it is invalid. */
    record Config(long maxDepth, long maxRefs, long maxArray, long maxBytes, ObjectInputFilter classes,
                  String pattern, String invalid) {

        static Config parse(String pattern) {
            long depth = DEFAULT_MAX_DEPTH;
            long refs = DEFAULT_MAX_REFS;
            long array = Long.MAX_VALUE;
            long bytes = Long.MAX_VALUE;
            if (pattern == null || pattern.isBlank()) {
                return new Config(depth, refs, array, bytes, null, null, null);
            }
            try {
                List<String> classes = new ArrayList<>();
                for (String raw : pattern.split(";")) {
                    String p = raw.trim();
                    int eq = p.indexOf('=');
                    if (p.isEmpty()) {
                        continue;
                    } else if (eq < 0) {
                        classes.add(p);
                        continue;
                    }
                    long value = limit(p, eq);
                    switch (p.substring(0, eq)) {
                        case "maxdepth" -> depth = value;
                        case "maxrefs" -> refs = value;
                        case "maxarray" -> array = value;
                        case "maxbytes" -> bytes = value;
                        default -> throw new IllegalArgumentException("unknown limit: " + p);
                    }
                }
                ObjectInputFilter c = classes.isEmpty() ? null
                        : ObjectInputFilter.Config.createFilter(String.join(";", classes));
                return new Config(depth, refs, array, bytes, c, pattern, null);
            } catch (IllegalArgumentException e) {
                return new Config(0, 0, 0, 0, null, pattern,
                        PROPERTY + "=\"" + pattern + "\" is not a valid filter (" + e.getMessage()
                                + "), so nothing is deserialized");
            }
        }

        private static long limit(String p, int eq) {
            try {
                long v = Long.parseLong(p.substring(eq + 1).trim());
                if (v >= 0) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("not a limit: " + p);
        }
    }

    /** The filter of one stream. */
    static final class Stream implements ObjectInputFilter {
        private final long messageBytes;
        private final ObjectInputFilter user;
        private final ObjectInputFilter jvmWide;
        private String rejection;

        Stream(long messageBytes, ObjectInputFilter user, ObjectInputFilter jvmWide) {
            this.messageBytes = messageBytes;
            this.user = user;
            this.jvmWide = jvmWide;
        }

        /** Why this filter rejected, with how to allow it; null if it did not. */
        String rejection() {
            return rejection;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            String why = limits(info);
            if (why != null) {
                return reject(why);
            }
            Class<?> c = info.serialClass();
            Status status = Status.UNDECIDED;
            for (int i = 0; i < 3; i++) {
                ObjectInputFilter f = i == 0 ? CONFIG.classes() : i == 1 ? user : jvmWide;
                if (f == null) {
                    continue;
                }
                Status s = f.checkInput(info);
                if (s == null || s == Status.REJECTED) {
                    return reject(describe(c) + " is rejected by " + switch (i) {
                        case 0 -> "the filter " + PROPERTY + "=\"" + CONFIG.pattern() + "\"; to allow it, add a"
                                + " pattern that matches it before any that rejects it";
                        case 1 -> "the filter set with Multiprocessing.setSerialFilter in this process; to allow"
                                + " it, change that filter";
                        default -> "the JVM-wide filter (jdk.serialFilter) of this process; to allow it, change"
                                + " that filter";
                    });
                }
                if (s == Status.ALLOWED) {
                    status = Status.ALLOWED;
                }
            }
            return status;
        }

        private String limits(FilterInfo info) {
            if (CONFIG.invalid() != null) {
                return CONFIG.invalid();
            }
            if (info.depth() > CONFIG.maxDepth()) {
                return "the object nests " + info.depth() + " deep, more than maxdepth=" + CONFIG.maxDepth()
                        + raise("maxdepth");
            }
            if (info.references() > CONFIG.maxRefs()) {
                return "the object holds more than maxrefs=" + CONFIG.maxRefs() + " references" + raise("maxrefs");
            }
            if (info.streamBytes() > CONFIG.maxBytes()) {
                return "the object takes more than maxbytes=" + CONFIG.maxBytes() + " bytes" + raise("maxbytes");
            }
            long length = info.arrayLength();
            if (length >= 0) {
                if (length > CONFIG.maxArray()) {
                    return "an array of " + length + " elements is longer than maxarray=" + CONFIG.maxArray()
                            + raise("maxarray");
                }
                long left = Math.max(0, messageBytes - info.streamBytes());
                if (length > maxElements(info.serialClass(), left)) {
                    return describe(info.serialClass()) + " claims " + length
                            + " elements, more than the " + left + " bytes left in the message can hold"
                            + " (the message is corrupt or forged)";
                }
            }
            return null;
        }

        private Status reject(String why) {
            if (rejection == null) {
                rejection = why;
            }
            return Status.REJECTED;
        }

        private static String raise(String limit) {
            return "; to allow it, set a higher limit with -D" + PROPERTY + "=" + limit + "=N";
        }

        private static String describe(Class<?> c) {
            if (c == null) {
                return "a reference";
            }
            return (c.isArray() ? "an array of " + c.getComponentType().getName() : "class " + c.getName());
        }

        /**
         * The most elements an array of this type can have in {@code left} bytes of stream: a primitive
         * element takes its size; any other at least one byte, but the JDK's collections check the
         * arrays of their tables here too, sized a few times their entries ({@code IdentityHashMap}'s
         * {@code Object[]} up to 3 per entry of 2 objects, {@code HashMap}'s and {@code HashSet}'s
         * {@code Map.Entry[]} up to 8 per element).
         */
        private static long maxElements(Class<?> array, long left) {
            long bytes = left + ARRAY_SLACK;
            Class<?> e = array == null ? null : array.getComponentType();
            if (e == long.class || e == double.class) {
                return bytes / 8;
            } else if (e == int.class || e == float.class) {
                return bytes / 4;
            } else if (e == short.class || e == char.class) {
                return bytes / 2;
            } else if (e == Object.class) {
                return bytes * 4;
            } else if (e == java.util.Map.Entry.class) {
                return bytes * 8;
            }
            return bytes;
        }
    }
}
