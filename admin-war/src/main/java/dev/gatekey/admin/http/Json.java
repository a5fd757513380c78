package dev.gatekey.admin.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * The admin WAR's one {@link ObjectMapper} (ISO-8601 UTC timestamps, unknown properties refused), the
 * {@code application/json} media type check and the writing of JSON answers.
 */
public final class Json {

    /** Media type of every JSON answer and request body. */
    public static final String JSON = "application/json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Json() {
    }

    /** Thread-safe once configured, as Jackson documents. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code application/json}, optionally with {@code charset=utf-8} (JSON is UTF-8, RFC 8259). */
    public static boolean isJson(String contentType) {
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase(JSON)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].trim().split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("charset") && (parameter.length < 2
                    || !parameter[1].trim().replace("\"", "").equalsIgnoreCase("utf-8"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes an answer with {@code Cache-Control: no-store} and {@code headers}: {@code body} as UTF-8 JSON, or no
     * body when it is null.
     */
    public static void write(HttpServletResponse response, int status, Map<String, String> headers, Object body)
            throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        headers.forEach(response::setHeader);
        if (body == null) {
            return;
        }
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        response.setContentType(JSON);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
