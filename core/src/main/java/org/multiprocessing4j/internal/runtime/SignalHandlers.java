package org.multiprocessing4j.internal.runtime;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The handlers behind {@link ShutdownSignal}: the library's only use of {@code sun.misc.Signal}.
 * Compiled by an execution of its own (javac's warning about that API cannot be suppressed) and loaded
 * by name; see {@link ShutdownSignal}.
 */
final class SignalHandlers implements ShutdownSignal.Handlers {
    static {
        ShutdownSignal.register(new SignalHandlers());
    }

    private SignalHandlers() {
    }

    @Override
    public void haltOnSignals() {
        for (String name : ShutdownSignal.SIGNALS) {
            Handler halting = new Handler(true);
            halting.settled = true;
            Signal.handle(new Signal(name), halting);
        }
    }

    @Override
    public void noteSignals() {
        for (String name : ShutdownSignal.SIGNALS) {
            Signal signal = new Signal(name);
            Handler notice = new Handler(false);
            try {
                SignalHandler before = Signal.handle(signal, notice);
                if (before == SignalHandler.SIG_DFL || before == SignalHandler.SIG_IGN) {
                    Signal.handle(signal, before); // not the JVM's exit: leave it as it was
                }
                notice.previous = before;
            } catch (IllegalArgumentException notHandledByThisJvm) {
                notice.previous = SignalHandler.SIG_IGN;
            } finally {
                notice.settled = true;
            }
        }
    }

    /** Halts with 128+N, or notes the signal and passes it to the handler it replaced. */
    private static final class Handler implements SignalHandler {
        private final boolean halt;
        private volatile SignalHandler previous;
        private volatile boolean settled;

        Handler(boolean halt) {
            this.halt = halt;
        }

        @Override
        public void handle(Signal signal) {
            if (halt) {
                ShutdownSignal.noteReceived();
                ExitActions.halt(128 + signal.getNumber());
                return;
            }
            while (!settled) {
                Thread.onSpinWait(); // installed a moment ago: the handler it replaced is being noted
            }
            SignalHandler next = previous;
            if (next == SignalHandler.SIG_IGN) {
                return;
            }
            ShutdownSignal.noteReceived();
            if (next == SignalHandler.SIG_DFL) {
                Signal.raise(signal); // restored meanwhile: its default action
            } else {
                next.handle(signal);
            }
        }
    }
}
