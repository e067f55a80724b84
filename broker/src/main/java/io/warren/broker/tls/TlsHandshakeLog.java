package io.warren.broker.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right behind the {@link io.netty.handler.ssl.SslHandler}: a failed TLS handshake (a
 * client certificate missing or not signed by the CA, a refused protocol version, a plain-text
 * client on the TLS port) becomes one warning line naming the peer and the reason, and goes no
 * further up the pipeline, where it would be logged again with a stack trace. Removes itself
 * once the handshake succeeded.
 */
public final class TlsHandshakeLog extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakeLog.class);

    private final String listener;
    private boolean failed;

    /** @param listener the listener, as the operator knows it ("AMQPS", "HTTPS API", "HTTPS metrics") */
    public TlsHandshakeLog(String listener) {
        this.listener = listener;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                ctx.pipeline().remove(this);
            } else {
                failed = true;
                LOG.warn("{} TLS handshake with {} failed: {}", listener, address(ctx.channel().remoteAddress()),
                        reason(done.cause()));
                ctx.close();
                return;
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable tls = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (failed && tls instanceof SSLException) {
            return; // already logged as the handshake's failure
        }
        ctx.fireExceptionCaught(cause);
    }

    private static String reason(Throwable cause) {
        if (cause instanceof NotSslRecordException) {
            return "the client did not speak TLS (a plain AMQP or HTTP client on the TLS port?)";
        }
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static String address(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() + ":" + i.getPort() : String.valueOf(a);
    }
}
