package dev.gatekey.persistence;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.format.ChecksumMode;
import java.time.Clock;
import java.util.Objects;

/**
 * Administration of buckets, consumers and keys, the entry point of the admin API's services: builds their
 * shared internals (transactions, change-feed and audit writing, input checks, key texts) once over one
 * {@link GatekeyDatabase} and hands out {@link #buckets()}, {@link #consumers()}, {@link #keys()},
 * {@link #selfServe()}, {@link #portal()}, {@link #imports()}, {@link #leaks()}, {@link #webhooks()},
 * {@link #audit()} and {@link #usage()}. Consumer and key operations restricted to some consumers (a tenant's tags,
 * a manager): {@link ConsumerService#guarded} and {@link KeyService#guarded}.
 *
 * <p>Each operation runs in one transaction, so a failed operation leaves nothing half-written. Mutations that
 * affect validation (revoke, roll, expiry or metadata change, consumer delete, cache flush) write their
 * change-feed rows in that same transaction; every mutation writes an audit event naming its {@code actor}
 * (never key material or hashes).
 *
 * <p>Errors are typed: {@link InvalidInputException} (400, with field errors), {@link NotFoundException} (404),
 * {@link ConflictException} (409, including unique-constraint violations from concurrent creates),
 * {@link PayloadTooLargeException} (413), {@link MasterKeyException} when a visible key cannot be decrypted, and
 * {@link DatabaseUnavailableException} (503) for every failure of the database itself.
 *
 * <p>Instants come from the injected {@link Clock}, truncated to microseconds (what PostgreSQL stores) so values
 * read back compare equal. Thread-safe.
 */
public final class KeyManagement {

    /** The longest description of a bucket, consumer or key. */
    public static final int MAX_DESCRIPTION_LENGTH = 1000;
    /** Page size of a list request without a limit. */
    public static final int DEFAULT_PAGE_SIZE = 100;
    /** The largest page a list request may ask for. */
    public static final int MAX_PAGE_SIZE = 1000;

    private final ApiKeyFormat format;
    private final Limits limits;
    private final BucketService buckets;
    private final ConsumerService consumers;
    private final KeyService keys;
    private final SelfServeService selfServe;
    private final LeakService leaks;
    private final AuditService audit;
    private final PortalService portal;
    private final UsageService usage;
    private final ImportService imports;
    private final WebhookService webhooks;

    /** With {@link Limits#DEFAULT}; {@code masterKeys} may be null (then no bucket can be retrievable). */
    public KeyManagement(GatekeyDatabase database, ApiKeyFormat format, MasterKeys masterKeys, Clock clock) {
        this(database, format, masterKeys, clock, Limits.DEFAULT);
    }

    public KeyManagement(GatekeyDatabase database, ApiKeyFormat format, MasterKeys masterKeys, Clock clock,
            Limits limits) {
        Objects.requireNonNull(database, "database");
        this.format = Objects.requireNonNull(format, "format");
        Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
        Transactions transactions = new Transactions(database, clock);
        Journal journal = new Journal(transactions, new WebhookEvents());
        InputChecks checks = new InputChecks(limits);
        KeyMaterial keyMaterial = new KeyMaterial(format, masterKeys, journal);
        this.buckets = new BucketService(transactions, journal, keyMaterial);
        this.consumers = new ConsumerService(transactions, journal, checks, keyMaterial, ConsumerGuard.NONE);
        this.keys = new KeyService(transactions, journal, keyMaterial, ConsumerGuard.NONE);
        this.selfServe = new SelfServeService(consumers);
        this.leaks = new LeakService(transactions, journal);
        this.audit = new AuditService(transactions);
        this.portal = new PortalService(transactions, journal, consumers, keys, PortalService.DEFAULT_IDLE_TIMEOUT,
                PortalService.DEFAULT_LIFETIME);
        this.usage = new UsageService(database, clock);
        this.imports = new ImportService(transactions, journal, checks, keyMaterial);
        this.webhooks = new WebhookService(transactions, journal, masterKeys);
    }

    /** The checksum mode of the keys this service creates (secret scanners need it for their pattern). */
    public ChecksumMode checksumMode() {
        return format.mode();
    }

    /** The size limits of consumer data. */
    public Limits limits() {
        return limits;
    }

    /** Buckets: create, read, list, describe, delete. */
    public BucketService buckets() {
        return buckets;
    }

    /** Consumers of a bucket and their keys at creation. */
    public ConsumerService consumers() {
        return consumers;
    }

    /** Keys of a consumer: create, read, change, revoke, roll; the cache flush. */
    public KeyService keys() {
        return keys;
    }

    /** Self-serve keys: a consumer and its first key for each of the application's users, at first sign-in. */
    public SelfServeService selfServe() {
        return selfServe;
    }

    /** Leaked keys: lookups by hash and leak records. */
    public LeakService leaks() {
        return leaks;
    }

    /** Key import: keys made elsewhere, by their SHA-256 hashes. */
    public ImportService imports() {
        return imports;
    }

    /**
     * Lifecycle webhooks: endpoints, deliveries, and the events the operations of this object write in their own
     * transactions ({@link WebhookWorker} sends them).
     */
    public WebhookService webhooks() {
        return webhooks;
    }

    /** The audit trail. */
    public AuditService audit() {
        return audit;
    }

    /**
     * The self-serve portal: links for one manager, their sessions, and the manager's operations on the
     * consumers they manage (with the default session limits; {@link PortalService#withSessionLimits}).
     */
    public PortalService portal() {
        return portal;
    }

    /** Usage analytics: requests per consumer or bucket over time, top consumers. */
    public UsageService usage() {
        return usage;
    }
}
