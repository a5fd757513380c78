package dev.gatekey.admin.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gatekey.admin.http.HttpProblem;
import dev.gatekey.admin.http.Json;
import dev.gatekey.persistence.ConsumerGuard;
import dev.gatekey.persistence.ConsumerService;
import dev.gatekey.persistence.FieldError;
import dev.gatekey.persistence.InvalidInputException;
import dev.gatekey.persistence.KeyFormat;
import dev.gatekey.persistence.PayloadTooLargeException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One matched API call as a handler sees it: path variables, typed query parameters, the JSON body and
 * the authenticated actor. Every malformed input becomes an {@link InvalidInputException} naming the
 * field (query parameter name, JSON path, or {@code body}).
 */
public final class ApiRequest {

    /**
     * Query parameters {@code tag.K=V} guard every consumer and key route ({@link #guard()}): a consumer without
     * tag K = V is not found, lists show only consumers with it, and creates and tag changes keep it.
     */
    public static final String TAG_PARAMETER_PREFIX = "tag.";
    /** Query parameter {@code manager=ID} of consumer lists: only the consumers that ID manages. */
    public static final String MANAGER = "manager";
    /** Query parameter choosing how keys are shown: {@code none}, {@code masked} or {@code visible}. */
    public static final String KEY_FORMAT = "key-format";

    private final HttpServletRequest http;
    private final Map<String, String> variables;
    private final String actor;
    private final byte[] body;
    private final boolean mayReveal;
    private JsonNode bodyNode;
    private KeyFormat keyFormat;
    private ConsumerGuard guard;

    /** @param mayReveal whether the caller may see keys in full ({@code key-format=visible}) */
    ApiRequest(HttpServletRequest http, Map<String, String> variables, String actor, byte[] body, boolean mayReveal) {
        this.http = http;
        this.variables = variables;
        this.actor = actor;
        this.body = body;
        this.mayReveal = mayReveal;
    }

    /** Who is calling: the admin consumer's name, or the container user's name. */
    public String actor() {
        return actor;
    }

