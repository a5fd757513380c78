package dev.gatekey.admin.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gatekey.admin.http.BoundedBody;
import dev.gatekey.admin.http.HttpProblem;
import dev.gatekey.admin.http.Json;
import dev.gatekey.admin.portal.PortalViews.ConsumerView;
import dev.gatekey.admin.portal.PortalViews.ConsumersView;
import dev.gatekey.admin.portal.PortalViews.ExchangeBody;
import dev.gatekey.admin.portal.PortalViews.KeyBody;
import dev.gatekey.admin.portal.PortalViews.KeyView;
import dev.gatekey.admin.portal.PortalViews.RollBody;
import dev.gatekey.admin.portal.PortalViews.SessionView;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.Consumer;
import dev.gatekey.persistence.Page;
import dev.gatekey.persistence.PortalService;
import dev.gatekey.persistence.PortalSession;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The portal's JSON routes, below {@code {context}/portal/api}:
 * <table>
 * <caption>Routes</caption>
 * <tr><th>route</th><th>answer</th></tr>
 * <tr><td>{@code POST session} {@code {"token"}}</td><td>redeems a link: 200 with the session and its
 *     {@code csrfToken}, and the cookie; 401 for a link that is unknown, expired or used</td></tr>
 * <tr><td>{@code GET session}</td><td>the session of the cookie (after a reload)</td></tr>
 * <tr><td>{@code DELETE session}</td><td>signs out: 204, the cookie cleared</td></tr>
 * <tr><td>{@code GET consumers?limit&cursor}</td><td>the manager's consumers with their keys masked</td></tr>
 * <tr><td>{@code POST consumers/{c}/keys} {@code {"description"?}}</td><td>201, the new key in full, once</td></tr>
 * <tr><td>{@code POST consumers/{c}/roll} {@code {"transitionSeconds", "description"?}}</td><td>201, the new
 *     key in full, once; the old keys expire after the transition (0: revoked now)</td></tr>
 * <tr><td>{@code PATCH consumers/{c}/keys/{id}} {@code {"description"}}</td><td>200, the key relabelled</td></tr>
 * <tr><td>{@code DELETE consumers/{c}/keys/{id}}</td><td>204, the key revoked</td></tr>
 * </table>
 * Every route but {@code POST session} needs the cookie (401 without a live session); every write but
 * {@code POST session} needs the session's CSRF token in {@value #CSRF_HEADER} (403 without). Bodies are
 * {@code application/json} (415 otherwise): a page of another origin cannot send one without a CORS preflight,
 * which the portal never grants, so {@code POST session} cannot be forged either.
 */
final class PortalApi {

    /** The request header repeating the session's CSRF token on writes (as the admin UI's). */
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String KEYS = "keys";
    private static final List<Long> TRANSITIONS = PortalService.TRANSITIONS.stream().map(Duration::toSeconds).toList();

    private final PortalService portal;
    private final int maxBodyBytes;
    private final Clock clock;

