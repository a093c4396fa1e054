package org.multiprocessing4j.internal.launch;

/**
 * Translates a child JVM's wait status into Python's {@code exitcode}.
 *
 * <p>The JDK reports a process killed by signal N as status 128+N, and a JVM that runs its shutdown
 * hooks on SIGTERM also exits with 128+15. A child that ends of its own accord (its target returned or
 * threw, or it called {@code System.exit}) leaves an exit marker first, so its status is kept as it is,
 * even 137. Without a marker a status of 129..192 means death by signal and becomes {@code -N}.
 */
public final class ExitStatus {
    private static final int SIGNAL_BASE = 128;
    private static final int MAX_SIGNAL = 64;

    private ExitStatus() {
    }

    public static int toExitCode(int status, boolean voluntary) {
        if (!voluntary && status > SIGNAL_BASE && status <= SIGNAL_BASE + MAX_SIGNAL) {
            return -(status - SIGNAL_BASE);
        }
        return status;
    }

    /** Python's {@code _exitcode_to_name}: {@code -15} is shown as {@code -SIGTERM}. */
    public static String describe(int exitCode) {
        if (exitCode >= 0) {
            return Integer.toString(exitCode);
        }
        String name = switch (-exitCode) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 4 -> "SIGILL";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 13 -> "SIGPIPE";
            case 14 -> "SIGALRM";
            case 15 -> "SIGTERM";
            default -> null;
        };
        return name == null ? Integer.toString(exitCode) : "-" + name;
    }
}
