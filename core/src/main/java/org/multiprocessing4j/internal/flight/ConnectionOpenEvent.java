package org.multiprocessing4j.internal.flight;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One of the library's connections opened: a pipe's end, a queue's, a pool worker's, a manager's, a Listener's. */
@Name("org.multiprocessing4j.ConnectionOpen")
@Label("Connection Open")
@Category("multiprocessing4j")
@Description("A connection of the library opened (a pipe, a queue, a pool worker, a manager, a Listener/Client)")
public final class ConnectionOpenEvent extends jdk.jfr.Event {
    @Label("Local Address")
    @Description("host:port, or the path of a Unix-domain socket (empty for an unnamed end)")
    public String local;

    @Label("Remote Address")
    public String remote;
}
