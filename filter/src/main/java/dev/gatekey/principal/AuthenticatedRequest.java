package dev.gatekey.principal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request the application sees after a valid key: the principal, {@link ApiKeyPrincipal#AUTH_TYPE},
 * roles from metadata, and, when credentials are hidden, no key header and no key query parameter.
 */
public final class AuthenticatedRequest extends HttpServletRequestWrapper {

    private final ApiKeyPrincipal principal;
    private final String hiddenHeader;
    private final String hiddenParam;

    /**
     * @param hiddenHeader header to hide (case-insensitive), or {@code null}
     * @param hiddenParam query parameter to hide, or {@code null}
     */
    public AuthenticatedRequest(HttpServletRequest request, ApiKeyPrincipal principal, String hiddenHeader,
            String hiddenParam) {
        super(request);
        this.principal = principal;
        this.hiddenHeader = hiddenHeader;
        this.hiddenParam = hiddenParam;
        request.setAttribute(ApiKeyPrincipal.REQUEST_ATTRIBUTE, principal);
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getRemoteUser() {
        return principal.sub();
    }

    @Override
    public String getAuthType() {
        return ApiKeyPrincipal.AUTH_TYPE;
    }

    /** True for the consumer's metadata roles and the key's scopes (see {@link ApiKeyPrincipal#hasRole}). */
    @Override
    public boolean isUserInRole(String role) {
        return principal.hasRole(role);
    }

    @Override
    public String getHeader(String name) {
        return isHiddenHeader(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return isHiddenHeader(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        if (hiddenHeader == null) {
            return super.getHeaderNames();
        }
        List<String> names = new ArrayList<>();
        for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements();) {
            String name = e.nextElement();
            if (!isHiddenHeader(name)) {
                names.add(name);
            }
        }
        return Collections.enumeration(names);
    }

    @Override
    public String getParameter(String name) {
        return isHiddenParam(name) ? null : super.getParameter(name);
    }

    @Override
    public String[] getParameterValues(String name) {
        return isHiddenParam(name) ? null : super.getParameterValues(name);
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        if (hiddenParam == null) {
            return super.getParameterMap();
        }
        Map<String, String[]> map = new LinkedHashMap<>(super.getParameterMap());
        map.remove(hiddenParam);
        return Collections.unmodifiableMap(map);
    }

    @Override
    public Enumeration<String> getParameterNames() {
        if (hiddenParam == null) {
            return super.getParameterNames();
        }
        return Collections.enumeration(getParameterMap().keySet());
    }

    @Override
    public String getQueryString() {
        String query = super.getQueryString();
        if (hiddenParam == null || query == null) {
            return query;
        }
        StringBuilder kept = new StringBuilder(query.length());
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!hiddenParam.equals(QueryStrings.decode(name))) {
                if (kept.length() > 0) {
                    kept.append('&');
                }
                kept.append(pair);
            }
        }
        return kept.length() == 0 ? null : kept.toString();
    }

    private boolean isHiddenHeader(String name) {
        return hiddenHeader != null && hiddenHeader.equalsIgnoreCase(name);
    }

    private boolean isHiddenParam(String name) {
        return hiddenParam != null && hiddenParam.equals(name);
    }
}
