package dev.gatekey.persistence;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Input checks of webhook endpoints, each failure a field error with an exact message. */
final class WebhookChecks {

    static final int MAX_URL_LENGTH = 2048;

    private WebhookChecks() {
    }

    /** https anywhere; http only to a loopback address ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}). */
    static void checkUrl(String url, List<FieldError> errors) {
        if (url == null || url.isBlank()) {
            errors.add(new FieldError("url", "url is required"));
            return;
        }
        if (url.length() > MAX_URL_LENGTH) {
            errors.add(new FieldError("url", "url must be at most " + MAX_URL_LENGTH + " characters"));
            return;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            errors.add(new FieldError("url", "url must be an absolute https URL"));
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getRawFragment() != null || uri.getRawUserInfo() != null
                || !(scheme.equals("https") || scheme.equals("http"))) {
            errors.add(new FieldError("url", "url must be an absolute https URL"));
        } else if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            errors.add(new FieldError("url", "url must use https (http is allowed for loopback addresses only)"));
        }
    }

    /** No name resolution: only the name {@code localhost} and loopback address literals count. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The stored form ({@code *} or a comma list, in the given order, without duplicates); null after an error. */
    static String checkEvents(List<String> events, List<FieldError> errors) {
        if (events == null || events.isEmpty()) {
            errors.add(new FieldError("events", "events must list at least one event type, or \"*\""));
            return null;
        }
        if (events.contains(WebhookService.ALL_EVENTS)) {
            if (events.size() != 1) {
                errors.add(new FieldError("events", "events must be [\"*\"] alone or a list of event types"));
                return null;
            }
            return WebhookService.ALL_EVENTS;
        }
        Set<String> types = new LinkedHashSet<>();
        List<FieldError> found = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            String type = events.get(i);
            if (type == null || !WebhookService.EVENT_TYPES.contains(type)) {
                found.add(new FieldError("events[" + i + "]", "events[" + i + "] must be one of "
                        + String.join(", ", WebhookService.EVENT_TYPES) + ", or \"*\" alone"));
            } else {
                types.add(type);
            }
        }
        errors.addAll(found);
        return found.isEmpty() ? String.join(",", types) : null;
    }
}
