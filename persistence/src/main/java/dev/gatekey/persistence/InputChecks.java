package dev.gatekey.persistence;

import dev.gatekey.ratelimit.RateLimit;
import dev.gatekey.ratelimit.RateLimiters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The services' input checks: actors, descriptions, expiries, tags, managers and metadata (with the {@link Limits}).
 * Field problems are collected as {@link FieldError}s and thrown together ({@link #throwIfAny}); metadata over
 * its byte limit is a {@link PayloadTooLargeException}; a missing or bad actor is a caller's bug
 * ({@link IllegalArgumentException}). Text checks: {@link TextChecks}.
 */
final class InputChecks {

    private static final Pattern TAG_KEY = Pattern.compile(ConsumerService.TAG_KEY_REGEX);

    private final Limits limits;

    InputChecks(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The longest actor: {@code manager:} and a manager id of {@value ConsumerService#MAX_MANAGER_LENGTH} fit. */
    static final int MAX_ACTOR_LENGTH = 300;

    static void checkActor(String actor) {
        if (actor == null || actor.isBlank() || actor.length() > MAX_ACTOR_LENGTH) {
            throw new IllegalArgumentException("actor must be 1 to " + MAX_ACTOR_LENGTH + " characters");
        }
    }

    static void checkDescription(String description, List<FieldError> errors) {
        if (description != null && description.length() > KeyManagement.MAX_DESCRIPTION_LENGTH) {
            errors.add(new FieldError("description",
                    "description must be at most " + KeyManagement.MAX_DESCRIPTION_LENGTH + " characters"));
        } else if (!TextChecks.isStorable(description)) {
            errors.add(new FieldError("description", TextChecks.UNSTORABLE));
        }
    }

    static void checkFutureExpiry(Instant expiresOn, Instant now, List<FieldError> errors) {
        if (expiresOn != null && !expiresOn.isAfter(now)) {
            errors.add(new FieldError("expiresOn", "expiresOn must be in the future"));
        }
    }

    void checkTags(Map<String, String> tags, List<FieldError> errors) {
        if (tags == null) {
            return;
        }
        if (tags.size() > limits.maxTags()) {
            errors.add(new FieldError("tags", "tags must not have more than " + limits.maxTags() + " entries"));
            return;
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey() == null || !TAG_KEY.matcher(tag.getKey()).matches()) {
                errors.add(new FieldError("tags", "tag keys must match " + ConsumerService.TAG_KEY_REGEX));
            } else if (tag.getValue() == null || tag.getValue().length() > ConsumerService.MAX_TAG_VALUE_LENGTH) {
                errors.add(new FieldError("tags." + tag.getKey(),
                        "tag values must be 0 to " + ConsumerService.MAX_TAG_VALUE_LENGTH + " characters"));
            } else if (!TextChecks.isStorable(tag.getValue())) {
                errors.add(new FieldError("tags." + tag.getKey(), TextChecks.UNSTORABLE));
            }
        }
    }

    static void checkManagers(List<String> managers, List<FieldError> errors) {
        if (managers == null) {
            return;
        }
        if (managers.size() > ConsumerService.MAX_MANAGERS) {
            errors.add(new FieldError("managers",
                    "managers must not have more than " + ConsumerService.MAX_MANAGERS + " entries"));
            return;
        }
        for (int i = 0; i < managers.size(); i++) {
            String manager = managers.get(i);
            if (manager == null || manager.isEmpty() || manager.length() > ConsumerService.MAX_MANAGER_LENGTH) {
                errors.add(new FieldError("managers[" + i + "]",
                        "managers must be 1 to " + ConsumerService.MAX_MANAGER_LENGTH + " characters"));
            } else if (!TextChecks.isStorable(manager)) {
                errors.add(new FieldError("managers[" + i + "]", TextChecks.UNSTORABLE));
            }
        }
    }

    /** The metadata as stored (compact JSON), or null with its problems added to {@code errors}. */
    static String metadataJson(Map<String, Object> metadata, List<FieldError> errors) {
        int before = errors.size();
        TextChecks.checkJson("metadata", metadata, errors);
        checkRateLimit(metadata, errors);
        if (errors.size() > before) {
            return null;
        }
        try {
            return Json.write(metadata);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("metadata", "metadata must be a JSON object"));
            return null;
        }
    }

    /** A consumer's limit the filter could not apply would be ignored at every request: refused here instead. */
    private static void checkRateLimit(Map<String, Object> metadata, List<FieldError> errors) {
        if (metadata == null || !metadata.containsKey(RateLimiters.METADATA_RATE_LIMIT)) {
            return;
        }
        String field = "metadata." + RateLimiters.METADATA_RATE_LIMIT;
        if (!(metadata.get(RateLimiters.METADATA_RATE_LIMIT) instanceof String text)) {
            errors.add(new FieldError(field, "rateLimit must be a string such as 100/1s, 30/1m, 5000/1h or 100000/1d"));
            return;
        }
        try {
            RateLimit.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
        }
    }

    void checkMetadataSize(String json) {
        if (json.getBytes(StandardCharsets.UTF_8).length > limits.metadataMaxBytes()) {
            throw new PayloadTooLargeException("metadata must not exceed " + limits.metadataMaxBytes() + " bytes");
        }
    }

    static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
