package l4smp.hw.cache;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tag store's least-recently-used replacement, against a list kept in use order, across the
 * renumbering of its 32-bit use stamps.
 */
class CacheArrayTest {
    @Test
    void replacementIsLeastRecentlyUsedBeforeAndAfterTheStampsAreRenumbered() {
        CacheArray cache = new CacheArray(new CacheGeometry(1, 4)); // one set of four ways
        Deque<Integer> order = new ArrayDeque<>(); // least recently used first
        SplittableRandom rng = new SplittableRandom(3);
        cache.advanceClockForTest(0xFFFF_FFFFL - 500); // the renumbering happens in the middle of the run
        for (int access = 0; access < 1000; access++) {
            int line = rng.nextInt(7);
            int slot = cache.find(line);
            if (slot >= 0) {
                cache.touch(slot);
            } else {
                int victim = cache.victim(line);
                if (!cache.isEmpty(victim)) {
                    assertEquals(order.peekFirst(), cache.line(victim), "victim at access " + access);
                    order.remove(cache.line(victim));
                }
                cache.fill(victim, line, Mesi.EXCLUSIVE);
            }
            order.remove(line);
            order.addLast(line);
            assertEquals(Mesi.EXCLUSIVE, cache.state(cache.find(line)));
        }
    }
}
