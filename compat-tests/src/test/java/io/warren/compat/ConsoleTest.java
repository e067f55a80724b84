package io.warren.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.warren.broker.Broker;
import io.warren.broker.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web console (issue 14) in a real browser against a Warren of its own: log in, declare a
 * queue, publish from the page, watch its depth and chart, get the message back, delete the
 * queue; what a user without the administrator tag is shown; the queue list with 10,000 queues;
 * and screenshots (target/console-screenshots/) of the overview and a queue page under load.
 */
@WarrenOnly
class ConsoleTest {

    private static Broker broker;
    private static String base;
    private static ConsoleBrowser browser;

    @BeforeAll
    static void start() {
        broker = BrokerUnderTest.startWarren(BrokerConfig.builder().ephemeral().httpPort(0));
        base = "http://localhost:" + broker.httpPort();
        browser = ConsoleBrowser.open(base);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (broker != null) {
            broker.close();
        }
    }


    private static ConnectionFactory factory() {
        ConnectionFactory f = new ConnectionFactory();
        f.setPort(broker.amqpPort());
        f.setAutomaticRecoveryEnabled(false);
        return f;
    }

    @Test
    void administratorDeclaresPublishesGetsAndDeletesAQueue() throws Exception {
        String queue = "console-orders";
        browser.logIn("guest", "guest");
        assertFalse(browser.driver().findElements(By.id("nav-users")).isEmpty(), "an administrator sees Users");

        browser.go("#/queues");
        browser.expand("add-queue");
        browser.type(By.id("queue-name"), queue);
        browser.find(By.cssSelector("#declare-queue button[type=submit]")).click();
        browser.find(By.linkText(queue)).click();

        browser.awaitText(By.id("queue-ready"), "0");
        By chart = By.cssSelector("#queue-depth-chart .chart");
        browser.await(ExpectedConditions.attributeToBe(chart, "data-last", "0,0,0"));
        String before = canvas();

        browser.expand("publish");
        browser.type(By.id("publish-payload"), "hello from the console");
        browser.find(By.cssSelector("#publish-form button[type=submit]")).click();
        browser.awaitText(By.id("queue-ready"), "1");
        browser.await(ExpectedConditions.attributeToBe(chart, "data-last", "1,0,1"));
        assertNotEquals(before, canvas(), "the depth chart did not move");

        browser.expand("get");
        browser.select(By.id("get-ackmode"), "ack_requeue_false");
        browser.find(By.cssSelector("#get-form button[type=submit]")).click();
        browser.accept(); // taking a message away asks first
        browser.awaitText(By.cssSelector("#get-results .payload"), "hello from the console");
        browser.awaitText(By.id("queue-ready"), "0");
        browser.script("document.getElementById('get').scrollIntoView()");
        browser.screenshot("queue-got-message");

        browser.expand("danger");
        browser.find(By.id("delete")).click();
        browser.accept();
        browser.await(ExpectedConditions.urlContains("#/queues"));
        assertEquals(404, ManagementApi.at(base).get("/api/queues/%2F/" + queue).status());
    }

    @Test
    void administratorDeclaresBindsPublishesToAndDeletesAnExchange() throws Exception {
        ManagementApi api = ManagementApi.at(base);
        assertEquals(201, api.call("PUT", "/api/queues/%2F/console-bound", "{}").status());
        browser.logIn("guest", "guest");
        browser.go("#/exchanges");
        browser.expand("add-exchange");
        browser.type(By.id("exchange-name"), "console-fanout");
        browser.select(By.id("exchange-type"), "fanout");
        browser.find(By.cssSelector("#declare-exchange button[type=submit]")).click();
        browser.find(By.linkText("console-fanout")).click();

        browser.expand("bind");
        browser.type(By.id("bind-destination"), "console-bound");
        browser.find(By.cssSelector("#bind-form button[type=submit]")).click();
        browser.find(By.xpath("//div[@id='exchange-bindings-source']//a[text()='console-bound']"));

        browser.expand("publish");
        browser.type(By.id("publish-payload"), "through the fanout");
        browser.find(By.cssSelector("#publish-form button[type=submit]")).click();
        browser.awaitText(By.cssSelector("#flash .flash.ok .text"), "Message published.");
        assertEquals(1, ((Number) api.get("/api/queues/%2F/console-bound").object().get("messages")).intValue());

        browser.expand("danger");
        browser.find(By.id("delete")).click();
        browser.accept();
        browser.await(ExpectedConditions.urlContains("#/exchanges"));
        assertEquals(404, api.get("/api/exchanges/%2F/console-fanout").status());
        assertEquals(204, api.call("DELETE", "/api/queues/%2F/console-bound", null).status());
    }

