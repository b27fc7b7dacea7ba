package l4smp.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import l4smp.kernel.observe.CpuView;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.observe.KernelView;
import l4smp.kernel.observe.StepListener;
import l4smp.kernel.observe.ThreadView;
import l4smp.kernel.thread.ThreadId;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;
import l4smp.trace.Trace;
import l4smp.trace.TraceState;

/**
 * Records a run as a {@link Trace}: the kernel's observation view after every atomic step,
 * abstracted to plain TLA+ values, each state labelled with the step's path segments. The
 * variables, keyed by thread name ('.' and '-' become '_', so that they are TLA+ identifiers):
 * <ul>
 *   <li>{@code threadState}, {@code partner}, {@code completion}, {@code proxy}: per thread, with
 *       L4Common's names for states and completion codes; the proxy handling the thread's
 *       cross-processor send, or "nil";</li>
 *   <li>{@code sendQueue}: per thread, the senders queued at it, head first;</li>
 *   <li>{@code current}, {@code ready}, {@code wakeup}: per CPU (a sequence, cpu0 first), the running
 *       thread ("dispatcher" when none), the ready lists from the highest priority down, the wakeup
 *       queue.</li>
 * </ul>
 * The action's parameters name the CPU, the threads touched and the CPU's clock in cycles.
 */
public final class TraceRecorder implements StepListener {
    public static final List<String> VARIABLES = List.of("threadState", "partner", "completion", "proxy", "sendQueue",
            "current", "ready", "wakeup");

    private final Simulation simulation;
    private final int limit;
    private final List<TraceState> states = new ArrayList<>();
    private long dropped;

    /** Records at most {@code limit} steps after the initial state. */
    public TraceRecorder(Simulation simulation, int limit) {
        this.simulation = simulation;
        this.limit = limit;
        states.add(new TraceState(values(simulation.kernel().view()), null));
    }

    @Override
    public void afterStep(KernelStep step, KernelView view) {
        if (states.size() > limit) {
            dropped++;
            return;
        }
        Map<String, TlaValue> parameters = new LinkedHashMap<>();
        parameters.put("cpu", TlaValue.of(step.cpu()));
        List<TlaValue> threads = new ArrayList<>();
        for (ThreadId id : step.threads()) {
            threads.add(TlaValue.str(name(id)));
        }
        parameters.put("threads", TlaValue.seq(threads));
        parameters.put("cycle", TlaValue.of(step.millicycles() / 1000));
        states.add(new TraceState(values(view), new ActionLabel(step.label(), parameters, null)));
    }

    private Map<String, TlaValue> values(KernelView view) {
        Map<String, TlaValue> state = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> threadState = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> partner = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> completion = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> proxy = new LinkedHashMap<>();
        Map<TlaValue, TlaValue> sendQueue = new LinkedHashMap<>();
        for (ThreadView t : view.threads()) {
            TlaValue key = TlaValue.str(name(t.id()));
            threadState.put(key, TlaValue.str(t.state().label()));
            partner.put(key, TlaValue.str(name(t.partner())));
            completion.put(key, TlaValue.str(t.completion().label()));
            proxy.put(key, TlaValue.str(t.proxy() == null ? "nil" : "cpu" + t.proxy().source() + "->cpu" + t.proxy().target()));
            sendQueue.put(key, names(t.sendQueue()));
        }
        state.put("threadState", TlaValue.fun(threadState));
        state.put("partner", TlaValue.fun(partner));
        state.put("completion", TlaValue.fun(completion));
        state.put("proxy", TlaValue.fun(proxy));
        state.put("sendQueue", TlaValue.fun(sendQueue));
        List<TlaValue> current = new ArrayList<>();
        List<TlaValue> ready = new ArrayList<>();
        List<TlaValue> wakeup = new ArrayList<>();
        for (int c = 0; c < view.cpuCount(); c++) {
            CpuView cpu = view.cpu(c);
            current.add(TlaValue.str(cpu.current().isNil() ? "dispatcher" : name(cpu.current())));
            List<ThreadId> order = new ArrayList<>();
            List<Integer> priorities = new ArrayList<>(cpu.readyLists().keySet());
            java.util.Collections.reverse(priorities);
            for (int p : priorities) {
                order.addAll(cpu.readyLists().get(p));
            }
            ready.add(names(order));
            wakeup.add(names(cpu.wakeupQueue()));
        }
        state.put("current", TlaValue.seq(current));
        state.put("ready", TlaValue.seq(ready));
        state.put("wakeup", TlaValue.seq(wakeup));
        return state;
    }

    private TlaValue names(List<ThreadId> ids) {
        List<TlaValue> names = new ArrayList<>();
        for (ThreadId id : ids) {
            names.add(TlaValue.str(name(id)));
        }
        return TlaValue.seq(names);
    }

    private String name(ThreadId id) {
        if (id.isNil()) {
            return "nil";
        }
        return simulation.name(id).replace('.', '_').replace('-', '_');
    }

    /** Steps left out because the trace reached its limit. */
    public long dropped() {
        return dropped;
    }

    public Trace trace() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", "l4smp simulate");
        meta.put("scenario", simulation.scenario().name());
        meta.put("kernelSteps", Long.toString(states.size() - 1 + dropped));
        if (dropped > 0) {
            meta.put("truncated", "the last " + dropped + " kernel steps are not recorded (trace limit)");
        }
        return new Trace(VARIABLES, states, null, null, meta);
    }
}
