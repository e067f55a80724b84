package io.warren.compat;

import com.rabbitmq.client.*;
import com.rabbitmq.client.impl.AMQCommand;
import java.util.*;
import java.util.concurrent.*;
import org.junit.jupiter.api.Test;

class ProbeTest extends CompatTest {

    @Test
    void deleteOrder() throws Exception {
        for (boolean durable : new boolean[] {true, false}) {
            for (boolean own : new boolean[] {true, false}) {
                List<String> seen = Collections.synchronizedList(new ArrayList<>());
                ConnectionFactory f = factory();
                f.setTrafficListener(new TrafficListener() {
                    public void write(Command c) {}
                    public void read(Command c) { seen.add(c.getMethod().protocolMethodName()); }
                });
                Connection conn = track(f.newConnection());
                Channel ch = conn.createChannel();
                String q = queueName("probe-del");
                Channel decl = own ? ch : connect().createChannel();
                decl.queueDeclare(q, durable, false, false, null);
                CollectingConsumer c = new CollectingConsumer(ch);
                ch.basicConsume(q, false, c);
                seen.clear();
                ch.queueDelete(q);
                c.cancelledByBroker.get(5, TimeUnit.SECONDS);
                Thread.sleep(200);
                System.out.println("PROBE durable=" + durable + " own=" + own + " " + seen);
            }
        }
    }

    @Test
    void globalQos() throws Exception {
        Connection conn = connect();
        Channel pub = conn.createChannel();
        List<String> qs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String q = queueName("probe-qos" + i);
            pub.queueDeclare(q, false, false, false, null);
            String[] b = new String[20];
            Arrays.fill(b, q);
            publishConfirmed(pub, "", q, b);
            qs.add(q);
        }
        Channel ch = conn.createChannel();
        ch.basicQos(6, true);
        CollectingConsumer c = new CollectingConsumer(ch);
        for (String q : qs) ch.basicConsume(q, false, c);
        List<CollectingConsumer.Received> got = c.next(6);
        StringBuilder sb = new StringBuilder();
        for (var r : got) sb.append(qs.indexOf(r.text())).append(' ');
        sb.append("| ");
        for (int i = 0; i < 24; i++) {
            ch.basicAck(got.get(got.size() - 6).tag(), false);
            got.add(c.next());
            sb.append(qs.indexOf(got.get(got.size() - 1).text())).append(' ');
        }
        Thread.sleep(300);
        System.out.println("PROBE qos " + sb);
        for (String q : qs) System.out.println("PROBE ready " + pub.queueDeclarePassive(q).getMessageCount());
    }

    @Test
    void globalQosNoAck() throws Exception {
        Connection conn = connect();
        Channel pub = conn.createChannel();
        String q1 = queueName("probe-na1"), q2 = queueName("probe-na2");
        for (String q : List.of(q1, q2)) {
            pub.queueDeclare(q, false, false, false, null);
            String[] b = new String[10];
            Arrays.fill(b, q);
            publishConfirmed(pub, "", q, b);
        }
        Channel ch = conn.createChannel();
        ch.basicQos(2, true);
        CollectingConsumer na = new CollectingConsumer(ch);
        ch.basicConsume(q1, true, na);
        na.next(10);
        CollectingConsumer ack = new CollectingConsumer(ch);
        ch.basicConsume(q2, false, ack);
        ack.next(2);
        Thread.sleep(500);
        System.out.println("PROBE noack q1 ready " + pub.queueDeclarePassive(q1).getMessageCount()
                + " q2 ready " + pub.queueDeclarePassive(q2).getMessageCount());
        // reverse: ack consumer first fills the budget, then no-ack consumer
        String q3 = queueName("probe-na3"), q4 = queueName("probe-na4");
        for (String q : List.of(q3, q4)) {
            pub.queueDeclare(q, false, false, false, null);
            String[] b = new String[10];
            Arrays.fill(b, q);
            publishConfirmed(pub, "", q, b);
        }
        Channel ch2 = conn.createChannel();
        ch2.basicQos(2, true);
        CollectingConsumer ack2 = new CollectingConsumer(ch2);
        ch2.basicConsume(q3, false, ack2);
        ack2.next(2);
        CollectingConsumer na2 = new CollectingConsumer(ch2);
        ch2.basicConsume(q4, true, na2);
        Thread.sleep(500);
        System.out.println("PROBE noack-after-full q3 ready " + pub.queueDeclarePassive(q3).getMessageCount()
                + " q4 ready " + pub.queueDeclarePassive(q4).getMessageCount());
    }
}
