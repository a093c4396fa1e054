package org.multiprocessing4j.internal.flight;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One of the library's connections was closed by this JVM (its peer's end shows in the peer's JVM). */
@Name("org.multiprocessing4j.ConnectionClose")
@Label("Connection Close")
@Category("multiprocessing4j")
@Description("A connection of the library was closed by this JVM")
public final class ConnectionCloseEvent extends jdk.jfr.Event {
    @Label("Local Address")
    public String local;

    @Label("Remote Address")
    public String remote;
}
