package dev.gatekey.filter;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatekey.cache.KeyCache;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.principal.ApiKeyPrincipal;
import dev.gatekey.principal.AuthenticatedRequest;
import dev.gatekey.ratelimit.RateLimiters;
import dev.gatekey.store.ChangeFeed;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreProvider;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/**
 * API key authentication: a request carrying a valid key of the configured bucket(s) continues with an
 * {@link ApiKeyPrincipal}; any other gets an {@code application/problem+json} refusal.
 *
 * <p>Register it in {@code web.xml}, by subclassing it with {@code @WebFilter(initParams = ...)}, or with
 * {@code ServletContext.addFilter}. Map it <b>after</b> {@code RemoteIpFilter} (or behind a
 * {@code RemoteIpValve}) when a proxy sits in front: the failed-attempt limit is per
 * {@code request.getRemoteAddr()}.
 *
 * <h2>Init-params</h2>
 * Parsed once in {@link #init}; an unknown param, an invalid value or a conflicting combination fails the
 * deployment with a {@link ServletException} naming the param (secret values are never shown). Values may
 * contain {@code ${env:NAME}} and {@code ${sys:name}}; an unset variable is an error.
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>param</th><th>format</th><th>default</th></tr>
 * <tr><td>{@code bucket}</td><td>bucket names, comma separated</td><td>required</td></tr>
 * <tr><td>{@code authHeader}</td><td>header name</td><td>{@code Authorization}</td></tr>
 * <tr><td>{@code authScheme}</td><td>token, case-insensitive; empty = raw header value</td><td>{@code Bearer}</td></tr>
 * <tr><td>{@code queryParam}</td><td>parameter name (keys in URLs end up in logs)</td><td>unset: off</td></tr>
 * <tr><td>{@code allowUnauthenticatedRequests}</td><td>{@code true|false}</td><td>{@code false}</td></tr>
 * <tr><td>{@code hideCredentials}</td><td>{@code true|false}</td><td>{@code true}</td></tr>
 * <tr><td>{@code realm}</td><td>printable ASCII without {@code "} or {@code \}</td><td>{@code api}</td></tr>
 * <tr><td>{@code cacheTtlSeconds}</td><td>1..86400</td><td>{@code 60}</td></tr>
 * <tr><td>{@code cacheMaximumSize}</td><td>1..100000000 entries</td><td>{@code 100000}</td></tr>
 * <tr><td>{@code staleIfErrorSeconds}</td><td>0..86400</td><td>{@code 300}</td></tr>
 * <tr><td>{@code checksum}</td><td>{@code crc32|hmac}</td><td>{@code crc32}</td></tr>
 * <tr><td>{@code checksumSecret}</td><td>text, required with (and only with) {@code hmac}</td><td>unset</td></tr>
 * <tr><td>{@code rateLimitPerKey}</td><td>{@code N/D(s|m|h|d)}, e.g. {@code 100/1s}; consumer metadata
 *     {@code rateLimit} overrides it</td><td>unset: unlimited</td></tr>
 * <tr><td>{@code failedAttemptsPerIp}</td><td>{@code N/D(s|m|h|d)}</td><td>{@code 30/1m}</td></tr>
 * <tr><td>{@code rateLimitStore}</td><td>{@code local|redis}: {@code redis} shares both limits across nodes
 *     (needs {@code com.bucket4j:bucket4j_jdk17-lettuce} and {@code io.lettuce:lettuce-core})</td>
 *     <td>{@code local}</td></tr>
 * <tr><td>{@code redisUrl}</td><td>{@code redis://} or {@code rediss://} URL, required with (and only with)
 *     {@code rateLimitStore=redis}; its password is never shown</td><td>unset</td></tr>
 * <tr><td>{@code dataSource}</td><td>JNDI name (not with {@code jdbcUrl})</td><td>{@code java:comp/env/jdbc/gatekey}</td></tr>
 * <tr><td>{@code jdbcUrl}, {@code jdbcUser}, {@code jdbcPassword}</td><td>JDBC URL and credentials</td><td>unset</td></tr>
 * <tr><td>{@code changePollMillis}</td><td>10..3600000</td><td>{@code 1000}</td></tr>
 * <tr><td>{@code storeConnectionTimeoutMillis}</td><td>250..60000: longest wait for a database connection (from the
 *     pool, or a new one); applied to the pool of a {@code jdbcUrl}</td><td>{@code 1000}</td></tr>
 * <tr><td>{@code storeStatementTimeoutMillis}</td><td>10..60000: longest run of one statement, and longest wait for
 *     the database's answer on the socket; applied to every connection of a {@code jdbcUrl} pool; a waiter on
 *     another request's lookup gives up after both time-outs</td><td>{@code 1000}</td></tr>
 * <tr><td>{@code storeMaxConcurrentLookups}</td><td>1..1000: key store lookups running at once (bulkhead); more are
 *     answered at once, from a recent good entry or with 503</td><td>{@code 16}</td></tr>
 * <tr><td>{@code requiredScopes}</td><td>scopes, comma separated ({@code ^[a-z][a-z0-9:._-]{0,63}$}): a key needs all
 *     of them, else 403 {@code insufficient_scope}</td><td>unset: none</td></tr>
 * <tr><td>{@code creditCost}</td><td>0..1000000: credits a request spends of a key that has credits; 0 = free</td>
 *     <td>{@code 1}</td></tr>
 * <tr><td>{@code foreignCredentials}</td><td>{@code reject|pass}: with {@code pass}, a credential that does not carry
 *     one of the filter's key prefixes (or another scheme in {@code authHeader}) continues untouched and is not
 *     counted as a failed attempt, for a later filter to authenticate; map {@link RequireCallerFilter} after both
 *     (dual auth)</td><td>{@code reject}</td></tr>
 * <tr><td>{@code usageCounting}</td><td>{@code true|false}: count requests per key, minute and outcome, and write
 *     the counts to the store (see {@code docs/usage.md})</td><td>{@code true}</td></tr>
 * <tr><td>{@code usageFlushSeconds}</td><td>1..60: how often the counts are written</td><td>{@code 60}</td></tr>
 * <tr><td>{@code usageMinuteRetentionHours}</td><td>1..720: how long per-minute counts are kept</td>
 *     <td>{@code 48}</td></tr>
 * <tr><td>{@code usageHourRetentionDays}</td><td>1..3650: how long per-hour counts are kept</td><td>{@code 90}</td></tr>
 * <tr><td>{@code usageDayRetentionDays}</td><td>1..36500: how long per-day counts are kept</td><td>{@code 400}</td></tr>
 * <tr><td>{@code legacyKeys}</td><td>{@code reject|accept}: with {@code accept}, a credential that is not in Gatekey's
 *     format (1..{@value LegacyKeys#MAX_LENGTH} printable ASCII characters) is looked up by its SHA-256, for keys
 *     imported from another system (see {@link LegacyKeys})</td><td>{@code reject}</td></tr>
 * </table>
 *
 * <h2>Steps, in order</h2>
 * <ol>
 * <li>Extract the key from {@code authHeader} (and {@code queryParam} when set); more than one → 401, a failed
 *     attempt.</li>
 * <li>No key: continue anonymously when allowed, else 401.</li>
 * <li>Format and bucket prefix, then checksum → 401, a failed attempt, without touching cache or store. With
 *     {@code foreignCredentials=pass} a credential without one of the filter's prefixes continues untouched instead
 *     (request attribute {@value KeyAuthentication#FOREIGN_CREDENTIAL_ATTRIBUTE}).</li>
 * <li>Cache. A key the cache already knows as valid goes on to step 7 <em>whatever the client address's failed
 *     attempts</em>: one attacker behind a shared address (NAT, proxy) cannot lock that address's valid callers
 *     out.</li>
 * <li>Cache miss: the client address takes one failed-attempt token <em>before</em> the lookup (none left → 429,
 *     no lookup), so concurrent attempts cannot overshoot the limit; the token is given back when the key proves
 *     valid or the store cannot answer. A key the node has never heard of (see {@link KnownKeys}) is refused
 *     without a lookup once a small budget of such lookups is spent; otherwise the store answers. A store failure
 *     → 503 with {@code Retry-After} (or a recent good entry).</li>
 * <li>Verdict: unknown, wrong bucket, disabled consumer, revoked, expired → 401, a failed attempt. A failed
 *     attempt from an address with no token left is answered 429 instead.</li>
 * <li>Key policies, from the cached key: an address outside the key's allowlist → 403 {@code ip_denied}; a key
 *     without every {@code requiredScopes} → 403 {@code insufficient_scope}.</li>
 * <li>Per-key rate limit → 429.</li>
 * <li>Credits, for keys that have some: {@code creditCost} is spent, none left → 429 {@code usage_exceeded} with
 *     {@code Retry-After} until the next refill (see {@link dev.gatekey.credits.CreditSpender}).</li>
 * <li>The request continues wrapped with the principal; last use is recorded in the background.</li>
 * </ol>
 *
 * <h2>Failures</h2>
 * A database or Redis failure never becomes an outage of the application (see {@code docs/resilience.md}):
 * <ul>
 * <li>The key store sits behind a circuit breaker and a bulkhead ({@link KeyCache}): concurrent requests for one key
 *     share one lookup and its failure, a request waits at most {@code storeConnectionTimeoutMillis +
 *     storeStatementTimeoutMillis} on a lookup, and while the breaker is open keys validated within
 *     {@code cacheTtlSeconds + staleIfErrorSeconds} are served from memory, others answered 503 at once.</li>
 * <li>The filter starts while the database is down: it answers 503 for what it cannot decide, and the change feed's
 *     poller finds the database when it returns (bucket prefixes, schema, breaker), without a restart.</li>
 * <li>Redis sits behind its own breaker, probed in the background; the buckets fall back to local ones.</li>
 * <li>Each dependency's state is the gauge {@code gatekey.dependency.state}; each outage logs one line when it
 *     starts and one when it ends, and counters ({@code gatekey.store.errors}, {@code gatekey.store.rejected},
 *     {@code gatekey.cache.stale}, {@code gatekey.redis.fallbacks}) count the rest.</li>
 * </ul>
 *
 * <p>The steps live in {@link KeyAuthentication}, which the Jakarta Security mechanism ({@code dev.gatekey.security})
 * shares; the filter coordinates: it parses its init-params, starts a {@link KeyAuthentication} and continues the
 * chain as that says.
 *
 * <p>Without a key store given to the constructor, {@link #init} opens one through
 * {@link ServiceLoader}{@code <}{@link KeyStoreProvider}{@code >} (the persistence module provides it).
 * One daemon thread per filter, {@value #THREAD_NAME}, polls the change feed and writes last-used times.
 *
 * <p>With {@code rateLimitStore=redis} the filter opens one Lettuce connection in {@link #init} and closes it, with
 * its threads, in {@link #destroy()}. Redis being unreachable never fails a request nor the deployment: the
 * node's local buckets stand in until it is back (see {@link RateLimiters#redis}).
 */
