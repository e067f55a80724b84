package io.warren.broker.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.warren.amqp.AmqpCommand;
import io.warren.amqp.AmqpDecoder;
import io.warren.amqp.AmqpEncoder;
import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpHeartbeat;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.ChannelMethod;
import io.warren.amqp.ConnectionMethod;
import io.warren.amqp.ProtocolHeader;
import io.warren.amqp.ReplyCode;
import io.warren.broker.auth.User;
import io.warren.broker.channel.AmqpChannel;
import io.warren.broker.channel.ChannelConnection;
import io.warren.broker.channel.ChannelServices;
import io.warren.broker.channel.ReplyText;
import io.warren.broker.queue.Delivery;
import io.warren.broker.queue.Queue;
import io.warren.broker.vhost.VirtualHost;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP 0-9-1 connection: the handshake, its channels, the close protocol both ways, and the
 * one place where protocol errors become channel.close or connection.close.
 *
 * <p>Its output, and what queues on other loops hand it, go through its {@link Outbox}; when it
 * stops reading (memory alarm, flow control) is its {@link FlowControl}'s call.
 *
 * <p>Concurrency: everything here runs on the connection's event loop except {@link #post},
 * through which queues on other loops hand over deliveries and continuations, and the methods
 * that say they take any thread.
 */
