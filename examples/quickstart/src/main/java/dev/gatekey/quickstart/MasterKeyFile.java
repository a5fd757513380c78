package dev.gatekey.quickstart;

import dev.gatekey.persistence.MasterKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The quickstart's master key ({@code DIR/}{@value #FILE_NAME}), which lets the admin WAR encrypt the keys of
 * retrievable buckets: generated on the first start (256 random bits, key id {@value #KEY_ID}) into a file only
 * its owner may read, and reused on every later start, so keys stored under it can still be revealed.
 *
 * <p>The file holds the {@code gatekey.masterKeys} format, {@code id:BASE64[,id:BASE64...]}: a key can be
 * rotated by putting a new {@code id:BASE64} in front of the old one.
 */
final class MasterKeyFile {

    static final String FILE_NAME = "master-key";
    static final String KEY_ID = "quickstart-1";

    private static final Logger LOG = Logger.getLogger(MasterKeyFile.class.getName());
    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private MasterKeyFile() {
    }

    /**
     * The master keys in {@code file}, generating the file first when it does not exist.
     *
     * @return the value for {@code gatekey.masterKeys}
     * @throws Quickstart.StartupException when the file cannot be written or read, or does not hold master keys
     */
    static String readOrCreate(Path file) throws Quickstart.StartupException {
        if (Files.notExists(file)) {
            create(file);
        }
        return read(file);
    }

    /**
     * Writes a new key to a private file next to the target, then moves it into place: a start that dies
     * half-way leaves no empty key file behind, and the key is never readable by others, not even briefly.
     */
    private static void create(Path file) throws Quickstart.StartupException {
        Path prepared = null;
        try {
            prepared = privateFile(file);
            Files.writeString(prepared, KEY_ID + ":" + MasterKeys.generateKey() + System.lineSeparator(),
                    StandardCharsets.US_ASCII);
            try {
                // no REPLACE_EXISTING: an existing key is never overwritten
                Files.move(prepared, file);
            } catch (FileAlreadyExistsException e) {
                return; // another start got there first: its key is the one
            }
            prepared = null;
            LOG.info("Created master key " + KEY_ID + " in " + file + " (owner-only): retrievable buckets work;"
                    + " back it up, keys of retrievable buckets cannot be revealed without it");
        } catch (IOException e) {
            throw new Quickstart.StartupException("cannot write the master key file " + file + " ("
                    + Quickstart.oneLine(e) + ")");
        } finally {
            if (prepared != null) {
                try {
                    Files.deleteIfExists(prepared);
                } catch (IOException e) {
                    LOG.warning("Could not delete " + prepared + ": " + Quickstart.oneLine(e));
                }
            }
        }
    }

    private static Path privateFile(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            return Files.createTempFile(dir, "." + FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
        }
        Path prepared = Files.createTempFile(dir, "." + FILE_NAME, ".tmp");
        LOG.warning("The file system of " + dir + " has no POSIX permissions: restrict access to " + file
                + " yourself");
        return prepared;
    }

    private static String read(Path file) throws Quickstart.StartupException {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.US_ASCII).trim();
            warnIfOthersMayRead(file);
        } catch (IOException e) {
            throw new Quickstart.StartupException("cannot read the master key file " + file + " ("
                    + Quickstart.oneLine(e) + ")");
        }
        try {
            MasterKeys.parse(content);
        } catch (IllegalArgumentException e) {
            // MasterKeys messages name key ids, never key bytes
            throw new Quickstart.StartupException("the master key file " + file + " does not hold master keys ("
                    + Quickstart.oneLine(e) + "): restore it from a backup, or delete it to start with a new key"
                    + " (keys stored under the old one can then no longer be revealed)");
        }
        return content;
    }

    private static void warnIfOthersMayRead(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_READ_WRITE.containsAll(permissions)) {
            LOG.warning("The master key file " + file + " is " + PosixFilePermissions.toString(permissions)
                    + ": others may read it; chmod 600 it");
        }
    }
}
