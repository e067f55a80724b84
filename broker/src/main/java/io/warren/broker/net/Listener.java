package io.warren.broker.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;

/**
 * Binds one of the broker's listeners (AMQP, HTTP API, metrics). A bind that fails becomes a
 * {@link CannotListenException} whose message names the listener, the address and the option
 * to change, for the operator at the terminal; Netty's own exception says only "bind(..) failed".
 */
public final class Listener {

    /** The listener could not bind; the message is one line meant for the operator. */
    public static final class CannotListenException extends RuntimeException {
        CannotListenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Listener() {}

    /**
     * Binds {@code bootstrap} to {@code address:port} and returns the server channel.
     *
     * @param what     the listener, as the operator knows it ("AMQP", "HTTP API", "metrics")
     * @param portFlag the option that sets its port
     */
    public static Channel bind(ServerBootstrap bootstrap, String what, String portFlag, String address, int port)
            throws InterruptedException {
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(address, port)).await();
        if (bound.isSuccess()) {
            return bound.channel();
        }
        throw new CannotListenException("cannot listen for " + what + " on " + address + ":" + port + ": "
                + reason(bound.cause(), address, portFlag), bound.cause());
    }

    private static String reason(Throwable cause, String address, String portFlag) {
        if (cause instanceof UnresolvedAddressException) {
            return "'" + address + "' is not a known host name or address (check --bind)";
        }
        // Netty's epoll transport reports errno text ("bind(..) failed with error(-98): Address
        // already in use"), NIO a java.net.BindException with the same text.
        String message = String.valueOf(cause.getMessage());
        if (message.contains("Address already in use")) {
            return "the port is already in use (another broker running? choose another port with " + portFlag + ")";
        }
        if (message.contains("Cannot assign requested address")) {
            return address + " is not an address of this host (check --bind)";
        }
        if (message.contains("Permission denied")) {
            return "permission denied (ports below 1024 need privileges; choose another port with " + portFlag + ")";
        }
        return message;
    }
}
