package dev.gatekey.examples.dualauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.persistence.GatekeyDatabase;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.store.StoreSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * The example as it deploys (its {@code web.xml}) in embedded Tomcat, with what it needs made at run time: an H2 key
 * store with the bucket {@code demo-live} (and {@code other-live}), and an RSA signing key whose public half is the
 * JWKS the JWT filter reads. Nothing secret is committed: the signing key lives in memory (the demo writes it to
 * {@code target/} only).
 */
final class DualAuthServer implements AutoCloseable {

    static final String ISSUER = "https://issuer.example";
    static final String AUDIENCE = "dual-auth-api";

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RSAKey signingKey;
    final KeyManagement keys;
    private final GatekeyDatabase database;
    private final Tomcat tomcat = new Tomcat();
    private final int port;

    DualAuthServer(Path webapp, Path work, int port) throws Exception {
        Files.createDirectories(work);
        String jdbcUrl = "jdbc:h2:mem:dual-auth-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        database = GatekeyDatabase.open(StoreSettings.jdbc(jdbcUrl, null, null));
        keys = new KeyManagement(database, ApiKeyFormat.crc32(), null, Clock.systemUTC());
        keys.buckets().create("demo", "demo-live", "keys of the dual-auth example", "demo_live", false);
        keys.buckets().create("demo", "other-live", "a bucket the example does not accept", "other_live", false);

        signingKey = new RSAKeyGenerator(2048).keyID("demo-" + UUID.randomUUID()).generate();
        Path jwks = work.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(signingKey.toPublicJWK()).toString(), StandardCharsets.UTF_8);
        System.setProperty("dualauth.jdbcUrl", jdbcUrl);
        System.setProperty("dualauth.jwks", jwks.toString());

        tomcat.setBaseDir(Files.createDirectories(work.resolve("tomcat")).toString());
        tomcat.setPort(port);
        tomcat.getConnector();
        Context context = tomcat.addWebapp("", webapp.toAbsolutePath().toString());
        // the test class path holds the example's classes and jars: nothing to scan for annotations
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false);
        context.setJarScanner(scanner);
        context.addServletContainerInitializer(
                (classes, ctx) -> ctx.setAttribute(GatekeyMetrics.METER_REGISTRY_ATTRIBUTE, registry), null);
        tomcat.start();
        this.port = tomcat.getConnector().getLocalPort();
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    /** A new consumer of {@code bucket} with {@code metadata}, and its first key. */
    String issueKey(String bucket, String consumer, Map<String, Object> metadata) {
        return keys.consumers().create("demo", bucket, new NewConsumer(consumer, null, metadata, null), true)
                .apiKeys().get(0).key();
    }

    /** A JWT of {@code sub} with {@code roles}, expiring {@code expiresIn} from now (negative: already expired). */
    String token(String sub, List<String> roles, Duration expiresIn) throws JOSEException {
        return token(sub, roles, expiresIn, signingKey);
    }

    /** The same, signed by {@code key} (a key the JWKS does not hold: a bad signature). */
    String token(String sub, List<String> roles, Duration expiresIn, RSAKey key) throws JOSEException {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(sub).claim("roles", roles)
                        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(expiresIn))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Override
    public void close() throws LifecycleException, IOException {
        tomcat.stop();
        tomcat.destroy();
        database.close();
    }
}
