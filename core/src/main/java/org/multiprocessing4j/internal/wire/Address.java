package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A listener's address as users write it: {@code "host:port"} for TCP (port 0 picks a free one;
 * {@code [::1]:port} for IPv6) or {@code "unix:<path>"} for a Unix-domain socket.
 */
public record Address(SocketAddress socket, String text) {

    public static Address parse(String address) {
        if (address == null || address.isEmpty()) {
            throw new IllegalArgumentException("an address is \"host:port\" or \"unix:<path>\", not " + address);
        }
        if (address.startsWith("unix:")) {
            String path = address.substring("unix:".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("no path in " + address);
            }
            return new Address(UnixDomainSocketAddress.of(Path.of(path)), address);
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("an address is \"host:port\" or \"unix:<path>\", not \"" + address + "\"");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in \"" + address + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bad port in \"" + address + "\"");
        }
        return new Address(new InetSocketAddress(host, port), address);
    }

    public boolean isUnix() {
        return socket instanceof UnixDomainSocketAddress;
    }

    /** The address a bound server socket ended up with, written as users write addresses. */
    public static String describe(SocketAddress bound) {
        if (bound instanceof UnixDomainSocketAddress u) {
            return "unix:" + u.getPath();
        }
        InetSocketAddress inet = (InetSocketAddress) bound;
        String host = inet.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
    }

    /**
     * A server socket bound to this address. A Unix-domain socket's file is made mode 0600 right after
     * the bind (only this user may connect); if that fails, the socket is closed, its file removed, and
     * the error thrown. A link or file found at the path instead of the socket fails the bind.
     */
    public ServerSocketChannel bind() throws IOException {
        ServerSocketChannel server = isUnix() ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                : ServerSocketChannel.open();
        try {
            server.bind(socket);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        if (socket instanceof UnixDomainSocketAddress unix) {
            // fully qualified: this method alone deals with files
            Path file = unix.getPath();
            boolean bound = false;
            try {
                bound = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther(); // a socket: no file, directory or link
                if (!bound) {
                    throw new IOException("something else replaced the socket just bound at " + file);
                }
                java.nio.file.Files.setPosixFilePermissions(file,
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // no modes to set
            } catch (IOException e) {
                server.close();
                try {
                    if (bound) {
                        java.nio.file.Files.deleteIfExists(file);
                    }
                } catch (IOException alsoFailed) {
                    e.addSuppressed(alsoFailed);
                }
                throw e;
            }
        }
        return server;
    }

    public SocketChannel connect() throws IOException {
        SocketChannel channel = isUnix() ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            channel.connect(socket);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return channel;
    }
}
