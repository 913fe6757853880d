package dev.eventsource.autoconfigure;

import com.zaxxer.hikari.HikariConfigMXBean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.ClassUtils;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;

/**
 * How long the PostgreSQL listener for appends keeps one pooled connection: the configured
 * {@code eventsource.jdbc.listener-connection-lifetime}, shortened to half of a HikariCP pool's {@code maxLifetime},
 * since Hikari retires a connection past its lifetime only when it is given back.
 */
final class ListenerConnectionLifetime {

    private static final Log LOG = LogFactory.getLog(ListenerConnectionLifetime.class);
    private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariConfigMXBean",
            ListenerConnectionLifetime.class.getClassLoader());

    private ListenerConnectionLifetime() {
    }

    static Duration of(DataSource dataSource, Duration configured) {
        if (!HIKARI_PRESENT) {
            return configured;
        }
        long maxLifetimeMillis = Hikari.maxLifetimeMillis(dataSource);
        if (maxLifetimeMillis <= 0 || configured.toMillis() <= maxLifetimeMillis / 2) {
            return configured;
        }
        Duration half = Duration.ofMillis(maxLifetimeMillis / 2);
        LOG.debug("The listener for appends gives its connection back every " + half.toMillis() + " ms, half of the"
                + " pool's maxLifetime, rather than every " + configured.toMillis() + " ms");
        return half;
    }

    /** Touches Hikari's types only when Hikari is on the classpath. */
    private static final class Hikari {

        /** @return the pool's maxLifetime in milliseconds; 0 when not a Hikari pool or unlimited */
        static long maxLifetimeMillis(DataSource dataSource) {
            try {
                if (dataSource.isWrapperFor(HikariConfigMXBean.class)) {
                    return dataSource.unwrap(HikariConfigMXBean.class).getMaxLifetime();
                }
            } catch (SQLException e) {
                LOG.debug("Cannot unwrap the DataSource to read a Hikari pool's maxLifetime: " + e.getMessage());
            }
            return 0;
        }
    }
}
