package org.multiprocessing4j.internal.flight;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A method called on a manager's shared object: the event lasts from the request until the reply. */
@Name("org.multiprocessing4j.ManagerCall")
@Label("Manager Call")
@Category("multiprocessing4j")
@Description("A method called on a shared object of a manager, from the request until its reply")
public final class ManagerCallEvent extends jdk.jfr.Event {
    @Label("Manager")
    @Description("The manager's address")
    public String manager;

    @Label("Method")
    @Description("The interface and method called, e.g. Map.put")
    public String method;

    @Label("Thrown")
    @Description("The class of what the call threw, or empty when it returned")
    public String thrown;
}
