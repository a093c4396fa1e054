package org.multiprocessing4j;

import java.io.Serializable;
import java.time.Duration;
import org.multiprocessing4j.internal.sync.EventCore;

/**
 * A flag shared by processes and threads, Python's {@code multiprocessing.Event}: {@link #set()} wakes
 * every thread of every process that waits in {@link #await()}, until {@link #clear()}.
 *
 * <p>Waiting threads sleep without using CPU; a {@code set} wakes them through each waiting process's
 * doorbell (a named pipe), typically within tens of microseconds. A waiter woken by a {@code set} returns true
 * even if another thread cleared the flag again before it looked, as a {@code threading.Event} does.
 *
 * <p>Blocking: {@link #await()} and {@link #await(Duration)} are unchecked (an interrupt is a
 * {@link ProcessError} with the {@code InterruptedException} as cause, flag restored); a null timeout
 * waits for ever, zero tries once, a negative one is an {@link IllegalArgumentException}. A serializable
 * handle; {@link #close()} as for {@link Lock}.
 */
public final class Event implements AutoCloseable, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final transient EventCore core;

    /** A new event, not set. */
    public Event() {
        this(EventCore.create());
    }

    private Event(EventCore core) {
        this.core = core;
        this.name = core.block().name();
    }

    /** Sets the flag and wakes every waiter. */
    public void set() {
        core.set();
    }

    /** Clears the flag: later waiters wait for the next {@link #set()}. */
    public void clear() {
        core.clear();
    }

    /** Python's {@code is_set()}. */
    public boolean isSet() {
        return core.isSet();
    }

    /**
     * Waits until the flag is set (returns at once if it is).
     *
     * @throws ProcessError if interrupted (the interrupt flag stays set)
     */
    public void await() {
        await(null);
    }

    /**
     * Waits at most {@code timeout} (null: forever) until the flag is set.
     *
     * @return true if set, false if the timeout passed first
     * @throws ProcessError if interrupted (the interrupt flag stays set)
     * @throws IllegalArgumentException if the timeout is negative
     */
    public boolean await(Duration timeout) {
        return TimedWait.within(core::await, timeout, "waiting for an event");
    }

    @Override
    public void close() {
        core.block().close();
    }

    @Override
    public String toString() {
        return "<Event(" + (isSet() ? "set" : "unset") + ")>";
    }

    private Object writeReplace() {
        return new Handle(name);
    }

    private record Handle(String name) implements Serializable {
        private Object readResolve() {
            return new Event(EventCore.attach(name));
        }
    }
}
