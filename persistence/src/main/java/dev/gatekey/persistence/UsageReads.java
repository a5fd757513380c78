package dev.gatekey.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The queries of usage analytics on one JDBC connection (in one snapshot, so that a concurrent roll-up is seen
 * entirely or not at all). A period not rolled up yet is summed from the finer table: hours after the hour
 * roll-up's mark from minutes, days after the day roll-up's mark from hours and minutes; so the current hour and
 * day are always complete.
 */
final class UsageReads {

    private static final String VALID = "valid";
    private static final int IN_LIST_SIZE = 500;

    private UsageReads() {
    }

    /** One table's part of a range: rows of {@code table} with {@code from <= start_minute < to}. */
    private record Source(String table, long from, long to) {
    }

    /** The requests per period and outcome of a bucket ({@code consumerId} null) or of one consumer. */
    static List<UsagePoint> series(Connection connection, long bucketId, Long consumerId, UsageRange range)
            throws SQLException {
        int minutes = range.granularity().minutes();
        String period = "(start_minute / " + minutes + ") * " + minutes;
        Map<Long, Map<String, Long>> sums = new TreeMap<>();
        for (Source source : sources(connection, range)) {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + period
                    + ", outcome, SUM(request_count) FROM " + source.table() + " WHERE bucket_id = ?"
                    + (consumerId == null ? "" : " AND consumer_id = ?")
                    + " AND start_minute >= ? AND start_minute < ? GROUP BY " + period + ", outcome")) {
                int i = 1;
                select.setLong(i++, bucketId);
                if (consumerId != null) {
                    select.setLong(i++, consumerId);
                }
                select.setLong(i++, source.from());
                select.setLong(i, source.to());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        sums.computeIfAbsent(rows.getLong(1), s -> new TreeMap<>())
                                .merge(rows.getString(2).trim(), rows.getLong(3), Long::sum);
                    }
                }
            }
        }
        List<UsagePoint> points = new ArrayList<>();
        sums.forEach((start, byOutcome) -> byOutcome.forEach((outcome, count) -> {
            if (count > 0) {
                points.add(new UsagePoint(Instant.ofEpochSecond(start * 60), outcome, count));
            }
        }));
        return points;
    }

    /** A bucket's consumers with the most valid requests in the range, most first (ties by name). */
    static List<ConsumerUsage> top(Connection connection, long bucketId, UsageRange range, int limit)
            throws SQLException {
        Map<Long, Long> valid = new HashMap<>();
        for (Source source : sources(connection, range)) {
            try (PreparedStatement select = connection.prepareStatement("SELECT consumer_id, SUM(request_count) FROM "
                    + source.table() + " WHERE bucket_id = ? AND consumer_id <> 0 AND outcome = '" + VALID + "'"
                    + " AND start_minute >= ? AND start_minute < ? GROUP BY consumer_id")) {
                select.setLong(1, bucketId);
                select.setLong(2, source.from());
                select.setLong(3, source.to());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        valid.merge(rows.getLong(1), rows.getLong(2), Long::sum);
                    }
                }
            }
        }
        // names of the candidates only: the top counts and whatever ties with the last of them
        long least = valid.values().stream().sorted(Comparator.reverseOrder()).skip(limit - 1L).findFirst()
                .orElse(0L);
        List<Long> candidates = valid.entrySet().stream().filter(e -> e.getValue() >= least && e.getValue() > 0)
                .map(Map.Entry::getKey).toList();
        Map<Long, String> names = names(connection, candidates);
        return candidates.stream().filter(names::containsKey)
                .map(id -> new ConsumerUsage(names.get(id), valid.get(id)))
                .sorted(Comparator.comparingLong(ConsumerUsage::count).reversed()
                        .thenComparing(ConsumerUsage::consumer))
                .limit(limit).toList();
    }

    private static Map<Long, String> names(Connection connection, List<Long> ids) throws SQLException {
        Map<Long, String> names = new HashMap<>();
        for (int from = 0; from < ids.size(); from += IN_LIST_SIZE) {
            List<Long> part = ids.subList(from, Math.min(ids.size(), from + IN_LIST_SIZE));
            try (PreparedStatement select = connection.prepareStatement("SELECT id, name FROM gk_consumer WHERE id IN ("
                    + String.join(",", java.util.Collections.nCopies(part.size(), "?")) + ")")) {
                for (int i = 0; i < part.size(); i++) {
                    select.setLong(i + 1, part.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        names.put(rows.getLong(1), rows.getString(2));
                    }
                }
            }
        }
        return names;
    }

    /** Where each part of the range is read from, given how far hours and days are rolled up. */
    private static List<Source> sources(Connection connection, UsageRange range) throws SQLException {
        Map<String, Long> rolled = rolledUntil(connection);
        long hours = rolled.getOrDefault("hour", Long.MIN_VALUE);
        long days = rolled.getOrDefault("day", Long.MIN_VALUE);
        long from = range.fromMinute();
        long to = range.toMinute();
        List<Source> sources = new ArrayList<>();
        switch (range.granularity()) {
            case MINUTE -> sources.add(new Source(UsageWrites.TABLES[0], from, to));
            case HOUR -> {
                sources.add(new Source(UsageWrites.TABLES[1], from, Math.min(to, hours)));
                sources.add(new Source(UsageWrites.TABLES[0], Math.max(from, hours), to));
            }
            case DAY -> {
                sources.add(new Source(UsageWrites.TABLES[2], from, Math.min(to, days)));
                sources.add(new Source(UsageWrites.TABLES[1], Math.max(from, days), Math.min(to, hours)));
                sources.add(new Source(UsageWrites.TABLES[0], Math.max(from, hours), to));
            }
        }
        sources.removeIf(s -> s.from() >= s.to());
        return sources;
    }

    private static Map<String, Long> rolledUntil(Connection connection) throws SQLException {
        Map<String, Long> rolled = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT granularity, rolled_until FROM gk_usage_rollup");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long until = rows.getLong(2);
                if (!rows.wasNull()) {
                    rolled.put(rows.getString(1).trim(), until);
                }
            }
        }
        return rolled;
    }
}
