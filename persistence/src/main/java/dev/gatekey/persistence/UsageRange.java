package dev.gatekey.persistence;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a usage query covers: the periods of {@code granularity} from the one containing {@code from} up to (and
 * without) the one starting at or after {@code to}. Made by {@link #of} or {@link #parse}, which check it.
 *
 * @param from the start (rounded down to the granularity when queried)
 * @param to the end, exclusive (rounded up to the granularity when queried)
 * @param granularity the periods
 */
public record UsageRange(Instant from, Instant to, UsageGranularity granularity) {

    public UsageRange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(granularity, "granularity");
    }

    /**
     * A checked range.
     *
     * @throws InvalidInputException when {@code from} is not before {@code to}, or the range is longer than the
     *     granularity's {@link UsageGranularity#maxRange()}
     */
    public static UsageRange of(Instant from, Instant to, UsageGranularity granularity) {
        if (!from.isBefore(to)) {
            throw new InvalidInputException("from", "from must be before to");
        }
        if (Duration.between(from, to).compareTo(granularity.maxRange()) > 0) {
            throw new InvalidInputException("from", "from must be at most " + describe(granularity.maxRange())
                    + " before to with granularity " + granularity.apiName());
        }
        return new UsageRange(from, to, granularity);
    }

    /**
     * The range of the admin API's query parameters: each may be absent ({@code null}); {@code to} then is
     * {@code now}, {@code granularity} {@code hour}, and {@code from} the granularity's default range before
     * {@code to}.
     *
     * @throws InvalidInputException naming every parameter that is not what it should be
     */
    public static UsageRange parse(String from, String to, String granularity, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        UsageGranularity g = granularity == null ? UsageGranularity.HOUR : UsageGranularity.parse(granularity);
        if (g == null) {
            errors.add(new FieldError("granularity", "granularity must be minute, hour or day"));
        }
        Instant end = to == null ? now : instant("to", to, errors);
        Instant start = from == null ? null : instant("from", from, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return of(start != null ? start : end.minus(g.defaultRange()), end, g);
    }

    static Instant instant(String field, String value, List<FieldError> errors) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, field + " must be an ISO-8601 UTC instant, e.g. 2026-01-31T00:00:00Z"));
            return null;
        }
    }

    static String describe(Duration d) {
        return d.toHours() % 24 == 0 && d.toDays() > 2 ? d.toDays() + " days" : d.toHours() + " hours";
    }

    /** The first minute of the first period (minutes since 1970-01-01T00:00Z). */
    long fromMinute() {
        return Math.floorDiv(Math.floorDiv(from.getEpochSecond(), 60), granularity.minutes()) * granularity.minutes();
    }

    /** The first minute after the last period. */
    long toMinute() {
        long minute = Math.floorDiv(to.toEpochMilli() + 59_999, 60_000);
        return Math.floorDiv(minute + granularity.minutes() - 1, granularity.minutes()) * granularity.minutes();
    }
}
