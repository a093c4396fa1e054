/**
 * The ground floor (CPython's {@code connection.py} below its public classes): frames on a socket
 * ({@link org.multiprocessing4j.internal.wire.SocketTransport}, layout in
 * {@link org.multiprocessing4j.internal.wire.FrameLayout}), the HMAC challenge
 * ({@link org.multiprocessing4j.internal.wire.Handshake}), and the one way to open an authenticated
 * connection ({@link org.multiprocessing4j.internal.wire.Dial}) or to serve them
 * ({@link org.multiprocessing4j.internal.wire.AuthServer} on an
 * {@link org.multiprocessing4j.internal.wire.Acceptor}, a thread per peer in session), and the clients'
 * reused connections, one pool per address and key
 * ({@link org.multiprocessing4j.internal.wire.ConnectionPool}). Every socket in the library, public
 * {@code Connection}s included, is opened here; pipes are joined through the JVM that opened them
 * ({@link org.multiprocessing4j.internal.wire.PipeHome}).
 *
 * <p>May import: {@code wait}, {@code flight} (a connection's events), {@code runtime}'s {@code Urandom} (nonces), and of the public package only
 * the exceptions that are its error vocabulary ({@code ProcessError}, {@code EOFError},
 * {@code AuthenticationError}), so that a failure reaches the user as the type the public Javadoc
 * promises without being translated at every caller.
 */
package org.multiprocessing4j.internal.wire;
