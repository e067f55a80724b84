package io.warren.broker.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.warren.broker.metrics.ProcessMemory;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/nodes} (monitoring users), {@code /api/cluster-name} (PUT: administrators) and
 * {@code /api/extensions}: the one node Warren is, with the fields of RabbitMQ's node object it
 * can fill truthfully from the JVM and the OS. Erlang-only ones (reductions, run_queue, garbage
 * collection, mnesia, applications) are left out rather than made up.
 */
final class NodeApi {

    private final ApiContext context;
    private final NodeInfo node;
    private final Views views;

    NodeApi(ApiContext context, NodeInfo node, Views views) {
        this.context = context;
        this.node = node;
        this.views = views;
    }

    void routeNodes(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        int n = r.path().size();
        ApiHandler.only(n <= 2);
        r.allow(ApiHandler.GET);
        u.requireMonitor();
        if (n == 1) {
            reply.json(HttpResponseStatus.OK, List.of(node()));
        } else if (r.segment(1).equals(Views.NODE)) {
            reply.json(HttpResponseStatus.OK, node());
        } else {
            throw ApiError.notFound();
        }
    }

    /** GET for any management user; PUT {"name": ..} for administrators (204). */
    void routeClusterName(ApiHandler.Request r, ManagementUser u, HttpResponses reply) {
        ApiHandler.only(r.path().size() == 1);
        r.allow(ApiHandler.GET, ApiHandler.PUT);
        if (r.method().equals(ApiHandler.GET)) {
            reply.json(HttpResponseStatus.OK, Map.of("name", node.clusterName()));
            return;
        }
        u.requireAdministrator();
        Object name = r.json().get("name");
        if (name == null) {
            throw ApiError.badRequest("[{key_missing,name}]");
        }
        node.clusterName(String.valueOf(name));
        reply.empty(HttpResponseStatus.NO_CONTENT);
    }

    /** No plugin adds pages to a console here: an empty list. */
    void routeExtensions(ApiHandler.Request r, HttpResponses reply) {
        ApiHandler.only(r.path().size() == 1);
        r.allow(ApiHandler.GET);
        reply.json(HttpResponseStatus.OK, List.of());
    }

    private Map<String, Object> node() {
        Runtime rt = Runtime.getRuntime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", Views.NODE);
        m.put("type", "disc");
        m.put("running", true);
        m.put("being_drained", false); // no maintenance mode here
        m.put("os_pid", String.valueOf(ProcessHandle.current().pid()));
        m.put("partitions", List.of());
        m.put("rates_mode", "basic");
        m.put("mem_used", ProcessMemory.residentBytes());
        m.put("mem_calculation_strategy", "rss");
        // The alarm compares the live heap with this share of the maximum heap.
        m.put("mem_limit", (long) (context.memoryAlarm().highWatermark() * rt.maxMemory()));
        m.put("mem_alarm", context.memoryAlarm().raised());
        if (context.diskAlarm() != null) {
            m.put("disk_free", context.diskAlarm().lastFree());
            m.put("disk_free_limit", context.diskAlarm().limit());
            m.put("disk_free_alarm", context.diskAlarm().raised());
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            m.put("fd_used", unix.getOpenFileDescriptorCount());
            m.put("fd_total", unix.getMaxFileDescriptorCount());
        }
        m.put("sockets_used", context.connections().count());
        m.put("proc_used", ManagementFactory.getThreadMXBean().getThreadCount());
        m.put("uptime", node.uptimeMillis());
        m.put("processors", rt.availableProcessors());
        m.put("exchange_types", views.exchangeTypes());
        m.put("listeners", node.listeners());
        return m;
    }
}
