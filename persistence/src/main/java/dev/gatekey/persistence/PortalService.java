package dev.gatekey.persistence;

import static dev.gatekey.persistence.InputChecks.checkActor;
import static dev.gatekey.persistence.InputChecks.throwIfAny;
import static dev.gatekey.persistence.Lookups.requireBucket;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The self-serve portal: single-use links for one manager of one bucket, the sessions they open, and what a
 * manager may do in one. Get one from {@link KeyManagement#portal()}.
 *
 * <p><b>Links.</b> {@link #open} makes a token of 256 random bits, valid {@value #MIN_LINK_SECONDS} to
 * {@value #MAX_LINK_SECONDS} seconds (default {@value #DEFAULT_LINK_SECONDS}); only its SHA-256 is stored.
 * {@link #redeem} exchanges it, once, for a session: an unknown, expired or already used token gives the same
 * empty answer, and of two concurrent redeems of one token exactly one succeeds (a conditional update).
 *
 * <p><b>Sessions</b> live in the database (only the SHA-256 of their id), so any admin node serves them without
 * sticky sessions. One ends after {@link #idleTimeout()} without use or {@link #lifetime()} after it opened,
 * whichever comes first ({@link #withSessionLimits}); its last use is recorded at most once a minute.
 *
 * <p><b>The manager's operations</b> ({@link #consumers}, {@link #createKey}, {@link #roll}, {@link #revoke},
 * {@link #label}) run through the consumer and key services guarded by
 * {@link ConsumerGuard#manager(String) ConsumerGuard.manager(id)} in the session's bucket: a consumer the
 * manager does not manage, or one of another bucket, is not found ({@link NotFoundException}). They are audited
 * with actor {@code manager:ID} ({@link PortalSession#actor()}); keys are listed masked, and a new key is shown
 * in full once, in the answer that creates it.
 *
 * <p>Errors are typed as in the other services; database failures are {@link DatabaseUnavailableException}.
 * Thread-safe.
 */
public final class PortalService {

    /** The audit actor of a manager's operations is this prefix and the manager id. */
    public static final String ACTOR_PREFIX = "manager:";
    public static final int MIN_LINK_SECONDS = 60;
    public static final int MAX_LINK_SECONDS = 3600;
    public static final int DEFAULT_LINK_SECONDS = 900;
    /** The longest return URL. */
    public static final int MAX_RETURN_URL_LENGTH = 2048;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(8);
    /** The transition periods of {@link #roll}: now, 1 hour, 24 hours, 72 hours, 7 days. */
    public static final List<Duration> TRANSITIONS = List.of(Duration.ZERO, Duration.ofHours(1),
            Duration.ofHours(24), Duration.ofHours(72), Duration.ofDays(7));
    /** How many consumers a page of {@link #consumers} holds at most. */
    public static final int MAX_PAGE_SIZE = 100;

    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final Transactions transactions;
    private final Journal journal;
    private final ConsumerService consumers;
    private final KeyService keys;
    private final Duration idleTimeout;
    private final Duration lifetime;

    PortalService(Transactions transactions, Journal journal, ConsumerService consumers, KeyService keys,
            Duration idleTimeout, Duration lifetime) {
        this.transactions = transactions;
        this.journal = journal;
        this.consumers = consumers;
        this.keys = keys;
        this.idleTimeout = idleTimeout;
        this.lifetime = lifetime;
    }

    /**
     * This service with other session limits (the defaults: {@link #DEFAULT_IDLE_TIMEOUT},
     * {@link #DEFAULT_LIFETIME}). Limits apply to sessions as they are looked up, so changing them affects
     * open sessions too.
     *
     * @throws IllegalArgumentException unless {@code 0 < idleTimeout <= lifetime}
     */
    public PortalService withSessionLimits(Duration idleTimeout, Duration lifetime) {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(lifetime, "lifetime");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
        if (lifetime.compareTo(idleTimeout) < 0) {
            throw new IllegalArgumentException("lifetime must not be shorter than idleTimeout");
        }
        return new PortalService(transactions, journal, consumers, keys, idleTimeout, lifetime);
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration lifetime() {
        return lifetime;
    }

    // ---------------------------------------------------------------- links and sessions

    /**
     * Opens a portal link for {@code manager} in {@code bucket}, audited as {@code portal.open} by {@code actor}.
     * Expired links and sessions are purged in the same transaction.
     *
     * @param returnUrl where "back to the application" leads: an absolute http(s) URL of at most
     *     {@value #MAX_RETURN_URL_LENGTH} characters, or null
     * @param expiresIn {@value #MIN_LINK_SECONDS}..{@value #MAX_LINK_SECONDS} seconds; null for
     *     {@value #DEFAULT_LINK_SECONDS}
     * @return the link with its token: the only time the token exists in full
     * @throws InvalidInputException fields {@code manager} (1..{@value ConsumerService#MAX_MANAGER_LENGTH}
     *     characters), {@code returnUrl}, {@code expiresInSeconds}
     * @throws NotFoundException when there is no such bucket
     */
    public PortalLink open(String actor, String bucketName, String manager, String returnUrl, Duration expiresIn) {
        checkActor(actor);
        List<FieldError> errors = new ArrayList<>();
        checkManager(manager, errors);
        checkReturnUrl(returnUrl, errors);
        Duration validity = expiresIn == null ? Duration.ofSeconds(DEFAULT_LINK_SECONDS) : expiresIn;
        if (validity.compareTo(Duration.ofSeconds(MIN_LINK_SECONDS)) < 0
                || validity.compareTo(Duration.ofSeconds(MAX_LINK_SECONDS)) > 0) {
            errors.add(new FieldError("expiresInSeconds", "expiresInSeconds must be between " + MIN_LINK_SECONDS
                    + " and " + MAX_LINK_SECONDS));
        }
        throwIfAny(errors);
        String token = PortalTokens.newSecret();
        return transactions.write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            Instant now = transactions.now();
            purge(em, now);
            PortalLinkEntity link = new PortalLinkEntity();
            link.tokenHash = PortalTokens.hash(token);
            link.bucket = bucket.name;
            link.manager = manager;
            link.returnUrl = returnUrl;
            link.createdBy = actor;
            link.createdOn = now;
            link.expiresOn = now.plus(validity);
            em.persist(link);
            journal.audit(em, actor, "portal.open", "manager", manager,
                    "bucket=" + bucket.name + " expiresOn=" + link.expiresOn);
            return new PortalLink(token, bucket.name, manager, returnUrl, link.expiresOn);
        });
    }

    /**
     * Exchanges a link's token for a new session, once. Audited as {@code portal.session.open} by the manager.
     *
     * @return the session (with its secret {@link PortalSession#id()}), or empty for a token that is unknown,
     *     expired, already used or malformed: the caller cannot, and should not, tell which
     */
    public Optional<PortalSession> redeem(String token) {
        if (!PortalTokens.isWellFormed(token)) {
            return Optional.empty();
        }
        String hash = PortalTokens.hash(token);
        return transactions.write(null, em -> {
            Instant now = transactions.now();
            // the one redeem that flips used_on wins; a concurrent one finds it set and updates nothing
            int redeemed = em.createQuery("update PortalLink l set l.usedOn = :now where l.tokenHash = :hash"
                            + " and l.usedOn is null and l.expiresOn > :now")
                    .setParameter("now", now).setParameter("hash", hash).executeUpdate();
            if (redeemed != 1) {
                return Optional.<PortalSession>empty();
            }
            PortalLinkEntity link = em.createQuery("select l from PortalLink l where l.tokenHash = :hash",
                    PortalLinkEntity.class).setParameter("hash", hash).getSingleResult();
            String id = PortalTokens.newSecret();
            PortalSessionEntity session = new PortalSessionEntity();
            session.sessionHash = PortalTokens.hash(id);
            session.bucket = link.bucket;
            session.manager = link.manager;
            session.returnUrl = link.returnUrl;
            session.createdOn = now;
            session.lastSeenOn = now;
            session.expiresOn = now.plus(lifetime);
            em.persist(session);
            journal.audit(em, ACTOR_PREFIX + link.manager, "portal.session.open", "bucket", link.bucket, null);
            return Optional.of(view(id, session));
        });
    }

    /**
     * The session of a session id, if it is still alive; a use moves its idle timeout on. A session past its
     * idle timeout or lifetime is deleted.
     *
     * @return empty for an unknown, ended or malformed session id
     */
    public Optional<PortalSession> session(String sessionId) {
        if (!PortalTokens.isWellFormed(sessionId)) {
            return Optional.empty();
        }
        return transactions.write(null, em -> {
            PortalSessionEntity session = findSession(em, sessionId);
            if (session == null) {
                return Optional.<PortalSession>empty();
            }
            Instant now = transactions.now();
            if (!now.isBefore(session.expiresOn) || !now.isBefore(session.lastSeenOn.plus(idleTimeout))) {
                em.remove(session);
                return Optional.<PortalSession>empty();
            }
            if (Duration.between(session.lastSeenOn, now).compareTo(touchInterval()) >= 0) {
                session.lastSeenOn = now;
            }
            return Optional.of(view(sessionId, session));
        });
    }

    /** Ends a session (signing out), audited as {@code portal.session.end}; an unknown id changes nothing. */
    public void end(String sessionId) {
        if (!PortalTokens.isWellFormed(sessionId)) {
            return;
        }
        transactions.write(null, em -> {
            PortalSessionEntity session = findSession(em, sessionId);
            if (session != null) {
                em.remove(session);
                journal.audit(em, ACTOR_PREFIX + session.manager, "portal.session.end", "bucket", session.bucket,
                        null);
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- the manager's operations

    /**
     * A page of the consumers the session's manager manages, oldest first, each with its keys masked (revoked
     * and expired ones included).
     *
     * @param limit 1..{@value #MAX_PAGE_SIZE}; null for {@value #MAX_PAGE_SIZE}
     * @throws InvalidInputException for a bad limit or cursor
     * @throws NotFoundException when the session's bucket no longer exists
     */
    public Page<Consumer> consumers(PortalSession session, Integer limit, String cursor) {
        Objects.requireNonNull(session, "session");
        if (limit != null && (limit < 1 || limit > MAX_PAGE_SIZE)) {
            throw new InvalidInputException("limit", "limit must be between 1 and " + MAX_PAGE_SIZE);
        }
        return consumersOf(session).list(session.actor(), session.bucket(),
                new ConsumerQuery(limit == null ? MAX_PAGE_SIZE : limit, cursor, null, true, KeyFormat.MASKED));
    }

    /**
     * Creates a key (without policy) for a consumer the manager manages, labelled {@code label}.
     *
     * @return the key with its full text: the only time it is shown
     * @throws InvalidInputException for a too long label (field {@code description})
     * @throws NotFoundException for a consumer the manager does not manage
     */
    public ApiKey createKey(PortalSession session, String consumerName, String label) {
        return keysOf(session).create(session.actor(), session.bucket(), consumerName,
                NewKey.plain().withDescription(label));
    }

    /**
     * Rolls a consumer's keys: a new key (labelled {@code label}, with the policy of the newest active key), and
     * the active keys expire after {@code transition} ({@link Duration#ZERO}: revoked now).
     *
     * @param transition one of {@link #TRANSITIONS}
     * @return the new key with its full text
     * @throws InvalidInputException for another transition (field {@code transitionSeconds}) or a too long label
     * @throws NotFoundException for a consumer the manager does not manage
     */
    public ApiKey roll(PortalSession session, String consumerName, Duration transition, String label) {
        Objects.requireNonNull(session, "session");
        if (transition == null || !TRANSITIONS.contains(transition)) {
            throw new InvalidInputException("transitionSeconds", "transitionSeconds must be one of "
                    + String.join(", ", TRANSITIONS.stream().map(d -> Long.toString(d.toSeconds())).toList()));
        }
        Instant expiresOn = transition.isZero() ? null : transactions.now().plus(transition);
        return keysOf(session).roll(session.actor(), session.bucket(), consumerName, label, expiresOn);
    }

    /**
     * Revokes one key of a consumer the manager manages (a revoked key stays as it is).
     *
     * @throws NotFoundException for a consumer the manager does not manage, or a key not of that consumer
     */
    public void revoke(PortalSession session, String consumerName, String keyId) {
        keysOf(session).revoke(session.actor(), session.bucket(), consumerName, keyId);
    }

    /**
     * Changes the label (description) of a key; an empty label removes it.
     *
     * @return the key, without its text
     * @throws InvalidInputException for a label over {@value KeyManagement#MAX_DESCRIPTION_LENGTH} characters
     * @throws NotFoundException for a consumer the manager does not manage, or a key not of that consumer
     */
    public ApiKey label(PortalSession session, String consumerName, String keyId, String label) {
        return keysOf(session).update(session.actor(), session.bucket(), consumerName, keyId,
                KeyChanges.description(label == null ? "" : label));
    }

    // ---------------------------------------------------------------- internals

    private ConsumerService consumersOf(PortalSession session) {
        return consumers.guarded(ConsumerGuard.manager(session.manager()));
    }

    private KeyService keysOf(PortalSession session) {
        Objects.requireNonNull(session, "session");
        return keys.guarded(ConsumerGuard.manager(session.manager()));
    }

    private Duration touchInterval() {
        Duration tenth = idleTimeout.dividedBy(10);
        return tenth.compareTo(TOUCH_INTERVAL) < 0 ? tenth : TOUCH_INTERVAL;
    }

    private PortalSession view(String id, PortalSessionEntity session) {
        Instant idleEnd = session.lastSeenOn.plus(idleTimeout);
        return new PortalSession(id, session.bucket, session.manager, session.returnUrl, session.createdOn,
                session.expiresOn, idleEnd.isBefore(session.expiresOn) ? idleEnd : session.expiresOn);
    }

    private static PortalSessionEntity findSession(jakarta.persistence.EntityManager em, String sessionId) {
        return em.createQuery("select s from PortalSession s where s.sessionHash = :hash", PortalSessionEntity.class)
                .setParameter("hash", PortalTokens.hash(sessionId)).getResultStream().findFirst().orElse(null);
    }

    /** Links past their expiry and sessions past their lifetime or idle timeout are of no use to anyone. */
    private void purge(jakarta.persistence.EntityManager em, Instant now) {
        em.createQuery("delete from PortalLink l where l.expiresOn <= :now").setParameter("now", now)
                .executeUpdate();
        em.createQuery("delete from PortalSession s where s.expiresOn <= :now or s.lastSeenOn <= :idle")
                .setParameter("now", now).setParameter("idle", now.minus(idleTimeout)).executeUpdate();
    }

    private static void checkManager(String manager, List<FieldError> errors) {
        if (manager == null || manager.isEmpty() || manager.length() > ConsumerService.MAX_MANAGER_LENGTH) {
            errors.add(new FieldError("manager", "manager must be 1 to " + ConsumerService.MAX_MANAGER_LENGTH
                    + " characters"));
        } else if (!TextChecks.isStorable(manager)) {
            errors.add(new FieldError("manager", TextChecks.UNSTORABLE));
        }
    }

    /** An absolute http(s) URL with a host, at most {@value #MAX_RETURN_URL_LENGTH} characters; null is none. */
    static void checkReturnUrl(String returnUrl, List<FieldError> errors) {
        if (returnUrl == null) {
            return;
        }
        String message = "returnUrl must be an absolute http or https URL of at most " + MAX_RETURN_URL_LENGTH
                + " characters";
        if (returnUrl.length() > MAX_RETURN_URL_LENGTH) {
            errors.add(new FieldError("returnUrl", message));
            return;
        }
        try {
            URI uri = new URI(returnUrl);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getRawUserInfo() != null) {
                errors.add(new FieldError("returnUrl", message));
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldError("returnUrl", message));
        }
    }
}