    public String path(String name) {
        String value = variables.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path variable " + name);
        }
        return value;
    }

    /** A single-valued query parameter, or null when absent. */
    public String query(String name) {
        String[] values = http.getParameterValues(name);
        if (values == null || values.length == 0) {
            return null;
        }
        if (values.length > 1) {
            throw new InvalidInputException(name, name + " must be given at most once");
        }
        return values[0];
    }

    public Integer intQuery(String name) {
        String value = query(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, name + " must be an integer");
        }
    }

    public boolean boolQuery(String name) {
        String value = query(name);
        if (value == null) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInputException(name, name + " must be true or false");
        };
    }

    /**
     * Query parameter {@code key-format}: none, masked or visible; {@code none} when absent. Parsed once, and
     * authorised on the parsed value: whatever spelling parses as {@code visible} is what a viewer is refused.
     *
     * @throws HttpProblem 403 when the value is {@code visible} and the caller may not see keys in full
     */
    public KeyFormat keyFormat() {
        if (keyFormat == null) {
            KeyFormat parsed = parseKeyFormat(query(KEY_FORMAT));
            if (parsed == KeyFormat.VISIBLE && !mayReveal) {
                // a full key is a credential: whoever reads it can act as the consumer
                throw new HttpProblem(403, "key-format=visible needs the admin role");
            }
            keyFormat = parsed;
        }
        return keyFormat;
    }

    static KeyFormat parseKeyFormat(String value) {
        if (value == null) {
            return KeyFormat.NONE;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> KeyFormat.NONE;
            case "masked" -> KeyFormat.MASKED;
            case "visible" -> KeyFormat.VISIBLE;
            default -> throw new InvalidInputException(KEY_FORMAT, "key-format must be none, masked or visible");
        };
    }

    /** Every {@code tag.K=V} query parameter as {@code K → V}. */
    public Map<String, String> tagQuery() {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Enumeration<String> names = http.getParameterNames(); names.hasMoreElements();) {
            String name = names.nextElement();
            if (name.startsWith(TAG_PARAMETER_PREFIX)) {
                String key = name.substring(TAG_PARAMETER_PREFIX.length());
                if (key.isEmpty()) {
                    throw new InvalidInputException(name, "tag filters look like tag.KEY=VALUE");
                }
                tags.put(key, query(name));
            }
        }
        return tags;
    }

    /** The tag guard of this call: every {@code tag.K=V} query parameter; {@link ConsumerGuard#NONE} without any. */
    public ConsumerGuard guard() {
        if (guard == null) {
            Map<String, String> tags = tagQuery();
            guard = tags.isEmpty() ? ConsumerGuard.NONE : ConsumerGuard.tags(tags);
        }
        return guard;
    }

    /**
     * Query parameter {@value #MANAGER}, or null when absent.
     *
     * @throws InvalidInputException when it is empty or longer than a manager id
     */
    public String managerQuery() {
        String manager = query(MANAGER);
        if (manager != null && (manager.isEmpty() || manager.length() > ConsumerService.MAX_MANAGER_LENGTH)) {
            throw new InvalidInputException(MANAGER,
                    "manager must be 1 to " + ConsumerService.MAX_MANAGER_LENGTH + " characters");
        }
        return manager;
    }

    /** True when the JSON body is an object with this property (even if its value is null). */
    public boolean bodyHas(String property) {
        return bodyNode().has(property);
    }

    /**
     * The JSON body as {@code type}; an empty body reads as {@code {}} unless {@code required}.
     *
     * @throws InvalidInputException for a missing, malformed or non-object body, an unknown property (named)
     *     or a value of the wrong type (field = its JSON path)
     */
    public <T> T body(Class<T> type, boolean required) {
        if (required && body.length == 0) {
            throw new InvalidInputException("body", "a JSON object is required");
        }
        try {
            return Json.mapper().treeToValue(bodyNode(), type);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidInputException(path(e), "unknown property");
        } catch (JsonMappingException e) {
            throw new InvalidInputException(path(e), "invalid value");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("body", "malformed JSON");
        }
    }

    /** One element of a JSON array body: its value, or the field errors it was refused with (value null). */
    public record Element<T>(T value, List<FieldError> errors) {
    }

    /**
     * The JSON body as a list of {@code type}, for routes that take an array; each element is read on its own, so
     * one bad element does not hide the others (its fields are named as in {@link #body}).
     *
     * @param maxItems the most elements allowed
     * @param tooMany the message of the 413 for more elements
     * @throws InvalidInputException for a missing, malformed or non-array body
     * @throws PayloadTooLargeException for more than {@code maxItems} elements
     */
    public <T> List<Element<T>> bodyArray(Class<T> type, int maxItems, String tooMany) {
        if (body.length == 0) {
            throw new InvalidInputException("body", "a JSON array is required");
        }
        JsonNode node = readJson(body);
        if (node == null || !node.isArray()) {
            throw new InvalidInputException("body", "the body must be a JSON array");
        }
        if (node.size() > maxItems) {
            throw new PayloadTooLargeException(tooMany);
        }
        List<Element<T>> elements = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            elements.add(element(element, type));
        }
        return elements;
    }

    private static <T> Element<T> element(JsonNode element, Class<T> type) {
        if (!element.isObject()) {
            return new Element<>(null, List.of(new FieldError("body", "an item must be a JSON object")));
        }
        try {
            return new Element<>(Json.mapper().treeToValue(element, type), List.of());
        } catch (UnrecognizedPropertyException e) {
            return new Element<>(null, List.of(new FieldError(path(e), "unknown property")));
        } catch (JsonMappingException e) {
            return new Element<>(null, List.of(new FieldError(path(e), "invalid value")));
        } catch (JsonProcessingException e) {
            return new Element<>(null, List.of(new FieldError("body", "malformed JSON")));
        }
    }

    private JsonNode bodyNode() {
        if (bodyNode == null) {
            if (body.length == 0) {
                bodyNode = JsonNodeFactory.instance.objectNode();
            } else {
                bodyNode = parse(body);
            }
        }
        return bodyNode;
    }

    private static JsonNode parse(byte[] body) {
        JsonNode node = readJson(body);
        if (node == null || !node.isObject()) {
            throw new InvalidInputException("body", "the body must be a JSON object");
        }
        return node;
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return Json.mapper().readTree(body);
        } catch (JsonParseException e) {
            // Jackson's own message quotes the input; say where instead
            JsonLocation at = e.getLocation();
            throw new InvalidInputException("body", "malformed JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new InvalidInputException("body", "malformed JSON");
        }
    }

    /** {@code tags.env}, {@code metadata.roles[0]}; {@code body} for the root. */
    private static String path(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException u && e.getPath().size() <= 1) {
            return u.getPropertyName();
        }
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining());
        if (path.isEmpty()) {
            return "body";
        }
        return path.startsWith(".") ? path.substring(1) : path;
    }

    /** The absolute path of an API resource, for {@code Location} headers. */
    public String location(String... segments) {
        StringBuilder out = new StringBuilder(http.getContextPath()).append(http.getServletPath());
        for (String segment : segments) {
            out.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }

    /**
     * {@code scheme://host[:port]{context}} as the client reached the WAR (behind a {@code RemoteIpFilter}, as
     * the proxy's client did); the default port is left out.
     */
    public String contextUrl() {
        String scheme = http.getScheme();
        int port = http.getServerPort();
        boolean defaultPort = port <= 0 || ("http".equals(scheme) && port == 80)
                || ("https".equals(scheme) && port == 443);
        String host = http.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + http.getContextPath();
    }
}
