package dev.vnet.serve;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recent results, by id, kept for a bounded time and count: memory stays bounded whatever clients send, and a
 * result's downloads work while the page shows it. The oldest result is dropped first.
 *
 * @param <V> what is kept
 */
final class ResultCache<V> {
    private record Entry<V>(V value, Instant expires) {}

    private final Map<String, Entry<V>> entries = new LinkedHashMap<>();
    private final Duration ttl;
    private final int maxCount;
    private final Clock clock;

    ResultCache(Duration ttl, int maxCount, Clock clock) {
        this.ttl = ttl;
        this.maxCount = maxCount;
        this.clock = clock;
    }

    synchronized void put(String id, V value) {
        dropExpired();
        entries.put(id, new Entry<>(value, clock.instant().plus(ttl)));
        Iterator<String> oldest = entries.keySet().iterator();
        while (entries.size() > maxCount) {
            oldest.next();
            oldest.remove();
        }
    }

    /** {@return the result of {@code id}, or null if it is unknown, expired or dropped} */
    synchronized V get(String id) {
        dropExpired();
        Entry<V> e = entries.get(id);
        return e == null ? null : e.value();
    }

    synchronized int size() {
        dropExpired();
        return entries.size();
    }

    private void dropExpired() {
        Instant now = clock.instant();
        entries.values().removeIf(e -> !e.expires().isAfter(now));
    }
}
