package io.warren.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigParserTest {

    @Test
    void defaultsAreRabbitMqs() {
        BrokerConfig c = ConfigParser.parse(new String[0], Map.of());
        assertEquals(5672, c.amqpPort());
        assertEquals("guest", c.defaultUser());
        assertEquals("/", c.defaultVhost());
        assertEquals(131072, c.frameMax());
        assertEquals(2047, c.channelMax());
        assertEquals(60, c.heartbeatSeconds());
        assertTrue(c.loopbackOnlyDefaultUser());
    }

    @Test
    void flagsWinOverEnvironment() {
        BrokerConfig c = ConfigParser.parse(new String[] {"--amqp-port", "0", "--data-dir=/tmp/x"},
                Map.of("WARREN_AMQP_PORT", "5999", "WARREN_HTTP_PORT", "-1", "WARREN_NO_PERSISTENCE", "yes"));
        assertEquals(0, c.amqpPort());
        assertEquals(-1, c.httpPort());
        assertEquals(Path.of("/tmp/x"), c.dataDir());
        assertFalse(c.persistence());
    }

    @Test
    void firstStartOptionsGivenAreNamedAsTheOperatorGaveThem() {
        assertEquals(java.util.List.of(), ConfigParser.parse(new String[] {"--amqp-port", "0"}, Map.of())
                .givenFirstStartOptions());
        BrokerConfig c = ConfigParser.parse(new String[] {"--default-pass=x", "--default-user", "admin"},
                Map.of("WARREN_DEFAULT_VHOST", "prod", "WARREN_DEFAULT_USER", "env-user"));
        assertEquals(java.util.List.of("--default-user", "--default-pass", "WARREN_DEFAULT_VHOST"),
                c.givenFirstStartOptions());
        assertEquals("admin", c.defaultUser());
    }

    @Test
    void logLevelTakesRabbitMqsNames() {
        assertEquals(null, ConfigParser.parse(new String[0], Map.of()).logLevel());
        assertEquals("warning", ConfigParser.parse(new String[] {"--log-level", "WARNING"}, Map.of()).logLevel());
        assertEquals("debug", ConfigParser.parse(new String[0], Map.of("WARREN_LOG_LEVEL", "debug")).logLevel());
        ConfigParser.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigParser.ConfigException.class,
                () -> ConfigParser.parse(new String[] {"--log-level", "warn"}, Map.of()));
        assertTrue(e.getMessage().contains("debug, info, warning, error, critical, none"), e.getMessage());
    }

    @Test
    void logLevelTakesLevelsPerCategoryAsRabbitMqsLogCategoryLevel() {
        assertEquals("info,connection=debug,io.netty=warning", ConfigParser.parse(
                new String[] {"--log-level", "INFO, connection=Debug,io.netty=warning"}, Map.of()).logLevel());
        assertEquals("queue=error", ConfigParser.parse(new String[] {"--log-level", "queue=error"}, Map.of()).logLevel());
        ConfigParser.ConfigException unknown = assertThrows(ConfigParser.ConfigException.class,
                () -> ConfigParser.parse(new String[] {"--log-level", "info,conection=debug"}, Map.of()));
        assertTrue(unknown.getMessage().contains("unknown log category 'conection'"), unknown.getMessage());
        ConfigParser.ConfigException badLevel = assertThrows(ConfigParser.ConfigException.class,
                () -> ConfigParser.parse(new String[] {"--log-level", "channel=loud"}, Map.of()));
        assertTrue(badLevel.getMessage().contains("got 'channel=loud'"), badLevel.getMessage());
    }

    @Test
    void logFormatIsTextOrJson() {
        assertEquals(BrokerConfig.LogFormat.TEXT, ConfigParser.parse(new String[0], Map.of()).logFormat());
        assertEquals(BrokerConfig.LogFormat.JSON, ConfigParser.parse(new String[0],
                Map.of("WARREN_LOG_FORMAT", "json")).logFormat());
        ConfigParser.ConfigException e = assertThrows(ConfigParser.ConfigException.class,
                () -> ConfigParser.parse(new String[] {"--log-format", "xml"}, Map.of()));
        assertTrue(e.getMessage().contains("text, json"), e.getMessage());
    }

    @Test
    void versionAndHelpAreAskedFor() {
        assertTrue(ConfigParser.wantsVersion(new String[] {"--amqp-port", "0", "--version"}));
        assertFalse(ConfigParser.wantsVersion(new String[] {"--amqp-port", "0"}));
        assertTrue(ConfigParser.help().contains("--version"));
    }

    @Test
    void badInputIsExplained() {
        assertThrows(ConfigParser.ConfigException.class, () -> ConfigParser.parse(new String[] {"--nope"}, Map.of()));
        ConfigParser.ConfigException e = assertThrows(ConfigParser.ConfigException.class,
                () -> ConfigParser.parse(new String[] {"--amqp-port", "70000"}, Map.of()));
        assertTrue(e.getMessage().contains("between"), e.getMessage());
        assertTrue(ConfigParser.help().contains("--metrics-port"));
    }
}
