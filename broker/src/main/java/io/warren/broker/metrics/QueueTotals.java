package io.warren.broker.metrics;

import io.warren.broker.queue.Queue;
import io.warren.broker.vhost.VirtualHost;
import io.warren.broker.vhost.VirtualHosts;

/**
 * The node's queues summed in one pass, for the aggregated families: a scrape of a node with
 * 100,000 queues reads each queue's published counts once, instead of once per family. The
 * counts are the ones the HTTP API reads from any thread (see {@link Queue#messageCount()}).
 */
record QueueTotals(long queues, long ready, long unacked, long consumers, long pagedOut, long readyBytes) {

    static QueueTotals of(VirtualHosts vhosts) {
        long queues = 0;
        long ready = 0;
        long unacked = 0;
        long consumers = 0;
        long pagedOut = 0;
        long readyBytes = 0;
        for (VirtualHost vhost : vhosts.all()) {
            for (Queue q : vhost.queues()) {
                queues++;
                ready += q.messageCount();
                unacked += q.unackedCount();
                consumers += q.consumerCount();
                pagedOut += q.pagedOutCount();
                readyBytes += q.readyBytes();
            }
        }
        return new QueueTotals(queues, ready, unacked, consumers, pagedOut, readyBytes);
    }
}
