package dev.gatekey.persistence;

import dev.gatekey.store.KeyStoreException;
import jakarta.persistence.EntityManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The services' transactions and clock: each operation is one transaction; a unique-constraint violation of a
 * write becomes a {@link ConflictException}, and every failure of the database or its driver becomes
 * {@link DatabaseUnavailableException}. Instants are truncated to microseconds (what PostgreSQL stores).
 */
final class Transactions {

    private static final String UNIQUE_VIOLATION = "23505";

    private final GatekeyDatabase database;
    private final Clock clock;

    Transactions(GatekeyDatabase database, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    <T> T read(Function<EntityManager, T> work) {
        try {
            return database.inTransaction(work);
        } catch (GatekeyException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /** One transaction; a unique-constraint violation (a concurrent create) becomes a conflict. */
    <T> T write(Supplier<String> conflictMessage, Function<EntityManager, T> work) {
        try {
            return database.inTransaction(work);
        } catch (GatekeyException e) {
            throw e;
        } catch (RuntimeException e) {
            if (conflictMessage != null && isUniqueViolation(e)) {
                throw new ConflictException(conflictMessage.get());
            }
            throw unavailable(e);
        }
    }

    /**
     * A failure of the database or its driver (anywhere in the cause chain) as the one typed error; anything
     * else is a bug and stays what it is.
     */
    static RuntimeException unavailable(RuntimeException e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof jakarta.persistence.PersistenceException || t instanceof SQLException
                    || t instanceof org.hibernate.HibernateException || t instanceof KeyStoreException) {
                return new DatabaseUnavailableException("the database is unavailable", e);
            }
        }
        return e;
    }

    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException cve
                    && cve.getKind() == org.hibernate.exception.ConstraintViolationException.ConstraintKind.UNIQUE) {
                return true;
            }
        }
        return false;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static Instant truncate(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