    PortalApi(PortalService portal, int maxBodyBytes, Clock clock) {
        this.portal = portal;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    /** @param segments the path below {@code api/}, decoded and split at {@code /} */
    void handle(HttpServletRequest request, HttpServletResponse response, List<String> segments) throws IOException {
        String method = request.getMethod();
        if (segments.equals(List.of("session"))) {
            session(request, response, method);
            return;
        }
        if (segments.isEmpty() || !segments.get(0).equals("consumers") || segments.size() > 4) {
            throw new HttpProblem(404, "no such resource");
        }
        PortalSession session = requireSession(request);
        if (segments.size() == 1) {
            allow(method, "GET");
            Page<Consumer> page = portal.consumers(session, intQuery(request, "limit"), request.getParameter("cursor"));
            Json.write(response, 200, Map.of(), new ConsumersView(
                    page.data().stream().map(c -> ConsumerView.of(c, clock.instant())).toList(), page.nextCursor()));
            return;
        }
        String consumer = segments.get(1);
        if (segments.size() == 3 && segments.get(2).equals(KEYS)) {
            allow(method, "POST");
            requireCsrf(request, session);
            KeyBody body = body(request, KeyBody.class);
            created(response, portal.createKey(session, consumer, body == null ? null : body.description()));
        } else if (segments.size() == 3 && segments.get(2).equals("roll")) {
            allow(method, "POST");
            requireCsrf(request, session);
            RollBody body = body(request, RollBody.class);
            Duration transition = body == null || body.transitionSeconds() == null ? null
                    : Duration.ofSeconds(body.transitionSeconds());
            created(response, portal.roll(session, consumer, transition, body == null ? null : body.description()));
        } else if (segments.size() == 4 && segments.get(2).equals(KEYS) && !segments.get(3).isEmpty()) {
            key(request, response, method, session, consumer, segments.get(3));
        } else {
            throw new HttpProblem(404, "no such resource");
        }
    }

    private void session(HttpServletRequest request, HttpServletResponse response, String method) throws IOException {
        switch (method) {
            case "POST" -> {
                ExchangeBody body = body(request, ExchangeBody.class);
                PortalSession session = portal.redeem(body == null ? null : body.token())
                        .orElseThrow(() -> new HttpProblem(401, "the portal link is not valid, has expired or was"
                                + " already used: ask the application for a new one"));
                String previous = PortalCookie.read(request);
                if (previous != null) {
                    portal.end(previous);
                }
                PortalCookie.set(request, response, session.id());
                Json.write(response, 200, Map.of(), SessionView.of(session, TRANSITIONS));
            }
            case "GET" -> Json.write(response, 200, Map.of(), SessionView.of(requireSession(request), TRANSITIONS));
            case "DELETE" -> {
                PortalSession session = requireSession(request);
                requireCsrf(request, session);
                portal.end(session.id());
                PortalCookie.clear(request, response);
                Json.write(response, 204, Map.of(), null);
            }
            default -> throw notAllowed(method, "GET, POST, DELETE");
        }
    }

    private void key(HttpServletRequest request, HttpServletResponse response, String method, PortalSession session,
            String consumer, String keyId) throws IOException {
        switch (method) {
            case "PATCH" -> {
                requireCsrf(request, session);
                KeyBody body = body(request, KeyBody.class);
                if (body == null) {
                    throw new HttpProblem(400, "the body must be a JSON object with a description");
                }
                ApiKey key = portal.label(session, consumer, keyId, body.description());
                Json.write(response, 200, Map.of(), KeyView.of(key, clock.instant()));
            }
            case "DELETE" -> {
                requireCsrf(request, session);
                portal.revoke(session, consumer, keyId);
                Json.write(response, 204, Map.of(), null);
            }
            default -> throw notAllowed(method, "PATCH, DELETE");
        }
    }

    private void created(HttpServletResponse response, ApiKey key) throws IOException {
        Json.write(response, 201, Map.of(), KeyView.of(key, clock.instant()));
    }

    private PortalSession requireSession(HttpServletRequest request) {
        return portal.session(PortalCookie.read(request)).orElseThrow(() -> new HttpProblem(401,
                "no portal session, or it has ended: open the portal again from the application"));
    }

    private static void requireCsrf(HttpServletRequest request, PortalSession session) {
        if (!session.isCsrfToken(request.getHeader(CSRF_HEADER))) {
            throw new HttpProblem(403, "the " + CSRF_HEADER + " header is missing or wrong");
        }
    }

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw notAllowed(method, allowed);
        }
    }

    private static HttpProblem notAllowed(String method, String allowed) {
        return new HttpProblem(405, "method " + method + " is not allowed here", Map.of("Allow", allowed));
    }

    private static Integer intQuery(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new dev.gatekey.persistence.InvalidInputException(name, name + " must be a number");
        }
    }

    /** The JSON body as {@code type}, or null when there is none. */
    private <T> T body(HttpServletRequest request, Class<T> type) throws IOException {
        String contentType = request.getContentType();
        if (contentType == null || !Json.isJson(contentType)) {
            throw new HttpProblem(415, "the body must be application/json");
        }
        byte[] bytes = BoundedBody.read(request, maxBodyBytes);
        if (bytes.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (JsonProcessingException e) {
            throw new HttpProblem(400, "the body is not a JSON object of this request's properties");
        }
    }
}
