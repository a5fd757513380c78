package dev.gatekey.filter;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.principal.ApiKeyPrincipal;
import dev.gatekey.problem.Outcome;
import dev.gatekey.problem.ProblemResponses;
import dev.gatekey.problem.Rejection;
import dev.gatekey.ratelimit.RateLimiters;
import dev.gatekey.store.ChangeFeed;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.StoredKey;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One request's validation flow, shared by {@link ApiKeyFilter} and the Jakarta Security mechanism
 * ({@code dev.gatekey.security}): extract → screen (format, prefix, checksum, cache) → store → verdict → key policies →
 * rate limits → credits → principal, with the same refusals ({@link ProblemResponses}) and metrics, over the running
 * parts ({@link FilterRuntime}) built once from one {@link FilterSettings}. The steps are listed in {@link ApiKeyFilter}.
 *
 * <p>{@link #authenticate} either answers the request (a refusal written, {@link Status#REFUSED}) or tells the caller
 * how to continue it: with the key's principal, anonymously, or untouched because the credential is not one of the
 * filter's keys and {@code foreignCredentials=pass}. The cached path is as cheap as the filter always was: the verdict
 * and the result of a valid key are made once per cached key.
 *
 * <p>Thread-safe; {@link #close()} stops the background thread and closes what {@link #start} opened.
 */
public final class KeyAuthentication implements AutoCloseable {

    /**
     * Request attribute set on a request whose credential was passed on untouched ({@code foreignCredentials=pass}):
     * the {@link KeyAuthentication} that passed it, so whoever refuses the request at the end
     * ({@link RequireCallerFilter}, or the mechanism) counts it as one failed attempt of the client's address.
     */
    public static final String FOREIGN_CREDENTIAL_ATTRIBUTE = "dev.gatekey.foreignCredential";

    /** Seconds a client should wait after a 503. */
    static final long STORE_ERROR_RETRY_AFTER_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class.getName());
    private static final Result ANONYMOUS = new Result(Status.ANONYMOUS, null);
    private static final Result FOREIGN = new Result(Status.FOREIGN, null);
    private static final Result REFUSED = new Result(Status.REFUSED, null);

    /** How a request goes on after {@link #authenticate}. */
    public enum Status {
        /** A valid key: continue with {@link Result#principal()}. */
        AUTHENTICATED,
        /** No key, and none required: continue without a principal. */
        ANONYMOUS,
        /** A credential that is not one of the filter's keys, with {@code foreignCredentials=pass}: continue untouched. */
        FOREIGN,
        /** Refused: the response is written and committed. */
        REFUSED
    }

    /**
     * The result of {@link #authenticate}.
     *
     * @param principal the key's principal when {@link Status#AUTHENTICATED}, else {@code null}
     */
    public record Result(Status status, ApiKeyPrincipal principal) {
    }

    private final FilterSettings settings;
    private final FilterRuntime runtime;
    // the runtime's parts the request path uses, read once
    private final GatekeyMetrics metrics;
    private final CredentialExtractor extractor;
    private final KeyValidator validator;
    private final RateLimiters rateLimiters;
    private final LastUsedRecorder lastUsed;
    private final KeyPolicyGate policies;
    /** Null when {@code usageCounting} is off. */
    private final UsageCounter usage;
    private final List<String> challenges;
    private final Clock clock;

    private KeyAuthentication(FilterSettings settings, FilterRuntime runtime) {
        this.settings = settings;
        this.runtime = runtime;
        this.metrics = runtime.metrics;
        this.extractor = runtime.extractor;
        this.validator = runtime.validator;
        this.rateLimiters = runtime.rateLimiters;
        this.lastUsed = runtime.lastUsed;
        this.policies = runtime.policies;
        this.usage = runtime.usage;
        this.challenges = List.of("Bearer realm=\"" + settings.realm() + "\"");
        this.clock = runtime.clock;
    }

    /**
     * Parses {@code params} (the filter's init-params, see {@link ApiKeyFilter}; {@code ${env:}} and {@code ${sys:}}
     * expand) and starts the runtime: key store through {@link dev.gatekey.store.KeyStoreProvider}, cache, change
     * feed thread, rate limits.
     *
     * @param name names this authentication in the start-up line and in errors
     * @param meterRegistry a Micrometer {@code MeterRegistry} (see {@link GatekeyMetrics#METER_REGISTRY_ATTRIBUTE}),
     *     or {@code null}
     * @throws ServletException naming the param when a param is unknown, missing, invalid or conflicting, or when the
     *     store cannot be opened
     */
    public static KeyAuthentication start(String name, Map<String, String> params, Object meterRegistry)
            throws ServletException {
        FilterSettings settings = FilterSettings.parse(params, System::getenv);
        return start(name, settings, meterRegistry, null, null, FilterSettings.namesStore(params), Clock.systemUTC(),
                Ticker.systemTicker());
    }

    static KeyAuthentication start(String name, FilterSettings settings, Object meterRegistry, KeyStore store,
            ChangeFeed feed, boolean paramsNameStore, Clock clock, Ticker ticker) throws ServletException {
        FilterRuntime runtime = new FilterRuntime(settings, clock, ticker);
        runtime.start(name, meterRegistry, store, feed, paramsNameStore);
        return new KeyAuthentication(settings, runtime);
    }

    /** The settings this authentication was started with. */
    public FilterSettings settings() {
        return settings;
    }

    /**
     * Runs the flow on one request.
     *
     * @param keyRequired whether a request without a key is refused (401) rather than let through anonymously
     * @return how the request continues; {@link Status#REFUSED} when the refusal has been written
     */
    public Result authenticate(HttpServletRequest request, HttpServletResponse response, boolean keyRequired)
            throws IOException {
        String credential = extractor.extract(request);
        if (credential == null) {
            if (settings.passForeignCredentials() && request.getHeader(settings.authHeader()) != null) {
                // another scheme in the key's header: someone else's credential
                return foreign(request);
            }
            if (!keyRequired) {
                count(null, Outcome.ANONYMOUS);
                return ANONYMOUS;
            }
            reject(response, Rejection.of(Outcome.MISSING, false), null);
            return REFUSED;
        }
        if (credential == CredentialExtractor.AMBIGUOUS) {
            LOG.fine("Request with more than one API key refused");
            refuseAttempt(request, response, Outcome.MALFORMED, null);
            return REFUSED;
        }
        long start = System.nanoTime();
        int keyStart = extractor.keyStart(credential);
        Verdict verdict = validator.screen(credential, keyStart, extractor.keyEnd(credential, keyStart));
        if (verdict == Verdict.MALFORMED && settings.passForeignCredentials()) {
            // not the shape of a key of this filter's buckets: left, uncounted, to the next authentication
            return foreign(request);
        }
        boolean reserved = false;
        if (verdict.needsLookup()) {
            // the attempt's token is taken before the (slow) lookup: concurrent attempts cannot all slip past a
            // check made before any of them was counted
            if (!reserveAttempt(request, response)) {
                return REFUSED;
            }
            reserved = true;
            verdict = validator.lookUp(verdict.hash(), start);
            if (!verdict.outcome().isFailedAttempt()) {
                rateLimiters.refundAttempt(request.getRemoteAddr());
            }
        }
        metrics.validation(System.nanoTime() - start);
        if (verdict.outcome() == Outcome.STORE_ERROR) {
            reject(response, Rejection.retryAfter(Outcome.STORE_ERROR, STORE_ERROR_RETRY_AFTER_SECONDS), null);
            return REFUSED;
        }
        if (!verdict.isValid()) {
            if (reserved) {
                reject(response, Rejection.of(verdict.outcome(), true), verdict.key());
            } else {
                refuseAttempt(request, response, verdict.outcome(), verdict.key());
            }
            return REFUSED;
        }
        return admit(request, response, verdict);
    }

    /** Steps 7 to 9 for a valid key: key policies, rate limit, credits, principal. */
    private Result admit(HttpServletRequest request, HttpServletResponse response, Verdict verdict)
            throws IOException {
        Rejection refused = policies.access(verdict, request.getRemoteAddr());
        if (refused != null) {
            reject(response, refused, verdict.key());
            return REFUSED;
        }
        Optional<Rejection> limited = rateLimiters.tryConsumeParsed(verdict.key().keyId(), verdict.rateLimit());
        if (limited.isPresent()) {
            LOG.log(Level.FINE, "Key {0} is over its rate limit", verdict.key().keyId());
            reject(response, limited.get(), verdict.key());
            return REFUSED;
        }
        refused = policies.spend(verdict.key());
        if (refused != null) {
            reject(response, refused, verdict.key());
            return REFUSED;
        }
        long nowMillis = clock.millis(); // one read for the last-used time and the usage count
        lastUsed.record(verdict.principal().keyId(), nowMillis);
        count(verdict.key(), Outcome.VALID, nowMillis);
        return verdict.admitted();
    }

    private Result foreign(HttpServletRequest request) {
        request.setAttribute(FOREIGN_CREDENTIAL_ATTRIBUTE, this);
        return FOREIGN;
    }

    /**
     * Refuses a request whose foreign credential nothing on the route accepted: one failed attempt of the client's
     * address (429 instead when it has none left), else 401 with one challenge per entry of {@code challenges}.
     */
    public void refuseUnaccepted(HttpServletRequest request, HttpServletResponse response, List<String> challenges)
            throws IOException {
        if (reserveAttempt(request, response)) {
            Rejection rejection = Rejection.of(Outcome.UNACCEPTED, true);
            count(null, rejection.outcome());
            ProblemResponses.write(response, rejection, challenges, settings.realm(), null);
        }
    }

    /**
     * Counts a foreign credential that another mechanism refused with its own response: one failed attempt of the
     * client's address, and the {@link Outcome#UNACCEPTED} metric.
     */
    public void countUnaccepted(HttpServletRequest request) {
        rateLimiters.reserveAttempt(request.getRemoteAddr());
        count(null, Outcome.UNACCEPTED);
    }

    /** A failed attempt takes a token from the client's address: 429 instead of 401 when none is left. */
    private void refuseAttempt(HttpServletRequest request, HttpServletResponse response, Outcome outcome,
            StoredKey key) throws IOException {
        if (!outcome.isFailedAttempt() || reserveAttempt(request, response)) {
            reject(response, Rejection.of(outcome, true), key);
        }
    }

    /** Takes one failed-attempt token from the client's address; false (and answered 429) when none is left. */
    private boolean reserveAttempt(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String ip = request.getRemoteAddr();
        Optional<Rejection> blocked = rateLimiters.reserveAttempt(ip);
        if (blocked.isPresent()) {
            LOG.log(Level.FINE, "Client {0} is over its failed-attempt limit", ip);
            reject(response, blocked.get(), null);
            return false;
        }
        return true;
    }

    /** Answers a refusal; {@code key} is the key the request carried when it was found, else {@code null}. */
    private void reject(HttpServletResponse response, Rejection rejection, StoredKey key) throws IOException {
        count(key, rejection.outcome());
        ProblemResponses.write(response, rejection, challenges, settings.realm(), settings.expectedCredential());
    }

    /** The process-wide metric, and the per-key usage count when {@code usageCounting} is on. */
    private void count(StoredKey key, Outcome outcome) {
        count(key, outcome, usage == null ? 0 : clock.millis()); // the clock only when there is a count to date
    }

    /** {@link #count(StoredKey, Outcome)} with the clock's milliseconds already read for this request. */
    private void count(StoredKey key, Outcome outcome, long nowMillis) {
        metrics.request(outcome);
        if (usage != null) {
            usage.count(key, outcome, nowMillis);
        }
    }

    /**
     * Stops the background thread, writes the last pending last-used times, closes a store it opened and the Redis
     * connection of shared rate limits.
     */
    @Override
    public void close() {
        runtime.close();
    }

    FilterRuntime runtime() {
        return runtime;
    }
}
