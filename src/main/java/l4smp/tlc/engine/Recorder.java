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
    /** The cfg's assignments to names the spec lacks, once checked; see {@link #checkConfigBeforeSearch}. */
    private volatile List<String> undeclared;

    @Override
    public void record(int code, Object... objects) {
        messages.add(new Message(code, objects == null ? new Object[0] : objects.clone()));
        if (undeclared == null && (code == tlc2.output.EC.TLC_COMPUTING_INIT
                || code == tlc2.output.EC.TLC_COMPUTING_INIT_PROGRESS)) {
            checkConfigBeforeSearch();
        }
    }

    /**
     * TLC has parsed the spec and cfg and is about to compute the initial states: the first moment
     * the cfg's constants can be compared with the spec's declarations, and the last before a long
     * search. An assignment to an undeclared name stops the run here (by an exception TLC reports as
     * its own error; the result builder then reports the cfg error instead).
     */
    private void checkConfigBeforeSearch() {
        tlc2.tool.ITool tool = ResultBuilder.localTool();
        if (tool == null) return;
        undeclared = ConfigNames.undeclared(tool);
        if (!undeclared.isEmpty()) throw new IllegalStateException(ConfigNames.undeclaredMessage(undeclared));
    }

    /** The cfg's assignments to undeclared names, checking now if TLC never got to it; empty when none. */
    List<String> undeclared(tlc2.tool.ITool tool) {
        if (undeclared == null) undeclared = tool == null ? List.of() : ConfigNames.undeclared(tool);
        return undeclared;
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
