package l4smp.tlc.engine;

import tlc2.output.MPRecorder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects every message TLC reports, as (code, objects) pairs, in order. TLC calls it from its
 * worker threads, hence the synchronised list.
 */
final class Recorder extends MPRecorder {
    record Message(int code, Object[] objects) {
        String text(int i) {
            return objects.length > i && objects[i] != null ? String.valueOf(objects[i]) : null;
        }
    }

    private final List<Message> messages = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void record(int code, Object... objects) {
        messages.add(new Message(code, objects == null ? new Object[0] : objects.clone()));
    }

    List<Message> messages() {
        synchronized (messages) {
            return new ArrayList<>(messages);
        }
    }

    Message last(int code) {
        Message found = null;
        for (Message m : messages()) {
            if (m.code() == code) found = m;
        }
        return found;
    }
}
