package dev.gatekey.admin.portal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The portal's session cookie, {@value #NAME}: the session id, {@code HttpOnly} (no script reads it),
 * {@code SameSite=Strict}, {@code Secure} on HTTPS requests, {@code Path={context}/portal} (a browser sends it
 * to the portal and nowhere else of the WAR), and no {@code Max-Age} (it ends with the browser; the server ends
 * it sooner, idle or at its lifetime).
 *
 * <p>Why {@code Strict}: the portal's own page is what sends its requests, so they are same-site whichever page
 * linked to the portal; no other site's request ever carries the cookie. A portal framed by a page of another
 * site would not get it (nor would it with {@code Lax}; only {@code None}, which browsers are phasing out for
 * frames as third-party cookies), so framing works for applications on the same site as the portal
 * ({@code app.example.com} framing {@code keys.example.com}), and others open the portal as a page.
 */
final class PortalCookie {

    static final String NAME = "GATEKEY_PORTAL";

    private PortalCookie() {
    }

    /** The session id the request presents, or null. */
    static String read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (NAME.equals(cookie.getName())) {
                return cookie.getValue();
            }
        }
        return null;
    }

    static void set(HttpServletRequest request, HttpServletResponse response, String sessionId) {
        response.addHeader("Set-Cookie", NAME + "=" + sessionId + attributes(request));
    }

    static void clear(HttpServletRequest request, HttpServletResponse response) {
        response.addHeader("Set-Cookie", NAME + "=" + attributes(request) + "; Max-Age=0");
    }

    private static String attributes(HttpServletRequest request) {
        return "; Path=" + request.getContextPath() + "/portal; HttpOnly; SameSite=Strict"
                + (request.isSecure() ? "; Secure" : "");
    }
}
