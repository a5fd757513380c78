package dev.gatekey.examples.dualauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatekey.config.SettingsException;
import dev.gatekey.config.SettingsReader;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.security.Principal;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Authenticates {@code Authorization: Bearer <JWT>}: signature (RS256 or ES256, by a key of the JWKS whose
 * {@code kid} the token names), {@code iss}, {@code aud}, and {@code exp} (required, one minute of clock skew). A
 * verified token continues as a {@link JwtPrincipal}; anything else continues untouched, so that
 * {@code RequireCallerFilter} refuses it once, at the end.
 *
 * <table>
 * <caption>Init-params ({@code ${env:}}, {@code ${sys:}} expand)</caption>
 * <tr><th>param</th><th>meaning</th></tr>
 * <tr><td>{@code jwks}</td><td>the JWKS document: a file path, or an {@code https:} URL read once at start</td></tr>
 * <tr><td>{@code issuer}</td><td>the required {@code iss}</td></tr>
 * <tr><td>{@code audience}</td><td>the required {@code aud}</td></tr>
 * </table>
 */
public class JwtFilter implements Filter {

    public static final String JWKS = "jwks";
    public static final String ISSUER = "issuer";
    public static final String AUDIENCE = "audience";
    private static final String BEARER = "Bearer ";
    private static final Logger LOG = Logger.getLogger(JwtFilter.class.getName());

    private ConfigurableJWTProcessor<SecurityContext> processor;

    @Override
    public void init(FilterConfig config) throws ServletException {
        Map<String, String> params = new HashMap<>();
        for (Enumeration<String> names = config.getInitParameterNames(); names.hasMoreElements();) {
            String name = names.nextElement();
            params.put(name, config.getInitParameter(name));
        }
        try {
            SettingsReader s = SettingsReader.builder(SettingsReader.Kind.INIT_PARAMS).names(Set.of(JWKS, ISSUER,
                    AUDIENCE)).refuseUnknown(name -> true).read(params, System::getenv);
            String jwks = s.required(JWKS);
            JWKSet keys = jwks.startsWith("https:") ? JWKSet.load(URI.create(jwks).toURL())
                    : JWKSet.load(new File(jwks));
            DefaultJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();
            jwt.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                    new ImmutableJWKSet<>(keys)));
            jwt.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(s.required(AUDIENCE),
                    new JWTClaimsSet.Builder().issuer(s.required(ISSUER)).build(), Set.of("sub", "exp")));
            processor = jwt;
            LOG.info("JWT filter [" + config.getFilterName() + "] started: " + keys.getKeys().size() + " key(s)");
        } catch (SettingsException e) {
            throw new ServletException(e.getMessage());
        } catch (IOException | ParseException e) {
            throw new ServletException("Cannot read the JWKS [" + params.get(JWKS) + "]: " + e.getMessage(), e);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String header = request.getHeader("Authorization");
        JwtPrincipal caller = request.getUserPrincipal() == null && header != null
                && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? verify(header.substring(BEARER.length()).trim()) : null;
        chain.doFilter(caller == null ? request : new JwtRequest(request, caller), res);
    }

    /** The token's caller, or {@code null} when it does not verify (the reason at FINE, never the token). */
    JwtPrincipal verify(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            List<String> roles = new ArrayList<>();
            if (claims.getClaim("roles") instanceof List<?> list) {
                list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(roles::add);
            }
            return new JwtPrincipal(claims.getSubject(), roles);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            LOG.log(Level.FINE, "JWT refused: {0}", e.getMessage());
            return null;
        }
    }

    /** The request seen downstream of a verified JWT. */
    private static final class JwtRequest extends HttpServletRequestWrapper {

        private final JwtPrincipal caller;

        JwtRequest(HttpServletRequest request, JwtPrincipal caller) {
            super(request);
            this.caller = caller;
        }

        @Override
        public Principal getUserPrincipal() {
            return caller;
        }

        @Override
        public String getRemoteUser() {
            return caller.sub();
        }

        @Override
        public String getAuthType() {
            return "JWT";
        }

        @Override
        public boolean isUserInRole(String role) {
            return caller.roles().contains(role);
        }
    }
}