    @Test
    void administratorAddsAUserWhoThenLogsIn() throws Exception {
        browser.logIn("guest", "guest");
        browser.go("#/users");
        browser.expand("add-user");
        browser.type(By.id("new-user-name"), "console-alice");
        browser.type(By.id("new-user-password"), "s3cret");
        browser.type(By.id("new-user-tags"), "management");
        browser.find(By.cssSelector("#declare-user button[type=submit]")).click();
        browser.find(By.linkText("console-alice")).click();
        browser.expand("set-permission");
        browser.find(By.cssSelector("#permission-form button[type=submit]")).click();
        browser.find(By.xpath("//div[@id='user-permissions']//td[text()='/']"));

        browser.logIn("console-alice", "s3cret");
        browser.awaitText(By.cssSelector("#user .tag"), "management");
        assertTrue(browser.driver().findElements(By.id("nav-users")).isEmpty(), "a management user sees Users");

        browser.logIn("guest", "guest");
        browser.go("#/users/console-alice");
        browser.expand("danger");
        browser.find(By.id("delete")).click();
        browser.accept();
        browser.await(ExpectedConditions.urlContains("#/users"));
        assertEquals(404, ManagementApi.at(base).get("/api/users/console-alice").status());
    }

    @Test
    void anErrorIsShownAsTheApiWordedIt() throws Exception {
        ManagementApi.Response refused = ManagementApi.at(base).call("PUT", "/api/queues/%2F/bad",
                "{\"arguments\":{\"x-max-length\":\"many\"}}");
        assertEquals(400, refused.status(), refused::toString);
        String reason = String.valueOf(refused.object().get("reason"));

        browser.logIn("guest", "guest");
        browser.go("#/queues");
        browser.expand("add-queue");
        browser.type(By.id("queue-name"), "bad");
        browser.type(By.name("arguments"), "{\"x-max-length\": \"many\"}");
        browser.find(By.cssSelector("#declare-queue button[type=submit]")).click();
        browser.awaitText(By.cssSelector("#flash .flash.error .text"), reason);
    }

    @Test
    void aUserWithoutTheAdministratorTagDoesNotSeeTheUsersPage() throws Exception {
        ManagementApi api = ManagementApi.at(base);
        assertEquals(201, api.call("PUT", "/api/users/watcher", "{\"password\":\"w\",\"tags\":\"monitoring\"}").status());
        browser.logIn("watcher", "w");
        browser.find(By.id("nav-queues"));
        assertTrue(browser.driver().findElements(By.id("nav-users")).isEmpty(), "a monitoring user sees Users");
        browser.go("#/users");
        browser.awaitText(By.cssSelector("#main h1"), "Not found");
        assertTrue(browser.driver().findElements(By.id("user-list")).isEmpty());
        browser.screenshot("monitoring-user");
        browser.logOut();
        assertTrue(browser.driver().findElements(By.id("nav-queues")).isEmpty(), "still logged in");
    }

    @Test
    void anAdministratorClosesAConnectionWithAReason() throws Exception {
        Connection c = factory().newConnection("console-client");
        CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
        c.addShutdownListener(closed::complete);
        browser.logIn("guest", "guest");
        browser.go("#/connections");
        browser.find(By.partialLinkText("127.0.0.1")).click();
        browser.find(By.xpath("//div[@id='connection-client-properties']//td[text()='console-client']"));
        browser.screenshot("connection");
        browser.expand("close");
        browser.type(By.id("close-reason"), "console says goodbye");
        browser.find(By.cssSelector("#close-form button[type=submit]")).click();
        browser.accept();
        assertEquals("CONNECTION_FORCED - console says goodbye",
                ((AMQP.Connection.Close) closed.get(10, TimeUnit.SECONDS).getReason()).getReplyText());
        browser.await(ExpectedConditions.urlContains("#/connections"));
    }

    @Test
    void everyPageOpensForAnAdministratorWithoutAnError() throws Exception {
        browser.logIn("guest", "guest");
        String[][] pages = {
            {"#/", "Overview"}, {"#/connections", "Connections"}, {"#/channels", "Channels"},
            {"#/exchanges", "Exchanges"}, {"#/exchanges/%2F/amq.topic", "Exchange amq.topic"},
            {"#/queues", "Queues"}, {"#/vhosts", "Virtual hosts"}, {"#/users", "Users"},
            {"#/users/guest", "User guest"}, {"#/policies", "Policies"}, {"#/definitions", "Definitions"},
        };
        for (String[] page : pages) {
            browser.go(page[0]);
            browser.await(d -> d.findElement(By.cssSelector("#main h1")).getText().startsWith(page[1]));
            // the first poll has answered (or failed) once the page's content is drawn
            browser.await(d -> d.findElements(By.cssSelector("#main table, #main .muted, #main .cards")).size() > 0
                    || page[0].equals("#/definitions"));
            assertTrue(browser.driver().findElements(By.cssSelector("#flash .flash.error")).isEmpty(),
                    () -> page[0] + ": " + browser.find(By.id("flash")).getText());
            browser.screenshot("page-" + page[1].toLowerCase().replace(' ', '-'));
        }
    }

