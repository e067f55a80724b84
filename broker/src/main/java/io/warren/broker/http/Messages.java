package io.warren.broker.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warren.amqp.BasicProperties;
import io.warren.amqp.ContentHeader;
import io.warren.broker.message.Message;
import io.warren.broker.queue.Delivery;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Messages in the API's JSON: what {@code /get} shows, what {@code /publish} takes. */
final class Messages {

    /** The basic content class: what a content header belongs to. */
    private static final int BASIC_CLASS = 60;

    private Messages() {}

    /** One message taken by {@code /get}, in RabbitMQ's fields and order. */
    static Map<String, Object> describe(Delivery d, int remaining, boolean base64, long truncate) {
        Message m = d.message();
        ByteBuf body = m.body();
        int size = body == null ? 0 : body.readableBytes();
        byte[] bytes = body == null ? new byte[0]
                : ByteBufUtil.getBytes(body, body.readerIndex(), (int) Math.min(size, truncate));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("payload_bytes", size);
        out.put("redelivered", d.redelivered());
        out.put("exchange", m.exchange());
        out.put("routing_key", m.routingKey());
        out.put("message_count", remaining);
        out.put("properties", properties(m.header().properties()));
        String text = base64 ? null : utf8(bytes);
        out.put("payload", text != null ? text : Base64.getEncoder().encodeToString(bytes));
        out.put("payload_encoding", text != null ? "string" : "base64");
        return out;
    }

    /** The text, or null when the bytes are not UTF-8 (RabbitMQ's "auto" then shows base64). */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static Map<String, Object> properties(BasicProperties p) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "content_type", p.contentType());
        put(out, "content_encoding", p.contentEncoding());
        put(out, "headers", p.headers());
        put(out, "delivery_mode", p.deliveryMode());
        put(out, "priority", p.priority());
        put(out, "correlation_id", p.correlationId());
        put(out, "reply_to", p.replyTo());
        put(out, "expiration", p.expiration());
        put(out, "message_id", p.messageId());
        put(out, "timestamp", p.timestamp() == null ? null : p.timestamp().getEpochSecond());
        put(out, "type", p.type());
        put(out, "user_id", p.userId());
        put(out, "app_id", p.appId());
        put(out, "cluster_id", p.clusterId());
        return out;
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    /** The message {@code /publish} describes (routing key, properties, payload and its encoding). */
    static Message fromPublish(long id, String exchange, Map<String, Object> body, long now) {
        Bodies.require(body, "routing_key", "properties", "payload", "payload_encoding");
        String encoding = body.get("payload_encoding").toString();
        String payload = body.get("payload").toString();
        byte[] bytes;
        if (encoding.equals("string")) {
            bytes = payload.getBytes(StandardCharsets.UTF_8);
        } else if (encoding.equals("base64")) {
            try {
                bytes = Base64.getDecoder().decode(payload);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("not_base64");
            }
        } else {
            throw ApiError.badRequest("Unsupported payload_encoding. Please use string or base64.");
        }
        Map<String, Object> p = Bodies.table(body, "properties");
        String expiration = text(p, "expiration");
        long expiresAt = Long.MAX_VALUE;
        if (expiration != null) {
            try {
                long ttl = Long.parseLong(expiration);
                if (ttl < 0) {
                    throw new NumberFormatException();
                }
                expiresAt = now + ttl;
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("406 PRECONDITION_FAILED - invalid expiration '" + expiration + "'");
            }
        }
        Long timestamp = number(p, "timestamp");
        BasicProperties props = new BasicProperties(text(p, "content_type"), text(p, "content_encoding"),
                p.get("headers") == null ? null : Bodies.table(p, "headers"), intValue(p, "delivery_mode"),
                intValue(p, "priority"), text(p, "correlation_id"), text(p, "reply_to"), expiration,
                text(p, "message_id"), timestamp == null ? null : Instant.ofEpochSecond(timestamp), text(p, "type"),
                text(p, "user_id"), text(p, "app_id"), text(p, "cluster_id"));
        ContentHeader header = ContentHeader.of(BASIC_CLASS, props, bytes.length);
        return new Message(id, exchange, body.get("routing_key").toString(), header, Unpooled.wrappedBuffer(bytes),
                now, expiresAt);
    }

    private static String text(Map<String, Object> p, String key) {
        Object v = p.get(key);
        return v == null ? null : v.toString();
    }

    private static Long number(Map<String, Object> p, String key) {
        return p.get(key) == null ? null : Bodies.integer(p, key);
    }

    private static Integer intValue(Map<String, Object> p, String key) {
        Long v = number(p, key);
        return v == null ? null : v.intValue();
    }
}
