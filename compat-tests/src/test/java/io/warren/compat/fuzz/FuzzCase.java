package io.warren.compat.fuzz;

import static io.warren.compat.fuzz.FuzzSocket.concat;
import static io.warren.compat.fuzz.FuzzSocket.frame;
import static io.warren.compat.fuzz.FuzzSocket.header;
import static io.warren.compat.fuzz.FuzzSocket.method;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import io.warren.compat.fuzz.FuzzSocket.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * One kind of hostile client. {@link #play} connects, misbehaves, and answers what the broker
 * did; {@link #expectsError} says whether the broker must have answered with a protocol error
 * or closed the socket (traffic that breaks the protocol), or may carry on (floods of legal
 * traffic, legal interleaving: those only must not hurt anyone else).
 */
enum FuzzCase {

    /** Random bytes instead of the protocol header. */
    GARBAGE(true) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            byte[] junk = randomBytes(r, 1 + r.nextInt(2000));
            junk[0] = (byte) ('B' + r.nextInt(20)); // not 'A': never a protocol header by luck
            s.send(junk);
            return s.awaitOutcome(OUTCOME_MILLIS);
        }
    },

    /** The protocol header, then random bytes (and enough after them to end any frame they began). */
    HEADER_THEN_GARBAGE(true) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            s.send(concat(FuzzSocket.PROTOCOL_HEADER, randomBytes(r, 1 + r.nextInt(3000)), tail(5000)));
            return s.awaitOutcome(OUTCOME_MILLIS);
        }
    },

    /** A full handshake, then random bytes. */
    HANDSHAKE_THEN_GARBAGE(true) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            s.handshake();
            s.send(concat(randomBytes(r, 1 + r.nextInt(3000)), tail(FRAME_MAX + 100)));
            return s.awaitOutcome(OUTCOME_MILLIS);
        }
    },

    /** A valid session's frames with a few bytes flipped, inserted, dropped or repeated. */
    MUTATED_SESSION(true) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            s.handshake();
            byte[] session = validSession(r);
            s.send(concat(mutate(session, r), tail(FRAME_MAX + 100)));
            return s.awaitOutcome(OUTCOME_MILLIS);
        }
    },

    /** Sizes no broker can honour: a 4 GiB frame, a 2^63-byte body, a 2 GiB table, a 2 GiB SASL response. */
    HUGE_SIZES(true) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            switch (r.nextInt(4)) {
                case 0 -> {
                    s.handshake();
                    s.send(new byte[] {1, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0});
                }
                case 1 -> {
                    s.handshake();
                    s.openChannel(1);
                    s.send(concat(method(1, new AMQImpl.Basic.Publish(0, "", "fuzz", false, false)),
                            header(1, new AMQP.BasicProperties(), Long.MAX_VALUE)));
                }
                case 2 -> {
                    s.handshake();
                    s.openChannel(1);
                    s.send(frame(1, 1, concat(new byte[] {0, 50, 0, 10, 0, 0, 4, 'f', 'u', 'z', 'z', 0},
                            new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 'a', 'V'})));
                }
                default -> {
                    s.send(FuzzSocket.PROTOCOL_HEADER);
                    s.expectMethod(10, 10);
                    // start-ok: an empty table, mechanism PLAIN, then a response claiming 2 GiB
                    s.send(frame(1, 0, concat(new byte[] {0, 10, 0, 11, 0, 0, 0, 0, 5, 'P', 'L', 'A', 'I', 'N'},
                            new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 'g'})));
                }
            }
            return s.awaitOutcome(OUTCOME_MILLIS);
        }
    },

    /** Field tables or arrays nested thousands deep, in queue.declare's arguments or a message's headers. */
    DEEP_TABLES(true) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            s.handshake();
            s.openChannel(1);
            byte[] table = deepTable(1000 + r.nextInt(15_000), r.nextBoolean());
            if (r.nextBoolean()) {
                s.send(frame(1, 1, concat(new byte[] {0, 50, 0, 10, 0, 0, 4, 'f', 'u', 'z', 'z', 0b1000}, table)));
            } else {
                // basic properties with only the headers flag (bit 13), through amq.headers so that they are read
                byte[] props = concat(new byte[] {0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0}, table);
                s.send(concat(method(1, new AMQImpl.Basic.Publish(0, "amq.headers", "", false, false)),
                        frame(2, 1, props), tail(FRAME_MAX + 100)));
            }
            return s.awaitOutcome(OUTCOME_MILLIS);
        }
    },

    /** Frames where the protocol does not allow them. */
    OUT_OF_ORDER(true) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            int variant = r.nextInt(9);
            if (variant == 8) {
                // a channel method before the handshake is over
                s.send(FuzzSocket.PROTOCOL_HEADER);
                s.expectMethod(10, 10);
                s.send(method(1, new AMQImpl.Channel.Open("")));
                return s.awaitOutcome(OUTCOME_MILLIS);
            }
            s.handshake();
            s.openChannel(1);
            byte[] publish = method(1, new AMQImpl.Basic.Publish(0, "", "fuzz", false, false));
            s.send(switch (variant) {
                case 0 -> header(1, new AMQP.BasicProperties(), 10); // a header without its method
                case 1 -> frame(3, 1, new byte[10]); // a body without method or header
                case 2 -> concat(publish, header(1, new AMQP.BasicProperties(), 100), frame(3, 1, new byte[10]),
                        method(1, new AMQImpl.Queue.Declare(0, "", false, false, true, false, false, Map.of())));
                case 3 -> method(1, new AMQImpl.Basic.Ack(999, false));
                case 4 -> method(7, new AMQImpl.Queue.Declare(0, "", false, false, true, false, false, Map.of()));
                case 5 -> method(0, new AMQImpl.Connection.TuneOk(2047, 131072, 0));
                case 6 -> method(1, new AMQImpl.Channel.Open(""));
                default -> frame(8, 1, new byte[0]); // a heartbeat on a channel
            });
            return s.awaitOutcome(OUTCOME_MILLIS);
        }
    },

    /**
     * Two channels' content interleaved: legal between channels (the broker must accept it and
     * carry on), illegal within one (a method in the middle of a message: 505).
     */
    INTERLEAVED(true) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            s.handshake();
            s.openChannel(1);
            s.openChannel(2);
            byte[] body = randomBytes(r, 2000);
            s.send(concat(method(1, new AMQImpl.Basic.Publish(0, "", "fuzz-nowhere", false, false)),
                    header(1, new AMQP.BasicProperties(), body.length), frame(3, 1, Arrays.copyOf(body, 1000)),
                    method(2, new AMQImpl.Basic.Publish(0, "", "fuzz-nowhere", false, false)),
                    header(2, new AMQP.BasicProperties(), 3), frame(3, 2, new byte[3]),
                    frame(3, 1, Arrays.copyOfRange(body, 1000, 2000))));
            s.send(method(1, new AMQImpl.Channel.Close(200, "bye", 0, 0)));
            try {
                s.expectMethod(20, 41);
            } catch (IOException e) {
                throw new FuzzViolation("content legally interleaved on two channels was refused: " + e.getMessage());
            }
            s.send(concat(method(2, new AMQImpl.Basic.Publish(0, "", "fuzz-nowhere", false, false)),
                    header(2, new AMQP.BasicProperties(), 10), frame(3, 2, new byte[5]),
                    method(2, new AMQImpl.Basic.Publish(0, "", "fuzz-nowhere", false, false))));
            Outcome o = s.awaitOutcome(OUTCOME_MILLIS);
            return o;
        }
    },

    /** Frames on a channel closed a moment ago, or after connection.close. */
    CLOSED_CHANNEL(true) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            s.handshake();
            s.openChannel(1);
            if (r.nextBoolean()) {
                s.send(method(1, new AMQImpl.Channel.Close(200, "bye", 0, 0)));
                s.expectMethod(20, 41);
                s.send(concat(method(1, new AMQImpl.Basic.Publish(0, "", "fuzz", false, false)),
                        header(1, new AMQP.BasicProperties(), 1), frame(3, 1, new byte[1])));
            } else {
                s.send(concat(method(0, new AMQImpl.Connection.Close(200, "bye", 0, 0)),
                        method(1, new AMQImpl.Queue.Declare(0, "", false, false, true, false, false, Map.of())),
                        method(5, new AMQImpl.Channel.Open(""))));
            }
            return s.awaitOutcome(OUTCOME_MILLIS);
        }
    },

    /** Every channel channel_max allows, pipelined, then one more: 530 NOT_ALLOWED. */
    CHANNEL_FLOOD(true) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            s.handshake();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int ch = 1; ch <= 2048; ch++) {
                out.writeBytes(method(ch, new AMQImpl.Channel.Open("")));
            }
            s.send(out.toByteArray());
            return s.awaitOutcome(OUTCOME_MILLIS);
        }
    },

    /** Thousands of queue.declare (exclusive, so they go with the connection), pipelined. */
    DECLARE_FLOOD(false) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            s.handshake();
            s.openChannel(1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < 2000; i++) {
                out.writeBytes(method(1, new AMQImpl.Queue.Declare(0, "", false, false, true, false, r.nextBoolean(),
                        Map.of())));
            }
            s.send(out.toByteArray());
            return holdAndDrop(s, r);
        }
    },

    /** Thousands of consumers on one queue, pipelined. */
    CONSUMER_FLOOD(false) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            s.handshake();
            s.openChannel(1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(method(1, new AMQImpl.Queue.Declare(0, "", false, false, true, false, false, Map.of())));
            for (int i = 0; i < 3000; i++) {
                out.writeBytes(method(1, new AMQImpl.Basic.Consume(0, "", "", false, false, false, true, Map.of())));
            }
            s.send(out.toByteArray());
            return holdAndDrop(s, r);
        }
    },

    /**
     * Exclusive queues whose arguments fill their frame with thousands of small fields: legal,
     * and each costs the broker far more decoded than its bytes on the wire.
     */
    ARGUMENT_HOARD(false) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            s.handshake();
            s.openChannel(1);
            // 25 queues of 120 KB of arguments each: 3 MB a connection on the wire; kept decoded,
            // some 50 MB (the case found that: a few such clients exhausted a 256 MiB heap).
            // Kept as bytes, what is left is what the client sent: bounded by limits on queues.
            byte[] table = bigTable(20_000);
            for (int i = 0; i < 25; i++) {
                s.send(frame(1, 1, concat(new byte[] {0, 50, 0, 10, 0, 0, 0, 0b0100}, table)));
                s.drain();
            }
            return holdAndDrop(s, r);
        }
    },

    /** A consumer that takes thousands of deliveries and acks none of them. */
    UNACKED_DELIVERIES(false) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            s.handshake();
            s.openChannel(1);
            s.send(method(1, new AMQImpl.Queue.Declare(0, "", false, false, true, false, false, Map.of())));
            byte[] declareOk = s.expectMethod(50, 11);
            String queue = new String(declareOk, 12, declareOk[11] & 0xff, java.nio.charset.StandardCharsets.UTF_8);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(method(1, new AMQImpl.Basic.Consume(0, queue, "", false, false, false, true, Map.of())));
            byte[] body = randomBytes(r, 2048);
            for (int i = 0; i < 3000; i++) {
                out.writeBytes(concat(method(1, new AMQImpl.Basic.Publish(0, "", queue, false, false)),
                        header(1, new AMQP.BasicProperties(), body.length), frame(3, 1, body)));
            }
            s.send(out.toByteArray());
            return holdAndDrop(s, r);
        }
    },

    /** A client that consumes from a queue it floods, and never reads its socket. */
    NEVER_READS(false) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            s.handshake();
            s.openChannel(1);
            s.send(method(1, new AMQImpl.Queue.Declare(0, "", false, false, true, false, false, Map.of())));
            byte[] declareOk = s.expectMethod(50, 11);
            String queue = new String(declareOk, 12, declareOk[11] & 0xff, java.nio.charset.StandardCharsets.UTF_8);
            s.send(method(1, new AMQImpl.Basic.Consume(0, queue, "", false, true, false, true, Map.of())));
            byte[] body = randomBytes(r, 1024);
            byte[] one = concat(method(1, new AMQImpl.Basic.Publish(0, "", queue, false, false)),
                    header(1, new AMQP.BasicProperties(), body.length), frame(3, 1, body));
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < 1000; i++) {
                batch.writeBytes(one);
            }
            byte[] bytes = batch.toByteArray();
            for (int i = 0; i < 20; i++) { // 20,000 messages of 1 KiB, none read back
                s.send(bytes);
            }
            return holdAndDrop(s, r);
        }
    },

    /** Half-open: nothing at all, the header only, or a whole handshake, then our side shuts. */
    HALF_OPEN(true) {
        @Override
        Outcome play(FuzzSocket s, Random r) throws IOException {
            switch (r.nextInt(3)) {
                case 0 -> { } // silent: the handshake timeout
                case 1 -> {
                    s.send(FuzzSocket.PROTOCOL_HEADER);
                    s.shutdownOutput();
                }
                default -> {
                    s.handshake();
                    s.shutdownOutput();
                }
            }
            return s.awaitOutcome(HANDSHAKE_TIMEOUT_MILLIS + OUTCOME_MILLIS);
        }
    };

    static final int FRAME_MAX = 131072;
    static final int HANDSHAKE_TIMEOUT_MILLIS = 5000;
    /** How long the broker gets to react: its silent-close delay (3 s) and some. */
    static final long OUTCOME_MILLIS = 10_000;

    private final boolean expectsError;

    FuzzCase(boolean expectsError) {
        this.expectsError = expectsError;
    }

    boolean expectsError() {
        return expectsError;
    }

    abstract Outcome play(FuzzSocket s, Random r) throws IOException;

    /** A legal but greedy client: reads nothing for a while (or drains), then drops the socket. */
    private static Outcome holdAndDrop(FuzzSocket s, Random r) throws IOException {
        long until = System.currentTimeMillis() + 500 + r.nextInt(2000);
        while (System.currentTimeMillis() < until) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Outcome.OPEN;
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /**
     * Bytes that end any frame begun before them with an error: 0x01 is no frame-end octet, and a
     * frame header read from them announces 16 MiB, over any frame_max.
     */
    static byte[] tail(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 1);
        return b;
    }

    /** What a well-behaved client might send after the handshake. */
    static byte[] validSession(Random r) {
        byte[] body = randomBytes(r, r.nextInt(3000));
        return concat(method(1, new AMQImpl.Channel.Open("")),
                method(1, new AMQImpl.Basic.Qos(0, 10, false)),
                method(1, new AMQImpl.Queue.Declare(0, "fuzz-mutated", false, false, true, false, false,
                        Map.of("x-max-length", 100, "x-message-ttl", 1000))),
                method(1, new AMQImpl.Exchange.Declare(0, "fuzz-x", "topic", false, false, true, false, false, Map.of())),
                method(1, new AMQImpl.Queue.Bind(0, "fuzz-mutated", "fuzz-x", "a.#", false, Map.of())),
                method(1, new AMQImpl.Confirm.Select(false)),
                method(1, new AMQImpl.Basic.Publish(0, "fuzz-x", "a.b", false, false)),
                header(1, new AMQP.BasicProperties.Builder().headers(Map.of("k", "v")).deliveryMode(2).build(),
                        body.length),
                frame(3, 1, body),
                method(1, new AMQImpl.Basic.Consume(0, "fuzz-mutated", "c", false, false, false, false, Map.of())),
                method(1, new AMQImpl.Basic.Get(0, "fuzz-mutated", false)));
    }

    /** A table of {@code fields} distinct three-letter keys, each a boolean: 6 bytes a field. */
    static byte[] bigTable(int fields) {
        byte[] b = new byte[4 + 6 * fields];
        putInt(b, 0, 6 * fields);
        for (int i = 0, p = 4; i < fields; i++) {
            b[p++] = 3;
            b[p++] = (byte) ('0' + i / 4096);
            b[p++] = (byte) ('0' + i / 64 % 64);
            b[p++] = (byte) ('0' + i % 64);
            b[p++] = 't';
            b[p++] = 1;
        }
        return b;
    }

    /** A few random edits: flip a byte, insert or drop some, repeat a slice. */
    static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits && b.length > 1; i++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(4)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b = concat(Arrays.copyOf(b, at), randomBytes(r, 1 + r.nextInt(8)),
                        Arrays.copyOfRange(b, at, b.length));
                case 2 -> b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, Math.min(b.length, at + 1
                        + r.nextInt(8)), b.length));
                default -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(64));
                    b = concat(Arrays.copyOf(b, at + len), Arrays.copyOfRange(b, at, b.length));
                }
            }
        }
        return b;
    }

    /**
     * A table nesting {@code depth} tables ({"a": {"a": ...}}, 7 bytes a level) or holding arrays
     * nested that deep ({"a": [[...]]}, 5 bytes a level); built from the inside out in one array.
     */
    static byte[] deepTable(int depth, boolean arrays) {
        int level = arrays ? 5 : 7;
        int size = 4 + depth * level + (arrays ? 7 : 0);
        byte[] b = new byte[size];
        int p = size - 4; // the innermost: empty (length 0)
        for (int i = 0; i < depth; i++) {
            if (arrays) {
                b[--p] = 'A';
            } else {
                b[--p] = 'F';
                b[--p] = 'a';
                b[--p] = 1;
            }
            int contentLength = size - p;
            p -= 4;
            putInt(b, p, contentLength);
        }
        if (arrays) {
            b[--p] = 'A';
            b[--p] = 'a';
            b[--p] = 1;
            int contentLength = size - p;
            p -= 4;
            putInt(b, p, contentLength);
        }
        return b;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
