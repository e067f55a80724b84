package io.warren.broker.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The labels of {@code rabbitmq_identity_info}: the node name, the cluster name and the cluster's
 * permanent id. RabbitMQ keeps that id in its schema database and generates it once; Warren keeps
 * it in a file of the data directory, so that it survives restarts as RabbitMQ's does (a broker
 * without a data directory gets a fresh one each start).
 */
public record NodeIdentity(String node, String cluster, String permanentId) {

    private static final String ID_FILE = "cluster-id";

    /** @param dataDir where the id is kept, or null for a broker that keeps nothing on disk */
    public static NodeIdentity of(String node, Path dataDir) {
        return new NodeIdentity(node, "warren@" + hostName(), permanentId(dataDir));
    }

    private static String permanentId(Path dataDir) {
        String fresh = "warren-cluster-id-" + UUID.randomUUID();
        if (dataDir == null) {
            return fresh;
        }
        Path file = dataDir.resolve(ID_FILE);
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            Files.createDirectories(dataDir);
            Files.writeString(file, fresh + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            // a read-only data dir fails elsewhere, louder; the id is then only this run's
        }
        return fresh;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