    @Test
    void theQueueListWithTenThousandQueuesLoadsSortsAndFilters() throws Exception {
        try (Connection c = factory().newConnection()) {
            Channel ch = c.createChannel();
            for (int i = 0; i < 10_000; i++) {
                ch.queueDeclare(String.format("many-%05d", i), false, false, false, null);
            }
            browser.logIn("guest", "guest");
            browser.go("#/queues");
            browser.find(By.linkText("many-00000"));
            // a fresh load of the page: the HTML, the scripts, then the API's list and its first
            // page; the median of three, as the machine may be busy with something else
            long[] loads = new long[3];
            for (int i = 0; i < loads.length; i++) {
                long t0 = System.nanoTime();
                browser.driver().navigate().refresh();
                browser.find(By.linkText("many-00000"));
                loads[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            Arrays.sort(loads);

            // sorted by name descending: the last queue first
            browser.find(By.xpath("//div[@id='queue-list']//th[text()='Name']")).click();
            browser.find(By.xpath("//div[@id='queue-list']//th[text()='Name' and contains(@class,'desc')]"));
            browser.find(By.linkText("many-09999"));
            browser.type(By.id("queue-list-filter"), "many-0424");
            browser.find(By.linkText("many-04249"));
            browser.await(d -> d.findElements(By.cssSelector("#queue-list tbody tr")).size() == 10);
            browser.screenshot("queues-10000-filtered");
            // a speed, reported and not asserted: the target (well under a second) is checked in
            // the closing notes, where a busy CI machine cannot fail it
            System.out.printf("console: 10,000 queues, list page shown %s ms after a reload, median %d ms "
                    + "(the last filtered page fetched and drawn in %s ms)%n", Arrays.toString(loads), loads[1],
                    browser.find(By.id("queue-list")).getAttribute("data-render-ms"));
            for (int i = 0; i < 10_000; i++) {
                ch.queueDelete(String.format("many-%05d", i));
            }
        }
    }

    @Test
    void screenshotsOfTheOverviewAndAQueueUnderLoad() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        try (Connection c = factory().newConnection()) {
            Channel consumer = c.createChannel();
            consumer.queueDeclare("load", false, false, false, Map.of("x-max-length", 5000));
            consumer.basicQos(50);
            consumer.basicConsume("load", false, new DefaultConsumer(consumer) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                        throws java.io.IOException {
                    pace(4); // acks slower than the publisher sends: the queue fills
                    if (running.get()) {
                        getChannel().basicAck(envelope.getDeliveryTag(), false);
                    }
                }
            });
            Thread publisher = new Thread(() -> publish(c, running), "console-load");
            publisher.start();
            try {
                browser.logIn("guest", "guest");
                browser.select(By.cssSelector("#session select"), "2");
                browser.go("#/");
                awaitSamples(By.cssSelector("#rates-chart .chart"), 6);
                System.out.println("console: overview rates " + browser.find(By.cssSelector("#rates-chart .chart"))
                        .getAttribute("data-last") + " at " + browser.screenshot("overview"));
                browser.go("#/queues/%2F/load");
                awaitSamples(By.cssSelector("#queue-depth-chart .chart"), 6);
                System.out.println("console: queue page at " + browser.screenshot("queue-under-load"));
            } finally {
                running.set(false);
                publisher.join();
            }
            consumer.queueDelete("load");
        }
    }

    /**
     * Waits for a chart to hold {@code n} samples (one per 2 s poll) whose last has its first
     * series (publish rate, ready messages) above zero.
     */
    private void awaitSamples(By chart, int n) {
        browser.await(d -> {
            String samples = d.findElement(chart).getAttribute("data-samples");
            String last = d.findElement(chart).getAttribute("data-last");
            return samples != null && Integer.parseInt(samples) >= n && !last.startsWith("0,") && !last.startsWith(",");
        }, java.time.Duration.ofSeconds(2L * n + CompatTest.TIMEOUT_SECONDS));
    }

    /** About 400 messages a second, with confirms, until told to stop. */
    private static void publish(Connection c, AtomicBoolean running) {
        try {
            Channel ch = c.createChannel();
            ch.confirmSelect();
            byte[] body = "order".getBytes(StandardCharsets.UTF_8);
            while (running.get()) {
                ch.basicPublish("", "load", null, body);
                pace(2);
            }
            ch.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The load generator's pace (a rate, not a wait for some state). */
    private static void pace(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String canvas() {
        return (String) browser.script("return document.querySelector('#queue-depth-chart canvas').toDataURL()");
    }
}
