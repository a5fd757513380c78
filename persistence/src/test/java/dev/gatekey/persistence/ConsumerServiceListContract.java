package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ConsumerService#list}: keyset pages, tag and name-prefix filters, included keys, on one database. */
abstract class ConsumerServiceListContract extends DatabaseTestBase {

    @Test
    void listConsumersWhenTagFilteredThenPagesWithoutGapsOrDuplicates() {
        Bucket bucket = newBucket(false);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("env", i % 2 == 0 ? "prod" : "test");
            tags.put("team", i % 3 == 0 ? "blue" : "red");
            String name = "c" + i;
            km.consumers().create(ACTOR, bucket.name(), new NewConsumer(name, null, null, tags), false);
            if (i % 2 == 0 && i % 3 != 0) {
                expected.add(name);
            }
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Consumer> page = km.consumers().list(bucket.name(), new ConsumerQuery(3, cursor,
                    Map.of("env", "prod", "team", "red"), false, KeyFormat.NONE));
            assertThat(page.data()).hasSizeLessThanOrEqualTo(3);
            page.data().forEach(c -> seen.add(c.name()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).hasSize(8);
        assertThat(pages).isEqualTo(3);
    }

    /** A bucket of eight consumers, four of them named {@code acme-...}. */
    private Bucket bucketOfAcmes() {
        Bucket bucket = newBucket(false);
        for (String name : List.of("acme-1", "acme-2", "Acme-3", "bolt", "acme-4", "acme_5", "acmeX6", "acme-7")) {
            km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(name), false);
        }
        return bucket;
    }

    private List<Consumer> withPrefix(Bucket bucket, String prefix) {
        return km.consumers().list(bucket.name(), new ConsumerQuery(10, null, null, false, KeyFormat.NONE, prefix))
                .data();
    }

    @Test
    void listConsumersWhenNamePrefixGivenThenPagesThroughTheMatchingNamesOnly() {
        Bucket bucket = bucketOfAcmes();
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<Consumer> page = km.consumers().list(bucket.name(),
                    new ConsumerQuery(2, cursor, null, false, KeyFormat.NONE, "acme-"));
            page.data().forEach(c -> seen.add(c.name()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(seen).containsExactly("acme-1", "acme-2", "acme-4", "acme-7");
    }

    @Test
    void listConsumersWhenNamePrefixHasUnderscoreThenTakenLiterally() {
        assertThat(withPrefix(bucketOfAcmes(), "acme_")).extracting(Consumer::name).containsExactly("acme_5");
    }

    @Test
    void listConsumersWhenNamePrefixHasPercentThenTakenLiterally() {
        assertThat(withPrefix(bucketOfAcmes(), "acme%")).isEmpty();
    }

    @Test
    void listConsumersWhenNamePrefixEmptyThenNoFilter() {
        assertThat(withPrefix(bucketOfAcmes(), "")).hasSize(8);
    }

    @Test
    void listConsumersWhenNamePrefixIsLongerThanANameThenInvalid() {
        Bucket bucket = newBucket(false);
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> km.consumers().list(bucket.name(), new ConsumerQuery(10, null, null, false, KeyFormat.NONE,
                        "a".repeat(ConsumerService.MAX_CONSUMER_NAME_LENGTH + 1))));
        assertThat(e.errors()).containsExactly(new FieldError("name-prefix", "must be at most 128 characters"));
    }

    private Page<Consumer> listWithMaskedKeys(Bucket bucket) {
        return km.consumers().list(bucket.name(), new ConsumerQuery(null, null, null, true, KeyFormat.MASKED));
    }

    @Test
    void listConsumersWhenConsumerDeletedThenSkipped() {
        Bucket bucket = newBucket(false);
        Consumer a = newConsumer(bucket);
        Consumer b = newConsumer(bucket);
        km.consumers().delete(ACTOR, bucket.name(), a.name());
        assertThat(listWithMaskedKeys(bucket).data()).extracting(Consumer::name).containsExactly(b.name());
    }

    @Test
    void listConsumersWhenKeysIncludedForAConsumerWithoutKeysThenEmptyKeyList() {
        Bucket bucket = newBucket(false);
        newConsumer(bucket);
        assertThat(listWithMaskedKeys(bucket).data().get(0).apiKeys()).isEmpty();
    }

    @Test
    void listConsumersWhenLastPageThenNoCursor() {
        Bucket bucket = newBucket(false);
        newConsumer(bucket);
        newConsumer(bucket);
        assertThat(listWithMaskedKeys(bucket).nextCursor()).isNull();
    }

    @Test
    void listConsumersWhenKeysIncludedVisibleThenInFull() {
        Bucket bucket = newBucket(true);
        Consumer consumer = newConsumerWithKey(bucket);
        Page<Consumer> page = km.consumers().list(ACTOR, bucket.name(), new ConsumerQuery(10, null, null, true,
                KeyFormat.VISIBLE));
        assertThat(page.data().get(0).apiKeys()).extracting(ApiKey::key)
                .containsExactly(consumer.apiKeys().get(0).key());
    }

    @Test
    void listConsumersWhenCursorIsGarbageThenInvalidCursor() {
        Bucket bucket = newBucket(false);
        for (String bad : List.of("!!!", "bm90LWEtY3Vyc29y", "djE6LTU")) {
            InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                    () -> km.consumers().list(bucket.name(), new ConsumerQuery(10, bad, null, false, null)));
            assertThat(e.errors()).as(bad).containsExactly(new FieldError("cursor", "cursor is invalid"));
        }
    }

    @Test
    void listConsumersWhenLimitOutOfRangeThenInvalidLimit() {
        Bucket bucket = newBucket(false);
        for (int bad : new int[] {0, 1001}) {
            InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                    () -> km.consumers().list(bucket.name(), ConsumerQuery.first(bad)));
            assertThat(e.errors()).containsExactly(new FieldError("limit", "limit must be between 1 and 1000"));
        }
    }
}
