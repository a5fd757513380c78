package dev.gatekey.admin.it;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.security.Principal;
import java.util.Set;

/**
 * Stands in for container authentication in the test deployment: a request with header
 * {@value #USER_HEADER} continues as that user, in the roles of {@value #ROLES_HEADER} (comma separated) —
 * exactly what {@code getUserPrincipal()}/{@code isUserInRole()} show after a realm login. It is mapped
 * before the Gatekey filter, as the container's authenticator runs before any filter.
 */
public class ContainerUserFilter implements Filter {

    public static final String USER_HEADER = "X-Test-Container-User";
    public static final String ROLES_HEADER = "X-Test-Container-Roles";

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String user = request.getHeader(USER_HEADER);
        if (user == null) {
            chain.doFilter(req, res);
            return;
        }
        String rolesHeader = request.getHeader(ROLES_HEADER);
        Set<String> roles = rolesHeader == null ? Set.of() : Set.of(rolesHeader.split(","));
        Principal principal = () -> user;
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public String getRemoteUser() {
                return user;
            }

            @Override
            public String getAuthType() {
                return BASIC_AUTH;
            }

            @Override
            public boolean isUserInRole(String role) {
                return roles.contains(role);
            }
        }, res);
    }
}
