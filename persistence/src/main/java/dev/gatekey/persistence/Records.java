package dev.gatekey.persistence;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeSet;

/** The immutable records callers see, made from entities (keys: {@link KeyMaterial#view}). */
final class Records {

    private Records() {
    }

    static Bucket toBucket(BucketEntity b) {
        return new Bucket(b.name, b.description, b.keyPrefix, b.retrievable, b.createdOn, b.updatedOn);
    }

    static Consumer toConsumer(ConsumerEntity c, List<ApiKey> keys) {
        return new Consumer(c.publicId, c.name, c.description,
                Collections.unmodifiableMap(new LinkedHashMap<>(Json.parseObject(c.metadataJson))),
                new HashMap<>(c.tags), new TreeSet<>(c.managers).stream().toList(), c.createdOn, c.updatedOn, keys);
    }

    static Leak toLeak(LeakEntity l) {
        return new Leak(l.id, l.keyId, l.bucket, l.consumer, l.tokenType, l.url, l.source, l.action, l.foundOn);
    }
}
