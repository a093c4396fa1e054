package org.multiprocessing4j;

import org.multiprocessing4j.internal.launch.ChildProcess;

/**
 * Keeps the JVM alive while a non-daemonic child runs: a non-daemon thread that exists only while
 * there is such a child, so that {@code main} returning waits for the children, as in Python.
 */
final class Keeper implements Runnable {
    private static Thread thread; // guarded by Keeper.class

    private Keeper() {
    }

    /** Called after a non-daemonic child started: makes sure the thread runs. */
    static void watch() {
        synchronized (Keeper.class) {
            if (thread == null) {
                thread = new Thread(null, new Keeper(), "mp4j-child-keeper", 128 * 1024);
                thread.setDaemon(false);
                thread.start();
            }
        }
    }

    @Override
    public void run() {
        while (true) {
            ChildProcess next = null;
            synchronized (Keeper.class) {
                for (Process p : Children.started()) {
                    ChildProcess popen = p.popen();
                    if (!p.daemonic() && popen != null && popen.isAlive()) {
                        next = popen;
                        break;
                    }
                }
                if (next == null) {
                    thread = null;
                    return;
                }
            }
            try {
                next.waitFor(-1);
            } catch (InterruptedException e) {
                // keep watching: the JVM must not exit under a running child
            }
        }
    }
}
