package dev.gatekey.quickstart;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.quickstart.Quickstart.StartupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The quickstart's data directory ({@code --data}), held by one quickstart at a time through
 * {@value Quickstart#LOCK_FILE}: the H2 database file, and the web applications it deploys, copied fresh into
 * {@code webapps} at each start.
 */
final class DataDirectory implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DataDirectory.class.getName());

    private final Path dir;
    private final FileChannel lock;

    private DataDirectory(Path dir, FileChannel lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and takes its lock, held until {@link #close()}, before anything in it is
     * touched: a second quickstart on the same directory stops here instead of replacing the running one's web
     * applications under it.
     */
    static DataDirectory lock(Path dir) throws StartupException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StartupException("cannot create data directory " + dir + " (" + Quickstart.oneLine(e) + ")");
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new StartupException("data directory " + dir + " is not a writable directory");
        }
        String inUse = "data directory " + dir + " is in use by another quickstart: stop it, or use another --data";
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dir.resolve(Quickstart.LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                throw new StartupException(inUse);
            }
            return new DataDirectory(dir, channel);
        } catch (OverlappingFileLockException e) {
            // held by a quickstart in this JVM
            closeQuietly(channel);
            throw new StartupException(inUse);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StartupException("cannot lock data directory " + dir + " (" + Quickstart.oneLine(e) + ")");
        } catch (StartupException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Copies the two bundled WARs into {@code webapps} as {@code ROOT.war} and {@code admin.war}, removing what an
     * earlier start expanded, and creates Tomcat's work directory.
     *
     * @return the {@code webapps} directory
     */
    Path prepareWebapps(String rootWar, String adminWar) throws StartupException {
        Path webapps = dir.resolve("webapps");
        try {
            Files.createDirectories(dir.resolve("tomcat"));
            Files.createDirectories(webapps);
            // a fresh copy each start, and no expanded directory left from another version
            copyWar(rootWar, webapps.resolve("ROOT.war"));
            copyWar(adminWar, webapps.resolve("admin.war"));
            deleteTree(webapps.resolve("ROOT"));
            deleteTree(webapps.resolve("admin"));
        } catch (IOException e) {
            throw new StartupException("cannot write to data directory " + dir + " (" + Quickstart.oneLine(e) + ")");
        }
        return webapps;
    }

    private static void copyWar(String resource, Path target) throws IOException, StartupException {
        try (InputStream war = Quickstart.class.getResourceAsStream("webapps/" + resource)) {
            if (war == null) {
                throw new StartupException("the jar does not contain webapps/" + resource + ": rebuild it with Maven");
            }
            Files.copy(war, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    /** A pool of connections to the H2 database file {@code gatekey} in the directory. */
    HikariDataSource openPool() throws StartupException {
        JdbcDataSource h2 = new JdbcDataSource();
        // the pool closes the database; H2's own shutdown hook would close it under a Tomcat still stopping.
        // WRITE_DELAY=0: a commit reaches the file before the API answers 2xx (H2 defaults to 500 ms later, and
        // a killed process then loses acknowledged writes)
        h2.setURL("jdbc:h2:file:" + dir.resolve("gatekey") + ";DB_CLOSE_ON_EXIT=FALSE;" + Quickstart.H2_DURABLE_WRITES);
        HikariConfig config = new HikariConfig();
        config.setDataSource(h2);
        config.setPoolName("gatekey-quickstart");
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(GatekeyDatabase.CONNECTION_TIMEOUT_MILLIS);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StartupException("cannot open the database in " + dir + " ("
                    + Quickstart.oneLine(Quickstart.rootCause(e)) + "); is another quickstart using it?");
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        closeQuietly(lock);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close(); // releases the lock
        } catch (IOException e) {
            LOG.log(Level.FINE, "Could not close the data directory lock", e);
        }
    }
}