public class ApiKeyFilter implements Filter {

    /** Name of the filter's background thread. */
    public static final String THREAD_NAME = "gatekey-change-feed";

    /** Seconds a client should wait after a 503. */
    public static final long STORE_ERROR_RETRY_AFTER_SECONDS = KeyAuthentication.STORE_ERROR_RETRY_AFTER_SECONDS;

    private final KeyStore injectedStore;
    private final ChangeFeed injectedFeed;
    private final Clock clock;
    private final Ticker ticker;
    UnaryOperator<String> environment = System::getenv;

    private FilterSettings settings;
    private KeyAuthentication authentication;

    /** Opens its key store in {@link #init} through {@link KeyStoreProvider}. */
    public ApiKeyFilter() {
        this(null, null, Clock.systemUTC(), Ticker.systemTicker());
    }

    /** Uses a custom key store and change feed; {@code dataSource}/{@code jdbc*} params are then ignored. */
    public ApiKeyFilter(KeyStore keyStore, ChangeFeed changeFeed) {
        this(keyStore, changeFeed, Clock.systemUTC());
    }

    /** Same, with the clock that expiry and revocation dates are checked against. */
    public ApiKeyFilter(KeyStore keyStore, ChangeFeed changeFeed, Clock clock) {
        this(Objects.requireNonNull(keyStore, "keyStore"), Objects.requireNonNull(changeFeed, "changeFeed"),
                clock, Ticker.systemTicker());
    }

