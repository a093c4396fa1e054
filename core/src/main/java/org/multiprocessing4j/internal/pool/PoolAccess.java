package org.multiprocessing4j.internal.pool;

import java.time.Duration;
import org.multiprocessing4j.SerializableRunnable;

/**
 * How an engine of another package (a cluster's) becomes a public {@code Pool}, and reads the options of
 * a {@code Pool.Builder}: the public package registers the one implementation when {@code Pool} is
 * initialized, so that neither has to make these public.
 */
public abstract class PoolAccess {
    private static volatile PoolAccess instance;

    protected PoolAccess() {
    }

    /** Called once, by {@code Pool}'s initializer. */
    public static void register(PoolAccess access) {
        synchronized (PoolAccess.class) {
            if (instance != null) {
                throw new IllegalStateException("PoolAccess already registered");
            }
            instance = access;
        }
    }

    /** The registered implementation; initializes {@code Pool} if need be. */
    public static PoolAccess get() {
        PoolAccess a = instance;
        if (a == null) {
            try {
                Class.forName("org.multiprocessing4j.Pool", true, PoolAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = instance;
        }
        return a;
    }

    /** The options a {@code Pool.Builder} was given; 0 or null where it was given none. */
    public record Settings(int processes, SerializableRunnable initializer, int maxTasksPerChild, Duration taskTimeout,
                           int retries, int readAhead) {
    }

    /** A {@code Pool} on {@code engine}; {@code readAhead} 0 for the default. */
    public abstract Object newPool(Engine engine, int readAhead);

    /** The options of {@code builder}, a {@code Pool.Builder}. */
    public abstract Settings settings(Object builder);
}
