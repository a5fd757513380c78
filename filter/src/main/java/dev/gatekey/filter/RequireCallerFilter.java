package dev.gatekey.filter;

import dev.gatekey.config.SettingsException;
import dev.gatekey.config.SettingsReader;
import dev.gatekey.problem.Outcome;
import dev.gatekey.problem.ProblemResponses;
import dev.gatekey.problem.Rejection;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The end of a route that accepts more than one kind of credential (dual auth: an API key or a JWT): a request that
 * reaches this filter without a caller ({@code getUserPrincipal() == null}) is refused with 401
 * {@code application/problem+json} and one {@code WWW-Authenticate} challenge per accepted scheme.
 *
 * <p>Map it after every authenticating filter of the route: {@link ApiKeyFilter} with
 * {@code foreignCredentials=pass} and {@code allowUnauthenticatedRequests=true}, then the filter of the other scheme
 * (which wraps the request with its principal), then this one. A request whose credential the key filter passed on
 * and nothing accepted counts as one failed attempt of the client's address in the key filter's limit
 * ({@code failedAttemptsPerIp}, 429 once spent) and as the {@code unaccepted} outcome of its metrics; its challenges
 * carry {@code error="invalid_token"}. A request without any credential is not a failed attempt.
 *
 * <h2>Init-params</h2>
 * Parsed once in {@link #init}; an unknown or invalid param fails the deployment naming it.
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>param</th><th>format</th><th>default</th></tr>
 * <tr><td>{@code schemes}</td><td>authentication schemes, comma separated (HTTP tokens), one challenge each, in
 *     order</td><td>{@code Bearer}</td></tr>
 * <tr><td>{@code realm}</td><td>printable ASCII without {@code "} or {@code \}</td><td>{@code api}</td></tr>
 * <tr><td>{@code authHeader}</td><td>header name the schemes are sent in (for the refusal's detail)</td>
 *     <td>{@code Authorization}</td></tr>
 * </table>
 */
public class RequireCallerFilter implements Filter {

    public static final String SCHEMES = "schemes";
    public static final String REALM = FilterSettings.REALM;
    public static final String AUTH_HEADER = FilterSettings.AUTH_HEADER;
    public static final String DEFAULT_SCHEMES = FilterSettings.DEFAULT_AUTH_SCHEME;
    public static final String DEFAULT_REALM = FilterSettings.DEFAULT_REALM;
    /** Every init-param the filter accepts: any other name fails its start. */
    public static final Set<String> PARAMS = Set.of(SCHEMES, REALM, AUTH_HEADER);

    private static final Logger LOG = Logger.getLogger(RequireCallerFilter.class.getName());
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    private static final Pattern REALM_VALUE = Pattern.compile("[\\x20-\\x7e&&[^\"\\\\]]{1,100}");

    private List<String> challenges;
    private String realm;
    private String expected;

    @Override
    public void init(FilterConfig config) throws ServletException {
        Map<String, String> params = new HashMap<>();
        for (Enumeration<String> names = config.getInitParameterNames(); names.hasMoreElements();) {
            String name = names.nextElement();
            params.put(name, config.getInitParameter(name));
        }
        try {
            SettingsReader s = SettingsReader.builder(SettingsReader.Kind.INIT_PARAMS).names(PARAMS)
                    .refuseUnknown(name -> true).read(params, System::getenv);
            realm = s.matching(REALM, DEFAULT_REALM, REALM_VALUE);
            String header = s.matching(AUTH_HEADER, FilterSettings.DEFAULT_AUTH_HEADER, TOKEN);
            List<String> schemes = s.has(SCHEMES) ? s.list(SCHEMES, TOKEN) : List.of(DEFAULT_SCHEMES);
            challenges = new ArrayList<>();
            List<String> ways = new ArrayList<>();
            for (String scheme : schemes) {
                challenges.add(scheme + " realm=\"" + realm + "\"");
                ways.add(header + ": " + scheme + " <credential>");
            }
            challenges = List.copyOf(challenges);
            expected = String.join(" or ", ways);
        } catch (SettingsException e) {
            throw new ServletException(e.getMessage());
        }
        LOG.info("Gatekey RequireCallerFilter [" + config.getFilterName() + "] started: challenges=" + challenges);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            throw new ServletException("RequireCallerFilter handles HTTP requests only");
        }
        if (request.getUserPrincipal() != null) {
            chain.doFilter(request, response);
        } else if (request.getAttribute(KeyAuthentication.FOREIGN_CREDENTIAL_ATTRIBUTE)
                instanceof KeyAuthentication passedBy) {
            passedBy.refuseUnaccepted(request, response, challenges);
        } else {
            ProblemResponses.write(response, Rejection.of(Outcome.MISSING, false), challenges, realm, expected);
        }
    }

    /** The challenges of a refusal, in order: {@code Scheme realm="realm"}. */
    List<String> challenges() {
        return challenges;
    }
}
