package io.warren.broker.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.amqp.Binary;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;

/**
 * The HTTP API's JSON, on Jackson. Answers are written from plain maps, lists, strings, numbers
 * and booleans; request bodies are read into the same: objects become ordered maps, arrays
 * lists, integers {@link Long} (AMQP tables carry them as signed 64-bit, as RabbitMQ converts
 * them), other numbers {@link Double}.
 */
public final class Json {

    /**
     * Deepest nesting of arrays and objects a body may have. RabbitMQ answers not_json to 20,000
     * levels; no API body nests more than a handful, and 100 still holds the deepest field table
     * AMQP accepts (64).
     */
    static final int MAX_DEPTH = 100;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private static final ObjectMapper READER = new ObjectMapper(FACTORY)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    /**
     * Writes {@code value}. Anything that is not a map, collection, string, number or boolean is
     * written as its string form (AMQP binary as "&lt;binary&gt;"), never as a bean: the API
     * decides each field, not Jackson's reflection.
     */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(value, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(Object v, JsonGenerator g) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(e.getValue(), g);
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                write(o, g);
            }
            g.writeEndArray();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeNull();
            }
        } else if (v instanceof Binary || v instanceof byte[]) {
            g.writeString("<binary>");
        } else {
            g.writeString(v.toString());
        }
    }

    /** Parses one JSON value; {@link IllegalArgumentException} when {@code text} is not JSON. */
    public static Object parse(String text) {
        try {
            return READER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
