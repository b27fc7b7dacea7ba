package l4smp.refine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tasks and programs of a replayed IPC counterexample (ProxyWakeup, XpIpc): a task per spec
 * thread on its CPU, each IPC of the thread's program as an {@code ipc} after a long computation,
 * so that a thread reaches its next IPC only when the trace has its CPU run it and nothing else is
 * due there. The spec lets any runnable thread of a CPU step; the kernel's dispatcher picks by
 * priority, so the threads of a CPU get priorities in the order of their first action in the trace.
 */
final class IpcReplayPrograms {
    /** Cycles a thread computes before each IPC of its program: longer than any IPI takes to arrive. */
    static final int THINK_CYCLES = 400_000;

    /**
     * One IPC of a program.
     *
     * @param kind    send, receive (closed) or wait (open receive)
     * @param peer    the spec thread it names, or null (open)
     * @param timeout the ipc macro's timeout ({@code never}, {@code 0}, {@code 20us}, ...)
     */
    record Op(String kind, String peer, String timeout) {
    }

    private final List<String> cpus;
    private final Map<String, String> home = new LinkedHashMap<>();
    private final Map<String, List<Op>> programs = new LinkedHashMap<>();
    /** Per CPU, its threads in the order of their first action in the trace. */
    private final Map<String, List<String>> firstActs = new LinkedHashMap<>();

    IpcReplayPrograms(List<String> cpus) {
        this.cpus = cpus;
        cpus.forEach(c -> firstActs.put(c, new ArrayList<>()));
    }

    /** Spec thread {@code t} sits on spec CPU {@code cpu} and runs {@code ops}. */
    void thread(String t, String cpu, List<Op> ops) {
        home.put(t, cpu);
        programs.put(t, List.copyOf(ops));
    }

    /** Spec thread {@code t} takes an action; its first one ranks it on its CPU. */
    void acts(String t) {
        List<String> onCpu = firstActs.get(home.get(t));
        if (!onCpu.contains(t)) {
            onCpu.add(t);
        }
    }

    String home(String t) {
        return home.get(t);
    }

    /** The spec threads. */
    java.util.Set<String> threads() {
        return home.keySet();
    }

    /**
     * A spec timeout as the ipc macro's: a finite one that the trace lets expire is 20 µs (it
     * expires at the next tick), any other 50 ms (it does not within a replay).
     */
    static String timeout(String spec, boolean expires) {
        return switch (spec) {
            case "never" -> "never";
            case "zero" -> "0";
            default -> expires ? "20us" : "50ms";
        };
    }

    /** The kernel task of spec thread {@code t}: its name in lower case ({@code A1} is task {@code a1}). */
    static String task(String t) {
        return t.toLowerCase(Locale.ROOT);
    }

    /** Adds the programs and tasks to the scenario {@code root}. */
    void write(ObjectNode root) {
        home.keySet().forEach(t -> {
            if (!firstActs.get(home.get(t)).contains(t)) {
                firstActs.get(home.get(t)).add(t);
            }
        });
        ObjectNode json = root.putObject("programs");
        ArrayNode tasks = root.putArray("tasks");
        int number = 5;
        for (var e : programs.entrySet()) {
            String t = e.getKey();
            ArrayNode lines = json.putArray(task(t));
            for (Op op : e.getValue()) {
                lines.add("        compute " + THINK_CYCLES);
                lines.add("        ipc  " + op.kind + (op.peer == null ? "" : " @" + task(op.peer) + ".main")
                        + (op.kind.equals("send") ? " snd=" : " rcv=") + op.timeout);
            }
            lines.add("        halt");
            String cpu = home.get(t);
            ObjectNode task = tasks.addObject().put("name", task(t)).put("number", number++);
            task.putArray("threads").addObject().put("name", "main").put("cpu", cpus.indexOf(cpu))
                    .put("priority", 200 - 10 * firstActs.get(cpu).indexOf(t)).put("program", task(t));
        }
    }
}
