/**
 * Managers (CPython's {@code managers.py}): the server in the manager's process
 * ({@link org.multiprocessing4j.internal.manager.ManagerServer}), this JVM's pooled connections to it
 * ({@link org.multiprocessing4j.internal.manager.ManagerClient}), the proxies
 * ({@link org.multiprocessing4j.internal.manager.ProxyHandler}), and their messages
 * ({@link org.multiprocessing4j.internal.manager.ManagerProtocol}).
 *
 * <p>May import: {@code codec}, {@code wire}, {@code runtime}, {@code launch}, {@code wait}. Of the public
 * package: the user's function types, {@code Namespace} (a managed namespace is one), the current process
 * (the manager's process is a {@code Process} whose target is {@code ServerMain}), and the exceptions of
 * its error vocabulary ({@code RemoteException} among them).
 */
package org.multiprocessing4j.internal.manager;
