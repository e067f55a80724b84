package io.warren.broker.connection;

import io.warren.amqp.AmqpException;
import io.warren.amqp.AmqpMethod;
import io.warren.amqp.ConnectionMethod;
import io.warren.amqp.FieldTables;
import io.warren.amqp.LongString;
import io.warren.amqp.ReplyCode;
import io.warren.broker.auth.CertificateLogin;
import io.warren.broker.auth.UserRegistry;
import io.warren.broker.auth.SaslMechanism;
import io.warren.broker.auth.SaslMechanism.Credentials;
import io.warren.broker.auth.User;
import io.warren.broker.config.BrokerConfig;
import io.warren.broker.config.TlsConfig;
import io.warren.broker.metrics.BrokerCounters;
import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHosts;
import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * The connection handshake, server side: start → start-ok (SASL) → tune → tune-ok → open →
 * open-ok, with RabbitMQ's checks and reply texts at each step.
 *
 * <p>Concurrency: connection loop only.
 */
final class Handshake {

    /** RabbitMQ's smallest allowed frame_max (FRAME-MIN-SIZE) and channel_max. */
    private static final int FRAME_MIN_SIZE = 4096;
    private static final int CHANNEL_MIN = 1;

    private enum Step { START_OK, TUNE_OK, OPEN, DONE }

    private final BrokerConfig config;
    private final UserRegistry users;
    private final VirtualHosts vhosts;
    private final AmqpConnection connection;
    /** Login attempts, successes and failures (RabbitMQ's rabbitmq_auth_attempts_*_total). */
    private final BrokerCounters counters;
    private Step step = Step.START_OK;
    // Set once each during the handshake; volatile for the HTTP API, which lists connections.
    private volatile ClientInfo client = ClientInfo.of(Map.of());
    private volatile User user;
    private volatile String mechanism;
    private volatile VirtualHost vhost;
    private int channelMax;
    private int frameMax;
    private int heartbeat;

    Handshake(BrokerConfig config, UserRegistry users, VirtualHosts vhosts, BrokerCounters counters,
              AmqpConnection connection) {
        this.config = config;
        this.counters = counters;
        this.users = users;
        this.vhosts = vhosts;
        this.connection = connection;
        this.channelMax = config.channelMax();
        this.frameMax = config.frameMax();
    }

    void start() {
        connection.send(0, new ConnectionMethod.Start(0, 9, ServerProperties.table(),
                LongString.of(connection.overTls() ? SaslMechanism.ADVERTISED_OVER_TLS : SaslMechanism.ADVERTISED),
                LongString.of("en_US")));
    }

    /** Handles one handshake method; answers true when the connection is open. */
    boolean onMethod(AmqpMethod method) {
        switch (step) {
            case START_OK -> onStartOk(expect(method, ConnectionMethod.StartOk.class, "starting"));
            case TUNE_OK -> onTuneOk(expect(method, ConnectionMethod.TuneOk.class, "tuning"));
            case OPEN -> onOpen(expect(method, ConnectionMethod.Open.class, "opening"));
            default -> { }
        }
        return step == Step.DONE;
    }

    private void onStartOk(ConnectionMethod.StartOk startOk) {
        client = ClientInfo.of(startOk.clientProperties() == null ? Map.of() : startOk.clientProperties());
        SaslMechanism mechanism = SaslMechanism.of(startOk.mechanism());
        if (mechanism == null || (mechanism == SaslMechanism.EXTERNAL && !connection.overTls())) {
            // RabbitMQ's answer for any mechanism it did not offer on this connection
            throw new AmqpException(ReplyCode.COMMAND_INVALID,
                    "unknown authentication mechanism '" + startOk.mechanism() + "'", 10, 11);
        }
        counters.authAttempts.increment();
        String refusal;
        String userName;
        if (mechanism == SaslMechanism.EXTERNAL) {
            // The response is not looked at: the certificate, checked by TLS, says who it is.
            X509Certificate certificate = connection.peerCertificate();
            userName = certificate == null ? null : certificateUser(certificate);
            refusal = certificate == null ? "connection peer presented no TLS (x.509) certificate"
                    : userName == null ? "the client certificate's subject has no common name (CN)"
                    : authenticate(userName, null);
        } else {
            Credentials credentials = credentials(mechanism, startOk.response().bytes());
            userName = credentials == null ? null : credentials.user();
            refusal = credentials == null ? "malformed SASL response" : authenticate(userName, credentials.password());
        }
        if (refusal != null) {
            counters.authFailed.increment();
            ConnectionLog.loginRefused(connection, mechanism, refusal);
            connection.refuseLogin("Login was refused using authentication mechanism " + mechanism
                    + ". For details see the broker logfile.", client.authenticationFailureClose());
            return;
        }
        counters.authSucceeded.increment();
        this.mechanism = mechanism.name();
        user = users.find(userName);
        connection.send(0, new ConnectionMethod.Tune(config.channelMax(), config.frameMax(),
                config.heartbeatSeconds()));
        step = Step.TUNE_OK;
    }

    private static Credentials credentials(SaslMechanism mechanism, byte[] response) {
        if (mechanism == SaslMechanism.PLAIN) {
            return SaslMechanism.parsePlain(response);
        }
        // AMQPLAIN's response is a field table without its length prefix.
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer(4 + response.length);
        buf.writeInt(response.length).writeBytes(response);
        Map<String, Object> table = FieldTables.decode(buf);
        Object login = table.get("LOGIN");
        Object password = table.get("PASSWORD");
        return login == null || password == null ? null : new Credentials(login.toString(), password.toString());
    }

