package dev.gatekey.persistence;

import static dev.gatekey.persistence.InputChecks.checkActor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Self-serve keys for applications that share Gatekey's database: give each of the application's users a
 * consumer they manage ({@link Consumer#managers()}) and a first key, at their first sign-in. Get one from
 * {@link KeyManagement#selfServe()}.
 *
 * <p><b>Idempotency key: the consumer's name.</b> {@link #provision} looks the consumer up by name in the
 * bucket; the name is the template's, or {@link #consumerNameFor(String)} of the user when the template has
 * none. Run it at every sign-in: the first call creates the consumer (managers = the template's plus the user)
 * and its key, and returns the key in full; later calls, and every call that lost a race with a concurrent
 * first sign-in of the same user, return the existing consumer and no key. The bucket's unique active name
 * decides such races in the database, so however many nodes and threads sign the same user in at once,
 * exactly one consumer and one key come out. A consumer of that name that the user does not manage (made by
 * an operator, or for another user whose id derives the same name) is never taken over:
 * {@link ConflictException}.
 *
 * <pre>{@code
 * Provisioned p = keys.selfServe().provision("app:signin", "shop-api", user.email(),
 *         NewConsumer.named(null), NewKey.plain().withDescription("first key"));
 * if (p.created()) {
 *     page.showOnce(p.key().key());          // the only time the key is shown
 * }
 * }</pre>
 *
 * <p>The creation is one transaction and is audited like any other ({@code consumer.create} and the key's
 * creation under {@code actor}). Errors are typed as in {@link ConsumerService}. Thread-safe.
 */
public final class SelfServeService {

    /** Names of consumers derived from user ids that are not valid names themselves ({@link #consumerNameFor}). */
    public static final String DERIVED_NAME_PREFIX = "user-";

    private static final Pattern CONSUMER_NAME = Pattern.compile(ConsumerService.CONSUMER_NAME_REGEX);
    /** Get, create, get again after a lost race, create again if the winner was deleted meanwhile, and so on. */
    private static final int ATTEMPTS = 3;

    private final ConsumerService consumers;

    SelfServeService(ConsumerService consumers) {
        this.consumers = Objects.requireNonNull(consumers, "consumers");
    }

    /**
     * The user's consumer, created with its first key if it does not exist yet (see the class comment).
     *
     * @param actor who acts, for the audit trail (e.g. {@code app:signin})
     * @param user the application's user id: 1 to {@value ConsumerService#MAX_MANAGER_LENGTH} characters
     * @param template the consumer to create: description, metadata, tags, more managers; its name is the
     *     idempotency key, null = {@link #consumerNameFor(String) derived from the user}; a null template is
     *     {@code NewConsumer.named(null)}
     * @param key the first key to create (description, expiry, policy); null = {@link NewKey#plain()}
     * @throws InvalidInputException for a bad user (field {@code user}), or a bad template or key (their fields)
     * @throws NotFoundException when there is no such bucket
     * @throws ConflictException when a consumer of that name exists and the user does not manage it
     */
    public Provisioned provision(String actor, String bucket, String user, NewConsumer template, NewKey key) {
        checkActor(actor);
        if (template == null) {
            template = NewConsumer.named(null);
        }
        checkUser(user);
        String name = template.name() == null ? consumerNameFor(user) : template.name();
        List<String> managers = new ArrayList<>(template.managers() == null ? List.of() : template.managers());
        if (!managers.contains(user)) {
            managers.add(user);
        }
        NewConsumer consumer = new NewConsumer(name, template.description(), template.metadata(), template.tags(),
                managers);
        ConflictException lost = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Consumer existing = find(bucket, name);
            if (existing != null) {
                if (!existing.managers().contains(user)) {
                    throw new ConflictException("consumer " + name + " of bucket " + bucket
                            + " exists and is not managed by " + user);
                }
                return new Provisioned(existing, false, null);
            }
            try {
                Consumer created = consumers.create(actor, bucket, consumer, key == null ? NewKey.plain() : key);
                return new Provisioned(withoutKeys(created), true, created.apiKeys().get(0));
            } catch (ConflictException e) {
                lost = e; // a concurrent sign-in created it first: read it again
            }
        }
        throw lost;
    }

    /**
     * The consumer name {@link #provision} uses for a user when the template has none: the user id itself
     * when it is a valid consumer name ({@value ConsumerService#CONSUMER_NAME_REGEX}, e.g. most e-mail
     * addresses and numeric ids), else {@value #DERIVED_NAME_PREFIX} and 32 hex digits of its SHA-256.
     */
    public static String consumerNameFor(String user) {
        checkUser(user);
        if (CONSUMER_NAME.matcher(user).matches()) {
            return user;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
            return DERIVED_NAME_PREFIX + HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void checkUser(String user) {
        if (user == null || user.isEmpty() || user.length() > ConsumerService.MAX_MANAGER_LENGTH) {
            throw new InvalidInputException("user",
                    "user must be 1 to " + ConsumerService.MAX_MANAGER_LENGTH + " characters");
        }
        if (!TextChecks.isStorable(user)) {
            throw new InvalidInputException("user", TextChecks.UNSTORABLE);
        }
    }

    /** The consumer, or null when the bucket has none of that name (a missing bucket is still an error). */
    private Consumer find(String bucket, String name) {
        try {
            return consumers.get(bucket, name, false, KeyFormat.NONE);
        } catch (NotFoundException e) {
            if ("consumer".equals(e.what())) {
                return null;
            }
            throw e;
        }
    }

    private static Consumer withoutKeys(Consumer c) {
        return new Consumer(c.id(), c.name(), c.description(), c.metadata(), c.tags(), c.managers(), c.createdOn(),
                c.updatedOn(), null);
    }
}
