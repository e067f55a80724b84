package io.warren.compat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test of what RabbitMQ's management API has and Warren's will have once work in progress
 * merges (the value names which endpoints): it runs against RabbitMQ, and is left out of the
 * runs against Warren (the pom's default {@code compat.excludedGroups}) until then. Remove the
 * annotation when the endpoints land; a test tagged so must not pass on Warren by skipping.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("pending-warren-api")
public @interface PendingWarrenApi {
    /** The endpoints it waits for, e.g. "/api/policies". */
    String[] value();
}
