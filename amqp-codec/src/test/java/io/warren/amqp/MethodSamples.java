package io.warren.amqp;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance of every method of AMQP 0-9-1 and of RabbitMQ's extensions, with values that
 * stress the encoding: maximal unsigned shorts and longs, multi-byte UTF-8, 255-byte short
 * strings, every bit pattern position, tables nesting tables and arrays.
 *
 * <p>Tables hold only the field types the RabbitMQ Java client can write (it has no B, u, i), so
 * the same samples serve {@link RabbitClientCrossCheckTest}; {@link FieldTablesTest} covers the
 * rest.
 */
final class MethodSamples {
    static final String LONG_SHORTSTR = "q".repeat(255);
    static final String UTF8 = "routing.ключ.\uD83D\uDC07";

    private MethodSamples() {
    }

    static Map<String, Object> table() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("depth", 2);
        inner.put("name", LongString.of("inner"));
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("longstr", LongString.of("héllo wörld"));
        table.put("int", -42);
        table.put("decimal", new BigDecimal("-123.45"));
        table.put("timestamp", Instant.ofEpochSecond(1_700_000_000L));
        table.put("table", inner);
        table.put("array", List.of(1, LongString.of("two"), inner, List.of(true)));
        table.put("byte", (byte) -7);
        table.put("double", 3.5d);
        table.put("float", 1.25f);
        table.put("long", Long.MIN_VALUE);
        table.put("short", (short) -300);
        table.put("bool", true);
        table.put("bytes", Binary.of(new byte[] {0, 1, 2, (byte) 0xFF}));
        table.put("void", null);
        table.put("empty", Map.of());
        return table;
    }

    static List<AmqpMethod> all() {
        Map<String, Object> t = table();
        LongString secret = LongString.of(new byte[] {0, 'g', 'u', 'e', 's', 't', 0, (byte) 0xC3});
        return List.of(
                new ConnectionMethod.Start(0, 9, t, LongString.of("PLAIN AMQPLAIN"), LongString.of("en_US")),
                new ConnectionMethod.StartOk(t, "PLAIN", secret, "en_US"),
                new ConnectionMethod.Secure(LongString.of("challenge")),
                new ConnectionMethod.SecureOk(secret),
                new ConnectionMethod.Tune(65535, 131072, 60),
                new ConnectionMethod.TuneOk(2047, -1, 0),
                new ConnectionMethod.Open("/vhost", "", true),
                new ConnectionMethod.OpenOk(""),
                new ConnectionMethod.Close(320, "CONNECTION_FORCED - bye " + UTF8, 60, 40),
                new ConnectionMethod.CloseOk(),
                new ConnectionMethod.Blocked("low on memory"),
                new ConnectionMethod.Unblocked(),
                new ConnectionMethod.UpdateSecret(LongString.of("new-token"), "token refresh"),
                new ConnectionMethod.UpdateSecretOk(),
                new ChannelMethod.Open(""),
                new ChannelMethod.OpenOk(LongString.EMPTY),
                new ChannelMethod.Flow(true),
                new ChannelMethod.FlowOk(false),
                new ChannelMethod.Close(406, "PRECONDITION_FAILED - x", 50, 10),
                new ChannelMethod.CloseOk(),
                new AccessMethod.Request("/data", true, false, true, false, true),
                new AccessMethod.RequestOk(65535),
                new ExchangeMethod.Declare(1, "ex." + UTF8, "topic", false, true, false, true, false, t),
                new ExchangeMethod.DeclareOk(),
                new ExchangeMethod.Delete(0, LONG_SHORTSTR, true, true),
                new ExchangeMethod.DeleteOk(),
                new ExchangeMethod.Bind(0, "dest", "src", "a.*.b", true, t),
                new ExchangeMethod.BindOk(),
                new ExchangeMethod.Unbind(0, "dest", "src", "#", false, Map.of()),
                new ExchangeMethod.UnbindOk(),
                new QueueMethod.Declare(0, "q", true, false, true, false, true, t),
                new QueueMethod.DeclareOk("amq.gen-XYZ", -1, 2_000_000_000),
                new QueueMethod.Bind(0, "q", "amq.topic", UTF8, false, t),
                new QueueMethod.BindOk(),
                new QueueMethod.Purge(0, "q", true),
                new QueueMethod.PurgeOk(7),
                new QueueMethod.Delete(0, "q", false, true, false),
                new QueueMethod.DeleteOk(0),
                new QueueMethod.Unbind(0, "q", "amq.direct", "rk", t),
                new QueueMethod.UnbindOk(),
                new BasicMethod.Qos(1_000_000, 65535, true),
                new BasicMethod.QosOk(),
                new BasicMethod.Consume(0, "q", "ctag", false, true, false, true, t),
                new BasicMethod.ConsumeOk("amq.ctag-1"),
                new BasicMethod.Cancel("amq.ctag-1", true),
                new BasicMethod.CancelOk("amq.ctag-1"),
                new BasicMethod.Publish(0, "amq.direct", UTF8, true, false),
                new BasicMethod.Return(312, "NO_ROUTE", "amq.direct", "rk"),
                new BasicMethod.Deliver("amq.ctag-1", Long.MAX_VALUE, true, "", LONG_SHORTSTR),
                new BasicMethod.Get(0, "q", true),
                new BasicMethod.GetOk(-1L, false, "ex", "rk", 12),
                new BasicMethod.GetEmpty(""),
                new BasicMethod.Ack(123_456_789_012L, true),
                new BasicMethod.Reject(1L, false),
                new BasicMethod.RecoverAsync(true),
                new BasicMethod.Recover(false),
                new BasicMethod.RecoverOk(),
                new BasicMethod.Nack(42L, true, false),
                new TxMethod.Select(),
                new TxMethod.SelectOk(),
                new TxMethod.Commit(),
                new TxMethod.CommitOk(),
                new TxMethod.Rollback(),
                new TxMethod.RollbackOk(),
                new ConfirmMethod.Select(true),
                new ConfirmMethod.SelectOk());
    }

    /** All 14 basic properties set, headers nesting a table and an array. */
    static BasicProperties fullProperties() {
        return new BasicProperties("application/json", "gzip", table(), 2, 9, "corr-" + UTF8,
                "amq.rabbitmq.reply-to", "60000", "msg-1", Instant.ofEpochSecond(1_700_000_123L),
                "order.created", "guest", "warren-tests", "cluster-a");
    }
}
