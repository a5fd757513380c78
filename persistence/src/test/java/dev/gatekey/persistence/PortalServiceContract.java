package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.store.KeyHashes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link PortalService}: links, sessions and the manager's operations, on one database. */
abstract class PortalServiceContract extends DatabaseTestBase {

    private static final String RETURN_URL = "https://app.example.com/settings/api-keys";

    private PortalService portal() {
        return km.portal();
    }

    private Consumer managedBy(Bucket bucket, String manager) {
        return km.consumers().create(ACTOR, bucket.name(),
                new NewConsumer(unique("c"), null, null, null, List.of(manager)), true);
    }

    private PortalSession sessionOf(Bucket bucket, String manager) {
        PortalLink link = portal().open(ACTOR, bucket.name(), manager, RETURN_URL, null);
        return portal().redeem(link.token()).orElseThrow();
    }

    private List<AuditEvent> recentAudit() {
        return km.audit().list(50, null).data();
    }

    private String storedColumns(String table) {
        try (Connection c = db.dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select * from " + table);
                ResultSet r = s.executeQuery()) {
            StringBuilder all = new StringBuilder();
            while (r.next()) {
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    all.append(r.getString(i)).append('|');
                }
            }
            return all.toString();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- links

    @Test
    void openWhenValidThenTokenOf256BitsAndOnlyItsHashStored() {
        Bucket bucket = newBucket(false);
        PortalLink link = portal().open(ACTOR, bucket.name(), "alice@example.com", RETURN_URL, null);
        assertThat(link.token()).matches("[A-Za-z0-9_-]{43}");
        assertThat(link.expiresOn()).isEqualTo(now().plusSeconds(PortalService.DEFAULT_LINK_SECONDS));
        String stored = storedColumns("gk_portal_link");
        assertThat(stored).doesNotContain(link.token()).contains(KeyHashes.sha256Hex(link.token()));
        assertThat(link.toString()).doesNotContain(link.token());
    }

    @Test
    void openWhenCalledThenAuditedWithoutToken() {
        Bucket bucket = newBucket(false);
        PortalLink link = portal().open(ACTOR, bucket.name(), "audited@example.com", null, Duration.ofMinutes(5));
        AuditEvent event = recentAudit().get(0);
        assertThat(event.actor()).isEqualTo(ACTOR);
        assertThat(event.action()).isEqualTo("portal.open");
        assertThat(event.targetId()).isEqualTo("audited@example.com");
        assertThat(event.detail()).contains("bucket=" + bucket.name()).doesNotContain(link.token());
    }

    @Test
    void openWhenExpiryOutsideOneMinuteToOneHourThenFieldError() {
        Bucket bucket = newBucket(false);
        for (Duration expiresIn : List.of(Duration.ofSeconds(59), Duration.ofSeconds(3601), Duration.ZERO)) {
            FieldError error = errorOf(() -> portal().open(ACTOR, bucket.name(), "m", null, expiresIn));
            assertThat(error).isEqualTo(new FieldError("expiresInSeconds",
                    "expiresInSeconds must be between 60 and 3600"));
        }
        assertThat(portal().open(ACTOR, bucket.name(), "m", null, Duration.ofSeconds(60)).expiresOn())
                .isEqualTo(now().plusSeconds(60));
        assertThat(portal().open(ACTOR, bucket.name(), "m", null, Duration.ofSeconds(3600)).expiresOn())
                .isEqualTo(now().plusSeconds(3600));
    }

    @Test
    void openWhenManagerEmptyOrTooLongThenFieldError() {
        Bucket bucket = newBucket(false);
        for (String manager : new String[] {null, "", "m".repeat(255)}) {
            assertThat(errorOf(() -> portal().open(ACTOR, bucket.name(), manager, null, null)))
                    .isEqualTo(new FieldError("manager", "manager must be 1 to 254 characters"));
        }
    }

    @Test
    void openWhenManagerOfMaximalLengthThenItsActorIsAudited() {
        Bucket bucket = newBucket(false);
        String manager = "m".repeat(ConsumerService.MAX_MANAGER_LENGTH);
        managedBy(bucket, manager);
        PortalSession session = sessionOf(bucket, manager);
        assertThat(recentAudit().get(0).actor()).isEqualTo("manager:" + manager).hasSize(262);
        assertThat(session.actor()).isEqualTo("manager:" + manager);
    }

    @Test
    void openWhenReturnUrlNotAnAbsoluteHttpUrlThenFieldError() {
        Bucket bucket = newBucket(false);
        String message = "returnUrl must be an absolute http or https URL of at most 2048 characters";
        for (String url : List.of("/settings", "javascript:alert(1)", "ftp://example.com/", "https://",
                "https://user:pw@example.com/", "https://exa mple.com/", "https://example.com/" + "x".repeat(2030))) {
            assertThat(errorOf(() -> portal().open(ACTOR, bucket.name(), "m", url, null)))
                    .as(url).isEqualTo(new FieldError("returnUrl", message));
        }
        assertThat(portal().open(ACTOR, bucket.name(), "m", "http://localhost:8080/app?x=1#k", null).returnUrl())
                .isEqualTo("http://localhost:8080/app?x=1#k");
    }

    @Test
    void openWhenBucketUnknownThenNotFound() {
        assertThatThrownBy(() -> portal().open(ACTOR, unique("nobucket"), "m", null, null))
                .isInstanceOf(NotFoundException.class);
    }

    // ---------------------------------------------------------------- redeem and sessions

    @Test
    void redeemWhenValidThenSessionOfTheLinksManagerAndBucket() {
        Bucket bucket = newBucket(false);
        PortalSession session = sessionOf(bucket, "bob@example.com");
        assertThat(session.bucket()).isEqualTo(bucket.name());
        assertThat(session.manager()).isEqualTo("bob@example.com");
        assertThat(session.returnUrl()).isEqualTo(RETURN_URL);
        assertThat(session.id()).matches("[A-Za-z0-9_-]{43}");
        assertThat(session.expiresOn()).isEqualTo(now().plus(PortalService.DEFAULT_LIFETIME));
        assertThat(session.idleExpiresOn()).isEqualTo(now().plus(PortalService.DEFAULT_IDLE_TIMEOUT));
        assertThat(storedColumns("gk_portal_session")).doesNotContain(session.id())
                .contains(KeyHashes.sha256Hex(session.id()));
        assertThat(session.toString()).doesNotContain(session.id()).doesNotContain(session.csrfToken());
        AuditEvent event = recentAudit().get(0);
        assertThat(event.actor()).isEqualTo("manager:bob@example.com");
        assertThat(event.action()).isEqualTo("portal.session.open");
    }

    @Test
    void redeemWhenUsedTwiceThenSecondRefused() {
        Bucket bucket = newBucket(false);
        PortalLink link = portal().open(ACTOR, bucket.name(), "m", null, null);
        assertThat(portal().redeem(link.token())).isPresent();
        assertThat(portal().redeem(link.token())).isEmpty();
    }

    @Test
    void redeemWhenExpiredThenRefused() {
        Bucket bucket = newBucket(false);
        PortalLink link = portal().open(ACTOR, bucket.name(), "m", null, Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(60));
        assertThat(portal().redeem(link.token())).isEmpty();
    }

    @Test
    void redeemWhenUnknownOrMalformedOrForgedThenRefused() {
        Bucket bucket = newBucket(false);
        PortalLink link = portal().open(ACTOR, bucket.name(), "m", null, null);
        String forged = link.token().substring(0, 42) + (link.token().endsWith("A") ? "B" : "A");
        for (String token : new String[] {null, "", "short", forged, link.token() + "x", KeyHashes.sha256Hex(link.token())}) {
            assertThat(portal().redeem(token)).as(String.valueOf(token)).isEmpty();
        }
        assertThat(portal().redeem(link.token())).as("the real one still works").isPresent();
    }

    @Test
    void redeemWhenConcurrentThenExactlyOneSession() throws Exception {
        Bucket bucket = newBucket(false);
        PortalLink link = portal().open(ACTOR, bucket.name(), "m", null, null);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Optional<PortalSession>>> tasks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                tasks.add(() -> portal().redeem(link.token()));
            }
            long sessions = 0;
            for (Future<Optional<PortalSession>> f : pool.invokeAll(tasks)) {
                sessions += f.get().isPresent() ? 1 : 0;
            }
            assertThat(sessions).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sessionWhenUsedWithinIdleTimeoutThenKeptUntilLifetime() {
        Bucket bucket = newBucket(false);
        PortalService limited = portal().withSessionLimits(Duration.ofMinutes(10), Duration.ofMinutes(25));
        PortalSession opened = limited.redeem(limited.open(ACTOR, bucket.name(), "m", null, null).token())
                .orElseThrow();
        for (int i = 0; i < 2; i++) {
            clock.advance(Duration.ofMinutes(9));
            assertThat(limited.session(opened.id())).as("after %d x 9 min", i + 1).isPresent();
        }
        clock.advance(Duration.ofMinutes(7));
        assertThat(limited.session(opened.id())).as("past the lifetime").isEmpty();
    }

    @Test
    void sessionWhenIdleTooLongThenEndedForGood() {
        Bucket bucket = newBucket(false);
        PortalService limited = portal().withSessionLimits(Duration.ofMinutes(10), Duration.ofHours(1));
        PortalSession opened = limited.redeem(limited.open(ACTOR, bucket.name(), "m", null, null).token())
                .orElseThrow();
        clock.advance(Duration.ofMinutes(10));
        assertThat(limited.session(opened.id())).isEmpty();
        clock.set(clock.instant().minus(Duration.ofMinutes(10)));
        assertThat(limited.session(opened.id())).as("deleted, not just refused").isEmpty();
    }

    @Test
    void sessionWhenUnknownOrMalformedThenEmpty() {
        assertThat(portal().session(null)).isEmpty();
        assertThat(portal().session("x".repeat(43))).isEmpty();
        assertThat(portal().session("not a session")).isEmpty();
    }

    @Test
    void endWhenCalledThenSessionGoneAndAudited() {
        Bucket bucket = newBucket(false);
        PortalSession session = sessionOf(bucket, "m");
        portal().end(session.id());
        assertThat(portal().session(session.id())).isEmpty();
        assertThat(recentAudit().get(0).action()).isEqualTo("portal.session.end");
    }

    @Test
    void csrfTokenWhenComparedThenOnlyTheSessionsOwnMatches() {
        Bucket bucket = newBucket(false);
        PortalSession one = sessionOf(bucket, "m");
        PortalSession two = sessionOf(bucket, "m");
        assertThat(one.isCsrfToken(one.csrfToken())).isTrue();
        assertThat(one.isCsrfToken(portal().session(one.id()).orElseThrow().csrfToken())).isTrue();
        assertThat(one.isCsrfToken(two.csrfToken())).isFalse();
        assertThat(one.isCsrfToken(null)).isFalse();
        assertThat(one.isCsrfToken(one.id())).isFalse();
        assertThat(one.csrfToken()).isNotEqualTo(one.id());
    }

    @Test
    void withSessionLimitsWhenIdleLongerThanLifetimeThenRefused() {
        assertThatThrownBy(() -> portal().withSessionLimits(Duration.ofHours(2), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lifetime must not be shorter than idleTimeout");
        assertThatThrownBy(() -> portal().withSessionLimits(Duration.ZERO, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("idleTimeout must be positive");
    }

    // ---------------------------------------------------------------- the manager's operations

    @Test
    void consumersWhenListedThenOnlyTheManagersWithKeysMasked() {
        Bucket bucket = newBucket(true);
        Consumer mine = managedBy(bucket, "carol");
        managedBy(bucket, "dave");
        newConsumerWithKey(bucket);
        Page<Consumer> page = portal().consumers(sessionOf(bucket, "carol"), null, null);
        assertThat(page.data()).extracting(Consumer::name).containsExactly(mine.name());
        ApiKey key = page.data().get(0).apiKeys().get(0);
        assertThat(key.key()).contains("…").isNotEqualTo(mine.apiKeys().get(0).key());
        assertThat(mine.apiKeys().get(0).key()).endsWith(key.key().substring(key.key().length() - 4));
    }

    @Test
    void consumersWhenLimitOutOfRangeThenFieldError() {
        PortalSession session = sessionOf(newBucket(false), "m");
        assertThat(errorOf(() -> portal().consumers(session, 101, null)))
                .isEqualTo(new FieldError("limit", "limit must be between 1 and 100"));
    }

    @Test
    void createKeyWhenManagedThenShownOnceLabelledAndAuditedAsManager() {
        Bucket bucket = newBucket(false);
        Consumer mine = managedBy(bucket, "erin");
        ApiKey created = portal().createKey(sessionOf(bucket, "erin"), mine.name(), "CI server");
        assertThat(format.isValid(created.key())).isTrue();
        assertThat(created.description()).isEqualTo("CI server");
        AuditEvent event = recentAudit().get(0);
        assertThat(event.actor()).isEqualTo("manager:erin");
        assertThat(event.action()).isEqualTo("key.create");
    }

    @Test
    void operationsWhenConsumerNotManagedThenNotFound() {
        Bucket bucket = newBucket(false);
        Consumer other = managedBy(bucket, "someone-else");
        Consumer unmanaged = newConsumerWithKey(bucket);
        PortalSession session = sessionOf(bucket, "frank");
        for (Consumer c : List.of(other, unmanaged)) {
            String keyId = c.apiKeys().get(0).id();
            assertThatThrownBy(() -> portal().createKey(session, c.name(), null)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> portal().roll(session, c.name(), Duration.ZERO, null))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> portal().revoke(session, c.name(), keyId)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> portal().label(session, c.name(), keyId, "x")).isInstanceOf(NotFoundException.class);
            assertThat(keysById(bucket, c).get(keyId).revokedOn()).isNull();
        }
    }

    @Test
    void operationsWhenConsumerInAnotherBucketThenNotFound() {
        Bucket mine = newBucket(false);
        Bucket theirs = newBucket(false);
        Consumer elsewhere = managedBy(theirs, "gina");
        PortalSession session = sessionOf(mine, "gina");
        assertThat(portal().consumers(session, null, null).data()).isEmpty();
        assertThatThrownBy(() -> portal().revoke(session, elsewhere.name(), elsewhere.apiKeys().get(0).id()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void revokeWhenKeyOfAnotherConsumerThenNotFound() {
        Bucket bucket = newBucket(false);
        Consumer one = managedBy(bucket, "hank");
        Consumer two = managedBy(bucket, "hank");
        PortalSession session = sessionOf(bucket, "hank");
        assertThatThrownBy(() -> portal().revoke(session, one.name(), two.apiKeys().get(0).id()))
                .isInstanceOf(NotFoundException.class);
        portal().revoke(session, two.name(), two.apiKeys().get(0).id());
        assertThat(keysById(bucket, two).get(two.apiKeys().get(0).id()).revokedOn()).isEqualTo(now());
        assertThat(recentAudit().get(0).actor()).isEqualTo("manager:hank");
    }

    @Test
    void rollWhenOneHourTransitionThenOldKeyExpiresInAnHourAndNewKeyShown() {
        Bucket bucket = newBucket(false);
        Consumer mine = managedBy(bucket, "ivy");
        ApiKey rolled = portal().roll(sessionOf(bucket, "ivy"), mine.name(), Duration.ofHours(1), "rolled");
        Map<String, ApiKey> keys = keysById(bucket, mine);
        assertThat(keys.get(mine.apiKeys().get(0).id()).expiresOn()).isEqualTo(now().plus(Duration.ofHours(1)));
        assertThat(keys.get(mine.apiKeys().get(0).id()).revokedOn()).isNull();
        assertThat(format.isValid(rolled.key())).isTrue();
        assertThat(keys.get(rolled.id()).description()).isEqualTo("rolled");
        assertThat(recentAudit().get(0).actor()).isEqualTo("manager:ivy");
    }

    @Test
    void rollWhenTransitionNowThenOldKeyRevoked() {
        Bucket bucket = newBucket(false);
        Consumer mine = managedBy(bucket, "jack");
        portal().roll(sessionOf(bucket, "jack"), mine.name(), Duration.ZERO, null);
        assertThat(keysById(bucket, mine).get(mine.apiKeys().get(0).id()).revokedOn()).isEqualTo(now());
    }

    @Test
    void rollWhenTransitionNotOfferedThenFieldError() {
        Bucket bucket = newBucket(false);
        Consumer mine = managedBy(bucket, "kim");
        PortalSession session = sessionOf(bucket, "kim");
        for (Duration transition : new Duration[] {null, Duration.ofHours(2), Duration.ofDays(30)}) {
            assertThat(errorOf(() -> portal().roll(session, mine.name(), transition, null)))
                    .isEqualTo(new FieldError("transitionSeconds",
                            "transitionSeconds must be one of 0, 3600, 86400, 259200, 604800"));
        }
    }

    @Test
    void labelWhenChangedThenKeysDescriptionAndEmptyRemovesIt() {
        Bucket bucket = newBucket(false);
        Consumer mine = managedBy(bucket, "lea");
        PortalSession session = sessionOf(bucket, "lea");
        String keyId = mine.apiKeys().get(0).id();
        assertThat(portal().label(session, mine.name(), keyId, "laptop").description()).isEqualTo("laptop");
        assertThat(portal().label(session, mine.name(), keyId, "").description()).isEmpty();
        assertThat(errorOf(() -> portal().label(session, mine.name(), keyId, "x".repeat(1001))).field())
                .isEqualTo("description");
        assertThat(recentAudit().stream().map(AuditEvent::actor).collect(Collectors.toSet()))
                .contains("manager:lea");
    }
}