public final class AmqpConnection extends ChannelInboundHandlerAdapter implements ChannelConnection {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);

    /**
     * How long the broker waits, once it has sent connection.close or close-ok, for the peer to
     * answer or drop the socket before closing it itself.
     */
    private static final long CLOSE_TIMEOUT_MS = 3000;
    /** RabbitMQ's SILENT_CLOSE_DELAY: how long a peer that failed early in the handshake waits for the close. */
    private static final long SILENT_CLOSE_DELAY_MS = 3000;

    enum State { AWAITING_HEADER, HANDSHAKE, OPEN, CLOSING, CLOSED }

    private final ConnectionContext context;
    private final AmqpDecoder decoder;
    private final AmqpEncoder encoder;
    private final Handshake handshake;
    private final Outbox outbox = new Outbox(this);
    private final FlowControl flow;
    private ChannelHandlerContext ctx;
    private State state = State.AWAITING_HEADER;
    private ScheduledFuture<?> handshakeTimer;
    /**
     * Drops the socket if the peer does not, once closing (see {@link #awaitPeerClose}), or at
     * the end of the delay after a silent handshake failure.
     */
    private ScheduledFuture<?> closeTimer;
    /** The broker dropped the socket and logged why: its end is not the client's doing. */
    private boolean closeLogged;
    /** Holds one of the admission's handshake slots (until open or closed). */
    private boolean inHandshakeSlot;
    /** Holds one of the admission's open-connection slots (until closed). */
    private boolean inOpenSlot;

    private final IntObjectHashMap<AmqpChannel> channels = new IntObjectHashMap<>();
    /** The logged-in user's account, from open-ok on: its current record has the user's limits. */
    private io.warren.broker.auth.UserRegistry.Account account;
    /** channels.size(), published for other threads (HTTP API) whenever a channel opens or goes. */
    private volatile int openChannels;

    /**
     * The connection handler of a pipeline whose {@code decoder} and {@code encoder} it tunes
     * (frame size) once the client has answered connection.tune.
     */
    public AmqpConnection(ConnectionContext context, AmqpDecoder decoder, AmqpEncoder encoder) {
        this.context = context;
        this.decoder = decoder;
        this.encoder = encoder;
        this.handshake = new Handshake(context.config(), context.users(), context.vhosts(), context.counters(), this);
        this.flow = new FlowControl(this, context.memoryAlarm(), context.diskAlarm());
    }

    // ---- Netty events -----------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        outbox.attach(ctx);
        flow.attach(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!context.admission().admitUnauthenticated(addressText(ctx.channel().remoteAddress()))) {
            // logged by the admission, once per burst: not one line per refused socket
            ctx.close();
            return;
        }
        inHandshakeSlot = true;
        handshakeTimer = ctx.executor().schedule(this::handshakeTimedOut,
                context.config().handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
        context.connections().opened(this);
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ProtocolHeader.AMQP_0_9_1) {
            state = State.HANDSHAKE;
            ConnectionLog.accepting(this);
            handshake.start();
            outbox.flushIfNeeded();
        } else if (evt instanceof IdleStateEvent idle) {
            onIdle(idle);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof AmqpCommand command) {
            try {
                onCommand(command);
            } catch (AmqpException e) {
                onError(e.channel() == 0 ? e.withChannel(command.channel()) : e);
            } catch (RuntimeException e) {
                LOG.warn("internal error handling {}", command.method().name(), e);
                onError(new AmqpException(ReplyCode.INTERNAL_ERROR, "internal error: " + e,
                        command.method().classId(), command.method().methodId()).withChannel(0));
            }
        } else if (msg instanceof AmqpException e) {
            onError(e);
        } else if (msg == AmqpHeartbeat.INSTANCE) {
            // Liveness only: any inbound byte resets the idle timer.
        } else {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        outbox.afterBatch();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean now = ctx.channel().isWritable();
        outbox.writabilityChanged(now);
        if (now) {
            wakeQueues();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        State was = state;
        state = State.CLOSED;
        if (!closeLogged && was != State.AWAITING_HEADER) {
            if (was == State.OPEN || was == State.HANDSHAKE) {
                ConnectionLog.closedUnexpectedly(this);
            } else {
                ConnectionLog.closed(this);
            }
        }
        if (closeTimer != null) {
            closeTimer.cancel(false); // lets this connection be collected now, not at the timeout
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        leaveHandshakeSlot();
        if (inOpenSlot) {
            inOpenSlot = false;
            context.admission().closed();
        }
        releaseEverything();
        context.connections().closed(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof java.io.IOException)) {
            LOG.warn("connection {} failed", name(), cause);
        }
        ctx.close();
    }

    // ---- Inbound commands -------------------------------------------------------------------

    /** Handles one command; a channel's command is handed over (the channel releases it), others released here. */
    private void onCommand(AmqpCommand command) {
        if (state == State.OPEN && command.channel() != 0) {
            onChannelCommand(command);
            return;
        }
        try {
            onConnectionCommand(command);
        } finally {
            command.release();
        }
    }

    private void onConnectionCommand(AmqpCommand command) {
        AmqpMethod method = command.method();
        switch (state) {
            case HANDSHAKE -> {
                if (command.channel() != 0) {
                    throw new AmqpException(ReplyCode.COMMAND_INVALID,
                            "expected a connection method on channel 0 during the handshake",
                            method.classId(), method.methodId());
                }
                if (method instanceof ConnectionMethod.Open && handshake.awaitingOpen() && !inOpenSlot) {
                    context.admission().admitOpen(); // RabbitMQ checks connection_max first
                    inOpenSlot = true;
                }
                if (handshake.onMethod(method)) {
                    account = handshake.account();
                    state = State.OPEN;
                    handshakeTimer.cancel(false);
                    leaveHandshakeSlot();
                    ConnectionLog.opened(this);
                }
            }
            case OPEN -> onConnectionMethod(method);
            case CLOSING -> onCommandWhileClosing(command);
            default -> { }
        }
    }

    private void onConnectionMethod(AmqpMethod method) {
        if (method instanceof ConnectionMethod.Close) {
            send(0, new ConnectionMethod.CloseOk());
            releaseEverything();
            state = State.CLOSED;
            // The client drops the socket once it has read close-ok. Dropping it first would
            // answer the frames it still had in flight with a reset, which can cost the client
            // close-ok or fail its writes (EPIPE); RabbitMQ likewise leaves the close to the
            // client, reading and discarding what comes meanwhile.
            awaitPeerClose();
        } else if (method instanceof ConnectionMethod.UpdateSecret) {
            send(0, new ConnectionMethod.UpdateSecretOk());
        } else {
            // RabbitMQ's answer to any other channel-0 method once open (blocked, tune-ok...).
            throw new AmqpException(ReplyCode.CHANNEL_ERROR, "unexpected method in connection state running",
                    method.classId(), method.methodId());
        }
    }

    private void onChannelCommand(AmqpCommand command) {
        int number = command.channel();
        AmqpMethod method = command.method();
        AmqpChannel channel = channels.get(number);
        if (channel == null || method instanceof ChannelMethod.Open) {
            try {
                openChannel(number, method, channel);
            } finally {
                command.release();
            }
            return;
        }
        channel.handle(command);
    }

    private void openChannel(int number, AmqpMethod method, AmqpChannel channel) {
        // RabbitMQ's rule: channel_max limits how many channels are open (closing ones count
        // until their close-ok), not the numbers they use; checked on any frame for a new channel.
        int channelMax = handshake.channelMax();
        if (channel == null && channelMax != 0 && channels.size() >= channelMax) {
            throw new AmqpException(ReplyCode.NOT_ALLOWED, "number of channels opened (" + channels.size()
                    + ") has reached the negotiated channel_max (" + channelMax + ")", 0, 0);
        }
        if (method instanceof ChannelMethod.Open) {
            if (channel != null) {
                throw new AmqpException(ReplyCode.CHANNEL_ERROR, "second 'channel.open' seen",
                        method.classId(), method.methodId());
            }
            ConnectionLimits.checkChannelOpen(context.connections(), account.current());
            channel = new AmqpChannel(number, this);
            context.counters().channelsOpened.increment();
            channels.put(number, channel);
            openChannels = channels.size();
            send(number, new ChannelMethod.OpenOk(io.warren.amqp.LongString.EMPTY));
            return;
        }
        throw new AmqpException(ReplyCode.CHANNEL_ERROR, "expected 'channel.open'",
                method.classId(), method.methodId());
    }

    /**
     * After we sent connection.close, only close and close-ok matter (spec 2.2.4). A close that
     * crossed ours is answered, and we still wait for the close-ok to ours (or the end of the
     * socket): the client, having seen our close, sends that close-ok next, and a socket closed
     * under it would be reset.
     */
    private void onCommandWhileClosing(AmqpCommand command) {
        AmqpMethod method = command.method();
        if (command.channel() != 0) {
            return;
        }
        if (method instanceof ConnectionMethod.CloseOk) {
            ctx.close();
        } else if (method instanceof ConnectionMethod.Close) {
            send(0, new ConnectionMethod.CloseOk());
        }
    }

    // ---- Errors: the one place where they become channel.close or connection.close -----------

    @Override
    public void onError(AmqpException e) {
        int number = e.channel();
        AmqpChannel channel = number == 0 ? null : channels.get(number);
        if (state == State.OPEN && channel != null && !e.replyCode().hardError()) {
            channel.closeWithError(e);
        } else {
            closeWithError(e);
        }
        outbox.flushIfNeeded();
    }

    /** Sends connection.close with the error and waits (bounded) for close-ok. */
    public void closeWithError(AmqpException e) {
        if (state == State.CLOSING || state == State.CLOSED) {
            return;
        }
        if (state == State.AWAITING_HEADER) {
            ctx.close();
            return;
        }
        if (state == State.HANDSHAKE && handshake.failsSilently(e)) {
            // RabbitMQ does not trust a peer this early: no connection.close, and the socket is
            // dropped only after a delay, which also slows down repeated attempts.
            dropping("handshake error: " + ReplyText.of(e));
            state = State.CLOSED;
            closeTimer = ctx.executor().schedule(() -> {
                ctx.close();
            }, SILENT_CLOSE_DELAY_MS, TimeUnit.MILLISECONDS);
            return;
        }
        if (state == State.OPEN || e.replyCode() != ReplyCode.ACCESS_REFUSED) {
            // a refused login is already logged, with why, by the handshake
            ConnectionLog.error(this, e, state == State.OPEN ? "running" : "handshake");
        }
        state = State.CLOSING;
        send(0, new ConnectionMethod.Close(e.replyCode().code(), ReplyText.of(e), e.classId(), e.methodId()));
        ctx.flush();
        releaseEverything();
        awaitPeerClose();
    }

    /**
     * Closing (we sent connection.close or close-ok): keep reading, whatever flow control or
     * the memory alarm said, so that the peer's answer and the end of its socket are seen, and
     * drop the socket ourselves if the peer has not within {@link #CLOSE_TIMEOUT_MS}.
     */
    private void awaitPeerClose() {
        ctx.channel().config().setAutoRead(true);
        closeTimer = ctx.executor().schedule(() -> {
            ctx.close();
        }, CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Logs why the broker drops this socket itself, so that its end is not blamed on the client. */
    private void dropping(String reason) {
        ConnectionLog.dropping(this, reason);
        closeLogged = true;
    }

    /** A login refused: RabbitMQ's authentication_failure_close behaviour. */
    void refuseLogin(String text, boolean clientWantsCloseFrame) {
        if (clientWantsCloseFrame) {
            closeWithError(new AmqpException(ReplyCode.ACCESS_REFUSED, text, 0, 0));
        } else {
            state = State.CLOSED;
            ctx.close();
        }
    }

    private void leaveHandshakeSlot() {
        if (inHandshakeSlot) {
            inHandshakeSlot = false;
            context.admission().leftHandshake();
        }
    }

    private void handshakeTimedOut() {
        if (state == State.AWAITING_HEADER || state == State.HANDSHAKE) {
            dropping("handshake not completed in " + context.config().handshakeTimeoutMillis()
                    + " ms (handshake_timeout)");
            ctx.close();
        }
    }

    private void onIdle(IdleStateEvent idle) {
        switch (idle.state()) {
            case READER_IDLE -> {
                if (!ctx.channel().config().isAutoRead()) {
                    // we stopped reading (memory alarm, flow control): the client's heartbeats
                    // wait in the socket, so silence is ours, not the peer's; RabbitMQ likewise
                    // pauses its heartbeat monitor while a connection is blocked
                    return;
                }
                dropping("missed heartbeats from client, timeout: " + handshake.heartbeat() + "s");
                releaseEverything();
                ctx.close();
            }
            case WRITER_IDLE -> ctx.writeAndFlush(AmqpHeartbeat.INSTANCE, ctx.voidPromise());
            default -> { }
        }
    }

    // ---- Used by the handshake --------------------------------------------------------------

    /** Applies tune-ok: frame limits in both codec directions, heartbeats. */
    void applyTuning(int frameMax, int heartbeatSeconds) {
        decoder.setMaxFrameSize(frameMax);
        encoder.setMaxFrameSize(frameMax);
        if (heartbeatSeconds > 0) {
            // RabbitMQ sends a heartbeat after half an interval without output (to the
            // millisecond: 500 ms for heartbeat=1), so that a client that reads with a timeout of
            // one interval never times out; silence from the client for two intervals ends it.
            long interval = heartbeatSeconds * 1000L;
            ctx.pipeline().addBefore(ctx.name(), "heartbeat",
                    new IdleStateHandler(2 * interval, interval / 2, 0, TimeUnit.MILLISECONDS));
        }
    }

    ChannelHandlerContext handlerContext() {
        return ctx;
    }

    /** A handler in this connection's pipeline (the metrics read its byte counter); null if there is none. */
    public <T extends io.netty.channel.ChannelHandler> T pipelineHandler(Class<T> type) {
        return ctx == null ? null : ctx.pipeline().get(type);
    }

    // ---- Used by channels -------------------------------------------------------------------

    @Override
    public ChannelServices services() {
        return context.channelServices();
    }

    @Override
    public VirtualHost vhost() {
        return handshake.vhost();
    }

    @Override
    public User user() {
        return handshake.user();
    }

    @Override
    public io.warren.broker.auth.UserRegistry.Account account() {
        return account;
    }

    Connections connections() {
        return context.connections();
    }

    public ClientInfo client() {
        return handshake.client();
    }

    @Override
    public boolean consumerCancelNotify() {
        return handshake.client().consumerCancelNotify();
    }

    public int frameMax() {
        return handshake.frameMax();
    }

    @Override
    public EventExecutor eventLoop() {
        return ctx.executor();
    }

    @Override
    public String remoteAddress() {
        return ctx == null ? "?" : String.valueOf(ctx.channel().remoteAddress());
    }

    /** True on a connection accepted by the AMQPS listener. */
    public boolean overTls() {
        return ctx.pipeline().get(SslHandler.class) != null;
    }

    /** The TLS version in use ("TLSv1.3"), or null on a plain connection or before the TLS handshake ended; any thread. */
    public String tlsProtocol() {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        return tls == null || !tls.handshakeFuture().isSuccess() ? null : tls.engine().getSession().getProtocol();
    }

    /** The SASL mechanism the client logged in with, or null before it did; any thread. */
    public String authMechanism() {
        return handshake.mechanism();
    }

    /**
     * The certificate the client showed in the TLS handshake, which TLS checked against the CA
     * bundle (one that does not chain to it fails the handshake); null without TLS or without
     * a client certificate.
     */
    public X509Certificate peerCertificate() {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    public boolean fromLoopback() {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress().isLoopbackAddress();
    }

    @Override
    public void send(int channel, AmqpMethod method) {
        outbox.write(new AmqpCommand(channel, method));
    }

    @Override
    public void write(AmqpCommand command) {
        outbox.write(command);
    }

    /** Flushes what was written, now rather than at the end of the batch. */
    void flush() {
        outbox.flushIfNeeded();
    }

    @Override
    public void markDirty(AmqpChannel channel) {
        outbox.markDirty(channel);
    }

    @Override
    public void channelClosed(AmqpChannel channel) {
        if (channels.remove(channel.number()) != null) {
            openChannels = channels.size();
            context.counters().channelsClosed.increment();
        }
    }

    @Override
    public boolean acceptsDeliveries() {
        return outbox.acceptsDeliveries();
    }

    @Override
    public void post(Delivery delivery) {
        outbox.post(delivery);
    }

    @Override
    public void post(Runnable task) {
        outbox.post(task);
    }

    /** The socket drained, or deliveries held back in the outbox went out: queues may deliver again. */
    void wakeQueues() {
        for (AmqpChannel channel : channels.values()) {
            channel.wakeConsumers();
        }
    }

    /** Closes every channel (requeueing unacked messages) and drops exclusive queues. Idempotent. */
    private void releaseEverything() {
        for (AmqpChannel channel : new ArrayList<>(channels.values())) {
            channel.connectionClosed();
            context.counters().channelsClosed.increment();
        }
        channels.clear();
        openChannels = 0;
        VirtualHost vhost = handshake.vhost();
        if (vhost != null) {
            for (Queue q : vhost.exclusiveQueuesOf(this)) {
                vhost.deleteQueue(q);
            }
        }
        // Deliveries still in the outbox: the (closed) channels give them back to their queues.
        outbox.returnDeliveries();
    }

    /** RabbitMQ's connection name: "client address -> broker address". */
    public String name() {
        return ctx == null ? "?" : addressText(ctx.channel().remoteAddress()) + " -> "
                + addressText(ctx.channel().localAddress());
    }

    private static String addressText(java.net.SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() + ":" + i.getPort() : String.valueOf(a);
    }

    /** The client's address and port, for the HTTP API's peer_host and peer_port; null before the socket is up. */
    public InetSocketAddress peerAddress() {
        return ctx != null && ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
    }

    /** The broker's end of the socket (the API's host and port). */
    public InetSocketAddress localAddress() {
        return ctx != null && ctx.channel().localAddress() instanceof InetSocketAddress a ? a : null;
    }

    /** Open channels; any thread. */
    public int channelCount() {
        return openChannels;
    }

    /** HTTP API or operator: connection.close 320 CONNECTION_FORCED, as RabbitMQ sends it. */
    public void closeByAdministrator() {
        closeForced("Closed via management plugin");
    }

    /**
     * Any thread: connection.close 320 CONNECTION_FORCED with {@code reason}, then close-ok or,
     * at the latest after {@link #CLOSE_TIMEOUT_MS}, the socket closes. A connection not open
     * yet (or already failed silently) has nobody to tell: its socket closes at once, where a
     * handshake error would have kept it for the silent-close delay.
     */
    public void closeForced(String reason) {
        ctx.executor().execute(() -> {
            if (state != State.OPEN && state != State.CLOSING) {
                if (state == State.HANDSHAKE) {
                    dropping(reason);
                }
                ctx.close();
                return;
            }
            // closeWithError reads again (awaitPeerClose), whatever the memory alarm or flow
            // control said: the client's close-ok must get through.
            closeWithError(new AmqpException(ReplyCode.CONNECTION_FORCED, reason, 0, 0));
            outbox.flushIfNeeded();
        });
    }

    @Override
    public void markPublisher() {
        flow.markPublisher();
    }

    /**
     * Memory alarm raised or cleared (any thread): a publishing connection stops being read while
     * it is raised, and a client that supports it hears connection.blocked / unblocked.
     */
    public void memoryAlarm(boolean raised) {
        flow.memoryAlarm(raised);
    }

    /** Disk alarm raised or cleared (any thread): as {@link #memoryAlarm}, told "low on disk". */
    public void diskAlarm(boolean raised) {
        flow.resourceAlarm(FlowControl.DISK, raised);
    }

    @Override
    public void pauseFor(Queue queue) {
        flow.pauseFor(queue);
    }

    @Override
    public boolean pause(Object cause) {
        return flow.pause(cause);
    }

    @Override
    public void resume(Object cause) {
        flow.resume(cause);
    }

    /** Broker shutdown: drop the socket; unacked messages return to their queues. */
    public void forceClose() {
        if (ctx != null) {
            ctx.close();
        }
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    boolean isClosingOrClosed() {
        return state == State.CLOSING || state == State.CLOSED;
    }
}
