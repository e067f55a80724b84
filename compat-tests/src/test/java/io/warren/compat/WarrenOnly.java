package io.warren.compat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test of something only Warren has (or does differently on purpose): skipped when the suite
 * runs against RabbitMQ ({@code -Dcompat.excludedGroups=warren-only}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("warren-only")
public @interface WarrenOnly {
}
