package io.warren.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cells as rabbitmqctl 3.10 prints them (the expected texts are copied from its output). */
class ValuesTest {

    @Test
    void tagsAreABracketedList() {
        assertEquals("[monitoring, management]", Values.cell(List.of("monitoring", "management")));
        assertEquals("[]", Values.cell(List.of()));
        // older RabbitMQs answer tags as one comma-separated string
        assertEquals(List.of("a", "b"), Values.tags("a,b"));
        assertEquals(List.of(), Values.tags(""));
    }

    @Test
    void tablesArePrintedAsErlangProplists() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("x-dead-letter-exchange", "dlx");
        args.put("x-max-length", 5L);
        assertEquals("[{\"x-dead-letter-exchange\",\"dlx\"},{\"x-max-length\",5}]", Values.cell(args));
        assertEquals("[{\"capabilities\",[{\"basic.nack\",true}]}]",
                Values.cell(Map.of("capabilities", Map.of("basic.nack", true))));
        assertEquals("[]", Values.cell(Map.of()));
    }

    @Test
    void scalars() {
        assertEquals("", Values.cell(null));
        assertEquals("true", Values.cell(true));
        assertEquals("42", Values.cell(42L));
        assertEquals("a b", Values.cell("a b"));
    }

    @Test
    void jsonTablesAreTriplesOfNameTypeValue() {
        // rabbitmqctl list_queues --formatter json name arguments: "arguments":[["x-max-length","long",5]]
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("x-max-length", 5L);
        args.put("x-queue-type", "classic");
        args.put("x-single-active-consumer", true);
        assertEquals("[[\"x-max-length\",\"long\",5],[\"x-queue-type\",\"longstr\",\"classic\"],"
                + "[\"x-single-active-consumer\",\"bool\",true]]", Json.write(Values.json(args)));
        assertEquals(List.of(), Values.json(Map.of()));
        assertEquals(7L, Values.json(7L));
    }
}
