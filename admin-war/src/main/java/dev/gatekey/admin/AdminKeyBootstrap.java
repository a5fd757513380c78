package dev.gatekey.admin;

import dev.gatekey.admin.access.AdminAccess;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.Bucket;
import dev.gatekey.persistence.ConflictException;
import dev.gatekey.persistence.Consumer;
import dev.gatekey.persistence.ConsumerQuery;
import dev.gatekey.persistence.KeyFormat;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.persistence.NotFoundException;
import dev.gatekey.persistence.Page;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * First start: creates the reserved admin bucket and, when it has no consumer yet, the consumer
 * {@value #ADMIN_CONSUMER} with role {@code admin} and one key. The key goes to a file readable by its
 * owner only, and to standard output once, inside a banner; it is never logged.
 *
 * <p>Several nodes may start together on a fresh database: a {@link ConflictException} from the bucket or
 * consumer create means another node won, and this one creates nothing. The key file is prepared (created
 * with owner-only permissions) <em>before</em> the key exists, so an unwritable location fails the start
 * without leaving an admin key nobody has.
 */
public final class AdminKeyBootstrap {

    /** The reserved bucket of admin keys. */
    public static final String ADMIN_BUCKET = AdminAccess.ADMIN_BUCKET;
    /** Key prefix of admin keys. */
    public static final String ADMIN_KEY_PREFIX = "gkadm";
    /** The consumer created at first start. */
    public static final String ADMIN_CONSUMER = "admin";
    /** Actor of the audit events written at first start. */
    public static final String ACTOR = "gatekey-admin-bootstrap";

    private static final Logger LOG = Logger.getLogger(AdminKeyBootstrap.class.getName());
    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    /** What a start did. */
    public enum Outcome {
        /** This start created the admin consumer and its key. */
        CREATED,
        /** The admin bucket already had consumers: nothing created. */
        EXISTED,
        /** Another node created the admin consumer at the same time: nothing created here. */
        OTHER_NODE_CREATED
    }

    private final KeyManagement keys;
    private final Path keyFile;
    private final PrintStream out;
    private final Clock clock;

    public AdminKeyBootstrap(KeyManagement keys, Path keyFile, PrintStream out, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.keyFile = Objects.requireNonNull(keyFile, "keyFile").toAbsolutePath();
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Runs the first-start check.
     *
     * @throws IllegalStateException when the admin bucket exists with another prefix or retrievable keys
     * @throws UncheckedIOException when the key file cannot be written
     */
    public Outcome run() {
        ensureBucket();
        Page<Consumer> first = keys.consumers().list(ADMIN_BUCKET, new ConsumerQuery(1, null, null, false, KeyFormat.NONE));
        if (!first.data().isEmpty()) {
            warnWithoutActiveKey();
            return Outcome.EXISTED;
        }
        Path prepared = prepareKeyFile();
        Consumer admin;
        try {
            admin = keys.consumers().create(ACTOR, ADMIN_BUCKET, new NewConsumer(ADMIN_CONSUMER,
                    "Administrator created at first start", Map.of("roles", List.of(AdminAccess.ROLE_ADMIN)), null),
                    true);
        } catch (ConflictException e) {
            deleteQuietly(prepared);
            LOG.info("Gatekey admin consumer was created by another node: no admin key created here");
            return Outcome.OTHER_NODE_CREATED;
        } catch (RuntimeException e) {
            deleteQuietly(prepared);
            throw e;
        }
        ApiKey key = admin.apiKeys().get(0);
        try {
            Files.writeString(prepared, key.key() + System.lineSeparator(), StandardCharsets.UTF_8);
            Files.move(prepared, keyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(prepared);
            // the banner below is then the only copy: say so rather than fail a start that created the key
            LOG.log(Level.SEVERE, "Could not write the Gatekey admin key file " + keyFile
                    + ": copy the key from standard output now", e);
        }
        printBanner(key.key());
        LOG.info("Gatekey admin key " + key.id() + " created for consumer " + ADMIN_CONSUMER + " and written to "
                + keyFile);
        return Outcome.CREATED;
    }

    private void ensureBucket() {
        Bucket bucket;
        try {
            bucket = keys.buckets().get(ADMIN_BUCKET);
        } catch (NotFoundException e) {
            try {
                bucket = keys.buckets().create(ACTOR, ADMIN_BUCKET, "Gatekey admin API keys", ADMIN_KEY_PREFIX, false);
            } catch (ConflictException raced) {
                bucket = keys.buckets().get(ADMIN_BUCKET);
            }
        }
        if (!ADMIN_KEY_PREFIX.equals(bucket.keyPrefix()) || bucket.retrievable()) {
            throw new IllegalStateException("Bucket " + ADMIN_BUCKET + " exists with key prefix " + bucket.keyPrefix()
                    + " and retrievable=" + bucket.retrievable() + ": the admin bucket must have prefix "
                    + ADMIN_KEY_PREFIX + " and irretrievable keys");
        }
    }

    private void warnWithoutActiveKey() {
        String cursor = null;
        do {
            Page<Consumer> page = keys.consumers().list(ADMIN_BUCKET,
                    new ConsumerQuery(KeyManagement.MAX_PAGE_SIZE, cursor, null, true, KeyFormat.NONE));
            for (Consumer consumer : page.data()) {
                for (ApiKey key : consumer.apiKeys()) {
                    if (key.isActiveAt(clock.instant())) {
                        return;
                    }
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        LOG.warning("Bucket " + ADMIN_BUCKET + " has consumers but no active admin key: sign in as a container user in"
                + " role " + AdminAccess.CONTAINER_ROLE + " to create one, or delete the bucket's consumers and restart"
                + " to get a new first-start key");
    }

    /** An empty file next to the target, created with owner-only permissions where the file system has them. */
    private Path prepareKeyFile() {
        try {
            Path dir = keyFile.getParent();
            Files.createDirectories(dir);
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return Files.createTempFile(dir, ".gatekey-admin-key-", ".tmp",
                        PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
            }
            LOG.warning("The file system of " + dir + " has no POSIX permissions: restrict access to " + keyFile
                    + " yourself");
            return Files.createTempFile(dir, ".gatekey-admin-key-", ".tmp");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Gatekey admin key file next to " + keyFile
                    + " (set context parameter " + AdminSettings.ADMIN_KEY_FILE + ")", e);
        }
    }

    private void printBanner(String key) {
        String line = "=".repeat(78);
        out.println(line);
        out.println(" Gatekey admin key (shown once; also written to " + keyFile + "):");
        out.println();
        out.println("   " + key);
        out.println();
        out.println(" Use it as: Authorization: Bearer <key>");
        out.println(line);
        out.flush();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.FINE, "Could not delete " + file, e);
        }
    }
}