    /** For tests and benchmarks: cache and rate limit time from {@code ticker}. */
    ApiKeyFilter(KeyStore keyStore, ChangeFeed changeFeed, Clock clock, Ticker ticker) {
        this.injectedStore = keyStore;
        this.injectedFeed = changeFeed;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        Map<String, String> params = new HashMap<>();
        for (Enumeration<String> names = config.getInitParameterNames(); names.hasMoreElements();) {
            String name = names.nextElement();
            params.put(name, config.getInitParameter(name));
        }
        settings = FilterSettings.parse(params, environment);
        authentication = KeyAuthentication.start(config.getFilterName(), settings,
                config.getServletContext().getAttribute(GatekeyMetrics.METER_REGISTRY_ATTRIBUTE), injectedStore,
                injectedFeed, FilterSettings.namesStore(params), clock, ticker);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            throw new ServletException("ApiKeyFilter handles HTTP requests only");
        }
        KeyAuthentication.Result result = authentication.authenticate(request, response,
                !settings.allowUnauthenticatedRequests());
        switch (result.status()) {
            case AUTHENTICATED -> {
                boolean hide = settings.hideCredentials();
                chain.doFilter(new AuthenticatedRequest(request, result.principal(),
                        hide ? settings.authHeader() : null, hide ? settings.queryParam() : null), response);
            }
            case ANONYMOUS, FOREIGN -> chain.doFilter(request, response);
            case REFUSED -> {
                // the refusal is written
            }
        }
    }

    /**
     * Stops the background thread, writes the last pending last-used times, closes a store it opened and the
     * Redis connection of shared rate limits.
     */
    @Override
    public void destroy() {
        if (authentication != null) {
            authentication.close();
        }
    }

    /**
     * Applies the change feed now (the background thread does it every {@code changePollMillis}), after looking up
     * the prefixes of buckets not found yet, so a bucket created after start is accepted within a poll.
     */
    void pollOnce() {
        authentication.runtime().pollOnce();
    }

    /** Writes the usage counts now (the background thread does it every {@code usageFlushSeconds}). */
    void flushUsage() {
        authentication.runtime().flushUsage();
    }

    KeyCache cache() {
        return authentication.runtime().cache;
    }

    KeyValidator validator() {
        return authentication.runtime().validator;
    }

    LastUsedRecorder lastUsed() {
        return authentication.runtime().lastUsed;
    }

    RateLimiters rateLimiters() {
        return authentication.runtime().rateLimiters;
    }
}
