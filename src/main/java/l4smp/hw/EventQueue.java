package l4smp.hw;

import java.util.PriorityQueue;

/** The pending hardware events in (time, sequence number) order. */
final class EventQueue {
    private final PriorityQueue<HwEvent> events = new PriorityQueue<>();
    private long nextSequence;

    HwEvent schedule(HwEvent.Kind kind, long time, int target, int vector, long tag) {
        HwEvent event = new HwEvent(kind, time, nextSequence++, target, vector, tag);
        events.add(event);
        return event;
    }

    void cancel(HwEvent event) {
        events.remove(event);
    }

    HwEvent peek() {
        return events.peek();
    }

    HwEvent poll() {
        return events.poll();
    }

    boolean isEmpty() {
        return events.isEmpty();
    }

    int size() {
        return events.size();
    }
}