    /** RabbitMQ's ssl_cert_login_from: the user name in the certificate, or null when it names none. */
    private String certificateUser(X509Certificate certificate) {
        return config.tls().loginFrom() == TlsConfig.CertLogin.COMMON_NAME
                ? CertificateLogin.commonName(certificate)
                : CertificateLogin.distinguishedName(certificate);
    }

    /**
     * Null when the login is accepted, otherwise why not (for the log only, as RabbitMQ does).
     * A null {@code password} means the client certificate vouched for the user (EXTERNAL): it
     * must exist, and may have no password.
     */
    private String authenticate(String userName, String password) {
        User candidate = users.find(userName);
        if (candidate == null || (password != null && !candidate.checkPassword(password))) {
            return "user '" + userName + "' - invalid credentials";
        }
        if (config.loopbackOnlyDefaultUser() && candidate.name().equals(config.defaultUser())
                && !connection.fromLoopback()) {
            return "user '" + candidate.name() + "' can only connect via localhost";
        }
        return null;
    }

    private void onTuneOk(ConnectionMethod.TuneOk tuneOk) {
        checkNegotiated("frame_max", FRAME_MIN_SIZE, config.frameMax(), tuneOk.frameMax());
        checkNegotiated("channel_max", CHANNEL_MIN, config.channelMax(), tuneOk.channelMax());
        frameMax = tuneOk.frameMax() == 0 ? config.frameMax() : tuneOk.frameMax();
        channelMax = tuneOk.channelMax() == 0 ? config.channelMax() : tuneOk.channelMax();
        heartbeat = tuneOk.heartbeat();
        connection.applyTuning(frameMax, heartbeat);
        step = Step.OPEN;
    }

    /** RabbitMQ's rule: the client may lower a limit, never raise it or drop below the minimum. */
    private static void checkNegotiated(String field, int min, int server, int client) {
        if (client != 0 && client < min) {
            throw new AmqpException(ReplyCode.NOT_ALLOWED, "negotiated " + field + " = " + client
                    + " is lower than the minimum allowed value (" + min + ")", 10, 31);
        }
        if (server != 0 && (client == 0 || client > server)) {
            throw new AmqpException(ReplyCode.NOT_ALLOWED, "negotiated " + field + " = " + client
                    + " is higher than the maximum allowed value (" + server + ")", 10, 31);
        }
    }

    private void onOpen(ConnectionMethod.Open open) {
        String name = open.virtualHost();
        VirtualHost found = vhosts.find(name);
        UserRegistry.Account current = users.account(user.name());
        if (current == null || current.current() == null) {
            // deleted since start-ok: its connections are being closed
            throw new AmqpException(ReplyCode.NOT_ALLOWED,
                    "access to vhost '" + name + "' refused for user '" + user.name() + "'", 10, 40);
        }
        user = current.current(); // limits or permissions changed since start-ok
        ConnectionLimits.checkOpen(connection.connections(), found, user);
        if (found == null) {
            throw new AmqpException(ReplyCode.NOT_ALLOWED, "vhost " + name + " not found", 10, 40);
        }
        if (user.permissionIn(name) == null) {
            throw new AmqpException(ReplyCode.NOT_ALLOWED,
                    "access to vhost '" + name + "' refused for user '" + user.name() + "'", 10, 40);
        }
        vhost = found;
        connection.send(0, new ConnectionMethod.OpenOk(""));
        step = Step.DONE;
    }

    /**
     * Whether an error at this step ends the connection without connection.close, as RabbitMQ's
     * reader does for any error before tune-ok (a frame over the pre-tune frame_max of 4,096
     * bytes, a method out of order, an unknown mechanism...), except a refused login (the
     * client may ask for a close frame) and a refused tune-ok.
     */
    boolean failsSilently(AmqpException e) {
        return switch (step) {
            case START_OK -> e.replyCode() != ReplyCode.ACCESS_REFUSED;
            case TUNE_OK -> e.replyCode() != ReplyCode.NOT_ALLOWED;
            default -> false;
        };
    }

    /** RabbitMQ's error for another method on channel 0, named after its connection state. */
    private static <T extends AmqpMethod> T expect(AmqpMethod method, Class<T> type, String state) {
        if (!type.isInstance(method)) {
            throw new AmqpException(ReplyCode.CHANNEL_ERROR,
                    "unexpected method in connection state " + state, method.classId(), method.methodId());
        }
        return type.cast(method);
    }

    /** The next method expected is connection.open. */
    boolean awaitingOpen() {
        return step == Step.OPEN;
    }

    ClientInfo client() {
        return client;
    }

    User user() {
        return user;
    }

    /** The SASL mechanism of the accepted login, or null before it. */
    String mechanism() {
        return mechanism;
    }

    /** The user's account (see {@link UserRegistry.Account}); a fixed one if the user is gone. */
    UserRegistry.Account account() {
        UserRegistry.Account a = user == null ? null : users.account(user.name());
        return a != null ? a : UserRegistry.Account.fixed(user);
    }

    VirtualHost vhost() {
        return vhost;
    }

    int channelMax() {
        return channelMax;
    }

    int frameMax() {
        return frameMax;
    }

    int heartbeat() {
        return heartbeat;
    }
}
