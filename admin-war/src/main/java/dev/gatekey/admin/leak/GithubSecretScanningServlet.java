package dev.gatekey.admin.leak;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekey.admin.http.BoundedBody;
import dev.gatekey.admin.http.HttpProblem;
import dev.gatekey.admin.http.Json;
import dev.gatekey.admin.http.Problem;
import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.format.ParsedKey;
import dev.gatekey.persistence.FieldError;
import dev.gatekey.persistence.InvalidInputException;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.KeyOwner;
import dev.gatekey.persistence.Leak;
import dev.gatekey.persistence.LeakReport;
import dev.gatekey.store.KeyHashes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The receiving end of GitHub's secret-scanning partner program, {@code POST {context}/api/v1}{@value #ROUTE}.
 * It is its own servlet, mapped exactly, so the admin API's authentication does not apply: the payload's
 * signature is the authentication.
 *
 * <h2>Steps, in order</h2>
 * <ol>
 * <li>Not configured (no GitHub public keys) → 404; a method other than POST → 405.</li>
 * <li>{@value #KEY_ID_HEADER} or {@value #SIGNATURE_HEADER} missing, or an unknown key identifier → 401.</li>
 * <li>The raw body, counted while read, over {@code gatekey.leakMaxBodyBytes} → 413.</li>
 * <li>The signature (ECDSA P-256 / SHA-256 over the raw body) does not verify → 401. Nothing is looked up
 *     before this point.</li>
 * <li>The body is not a JSON array of objects with string {@code token}, {@code type}, {@code url} and
 *     {@code source} → 400 with field errors ({@code [3].url}).</li>
 * <li>Each token: format and checksum of this deployment ({@link ApiKeyFormat}); well-formed tokens are looked up
 *     by SHA-256 in every bucket, in one query per 500. A key Gatekey issued (active or not) is
 *     {@code true_positive}, anything else {@code false_positive}.</li>
 * <li>Each leaked active key: {@link dev.gatekey.persistence.LeakService#record} with the configured action (record + audit,
 *     and revocation with {@code revoke}); a new record is logged (key id, never the key) and sent to the leak
 *     webhook, in the background.</li>
 * <li>200 with {@code [{"token_raw","token_type","label"}]}, one entry per token, in order.</li>
 * </ol>
 * Database failures are 503 with {@code Retry-After}, so GitHub retries.
 */
public final class GithubSecretScanningServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The route, relative to the API base {@code /api/v1}. */
    public static final String ROUTE = "/secret-scanning/github";
    public static final String KEY_ID_HEADER = "Github-Public-Key-Identifier";
    public static final String SIGNATURE_HEADER = "Github-Public-Key-Signature";
    /** Audit actor of leak records. */
    public static final String ACTOR = "github-secret-scanning";
    public static final String TRUE_POSITIVE = "true_positive";
    public static final String FALSE_POSITIVE = "false_positive";

    private static final Logger LOG = Logger.getLogger(GithubSecretScanningServlet.class.getName());
    private static final List<String> FIELDS = List.of("token", "type", "url", "source");

    private final transient KeyManagement keys;
    private final transient ApiKeyFormat format;
    private final transient LeakSettings settings;
    private final transient LeakNotifier notifier;

    /** @param notifier null when no leak webhook is configured */
    public GithubSecretScanningServlet(KeyManagement keys, ApiKeyFormat format, LeakSettings settings,
            LeakNotifier notifier) {
        this.keys = keys;
        this.format = format;
        this.settings = settings;
        this.notifier = notifier;
    }

    private record Report(String token, String type, String url, String source) {
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (!settings.githubEnabled()) {
                throw new HttpProblem(404, "GitHub secret scanning is not configured: set "
                        + LeakSettings.GITHUB_PUBLIC_KEYS + " or " + LeakSettings.GITHUB_PUBLIC_KEYS_FILE);
            }
            if (!"POST".equals(request.getMethod())) {
                throw new HttpProblem(405, "method " + request.getMethod() + " is not allowed here",
                        Map.of("Allow", "POST"));
            }
            String keyId = request.getHeader(KEY_ID_HEADER);
            String signature = request.getHeader(SIGNATURE_HEADER);
            if (keyId == null || signature == null) {
                throw new HttpProblem(401, KEY_ID_HEADER + " and " + SIGNATURE_HEADER + " are required");
            }
            if (!settings.publicKeys().knows(keyId)) {
                throw new HttpProblem(401, "unknown " + KEY_ID_HEADER);
            }
            byte[] body = BoundedBody.read(request, settings.maxBodyBytes());
            if (!settings.publicKeys().verify(keyId, signature, body)) {
                throw new HttpProblem(401, "the signature does not verify");
            }
            Json.write(response, 200, Map.of(), scan(parse(body)));
        } catch (Exception e) {
            fail(request, response, e);
        }
    }

    private static List<Report> parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the input, which holds tokens
            throw new InvalidInputException("body", "malformed JSON");
        } catch (IOException e) {
            throw new InvalidInputException("body", "malformed JSON");
        }
        if (root == null || !root.isArray()) {
            throw new InvalidInputException("body", "the body must be a JSON array");
        }
        List<FieldError> errors = new ArrayList<>();
        List<Report> reports = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode entry = root.get(i);
            if (!entry.isObject()) {
                errors.add(new FieldError("[" + i + "]", "must be an object"));
                continue;
            }
            String[] values = new String[FIELDS.size()];
            for (int f = 0; f < FIELDS.size(); f++) {
                JsonNode value = entry.get(FIELDS.get(f));
                if (value == null || !value.isTextual()) {
                    errors.add(new FieldError("[" + i + "]." + FIELDS.get(f), "must be a string"));
                } else {
                    values[f] = value.asText();
                }
            }
            reports.add(new Report(values[0], values[1], values[2], values[3]));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return reports;
    }

    private List<Map<String, String>> scan(List<Report> reports) {
        // format and checksum first: forged or foreign tokens never reach the database
        List<String> hashes = new ArrayList<>(reports.size());
        for (Report report : reports) {
            Optional<ParsedKey> parsed = format.parse(report.token());
            hashes.add(parsed.isPresent() && format.hasValidChecksum(parsed.get())
                    ? KeyHashes.sha256Hex(report.token()) : null);
        }
        Map<String, KeyOwner> owners = keys.leaks().findKeysByHash(hashes.stream().filter(h -> h != null).toList());
        List<Map<String, String>> answer = new ArrayList<>(reports.size());
        for (int i = 0; i < reports.size(); i++) {
            Report report = reports.get(i);
            KeyOwner owner = hashes.get(i) == null ? null : owners.get(hashes.get(i));
            if (owner != null && owner.active()) {
                keys.leaks().record(ACTOR, hashes.get(i), new LeakReport(report.type(), report.url(), report.source()),
                        settings.action()).ifPresent(this::reported);
            }
            Map<String, String> label = new LinkedHashMap<>();
            label.put("token_raw", report.token());
            label.put("token_type", report.type());
            label.put("label", owner != null ? TRUE_POSITIVE : FALSE_POSITIVE);
            answer.add(label);
        }
        return answer;
    }

    private void reported(Leak leak) {
        LOG.warning("Key " + leak.keyId() + " of consumer " + leak.consumer() + " in bucket " + leak.bucket()
                + " leaked (GitHub secret scanning, " + leak.source() + ": " + leak.url() + "); action: "
                + leak.action());
        if (notifier != null) {
            notifier.notify(leak);
        }
    }

    private static void fail(HttpServletRequest request, HttpServletResponse response, Exception e)
            throws IOException {
        Problem problem = Problem.of(e);
        if (problem.status() >= 500) {
            LOG.log(Level.WARNING, "GitHub secret scanning webhook failed with " + problem.status(), e);
        } else {
            LOG.log(Level.FINE, "GitHub secret scanning webhook: {0} {1}",
                    new Object[] {problem.status(), problem.detail()});
        }
        problem.writeTo(response);
    }
}
