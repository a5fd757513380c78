package dev.gatekey.matrix.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The application's second mechanism, to which Gatekey's delegates what is not an API key
 * ({@code foreignCredentials = "pass"}, {@code delegate = "partnerTokens"}): one fixed test token,
 * {@code Authorization: Bearer partner-token-for-tests}, is the caller {@code partner} with the role {@code reader}.
 * A stand-in for a real second scheme (a JWT mechanism), for the container matrix only. {@code @Typed} keeps it out of
 * the container's own lookup of the application's mechanism, which must find Gatekey's alone.
 */
@Named("partnerTokens")
@Typed(PartnerTokens.class)
@ApplicationScoped
public class PartnerTokens implements HttpAuthenticationMechanism {

    static final String TOKEN = "Bearer partner-token-for-tests";

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) {
        String header = request.getHeader("Authorization");
        // constant time: the comparison must not tell how much of a guess was right
        if (header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                TOKEN.getBytes(StandardCharsets.UTF_8))) {
            return context.notifyContainerAboutLogin("partner", Set.of("reader"));
        }
        return context.doNothing();
    }
}
