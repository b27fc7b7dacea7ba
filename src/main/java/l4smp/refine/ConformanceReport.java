package l4smp.refine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import l4smp.kernel.observe.KernelStep;
import l4smp.kernel.thread.ThreadId;
import l4smp.tlc.TraceVerdict;
import l4smp.trace.ActionLabel;
import l4smp.trace.TlaValue;

/**
 * How a kernel run went against each spec ({@link ConformanceMonitor#finish()}).
 *
 * @param kernelSteps the run's atomic kernel steps
 * @param specs       one result per spec, in the order asked
 * @param coverage    what the run exercised
 */
public record ConformanceReport(int kernelSteps, List<SpecResult> specs, Coverage coverage) {

    /** The first rejection, or null if every spec accepted its part of the run. */
    public Rejection rejection() {
        return specs.stream().map(SpecResult::rejection).filter(Objects::nonNull).findFirst().orElse(null);
    }

    public boolean accepted() {
        return rejection() == null;
    }

    public SpecResult of(String spec) {
        return specs.stream().filter(r -> r.spec().equalsIgnoreCase(spec)).findFirst().orElse(null);
    }

    /**
     * One spec's verdict on the run.
     *
     * @param status     ACCEPTED (up to {@code cut}, if there is one), REJECTED, NOT_APPLICABLE
     * @param steps      kernel steps checked
     * @param actions    of them, steps labelled with an action of the spec
     * @param cut        where the spec's description of the run ends, or null
     * @param reason     why the spec does not apply (NOT_APPLICABLE)
     * @param rejection  the rejected step (REJECTED)
     */
    public record SpecResult(String spec, Status status, int steps, int actions, RunSurvey.Cut cut, String reason,
                             Rejection rejection) {
        public enum Status { ACCEPTED, REJECTED, NOT_APPLICABLE }

        static SpecResult accepted(String spec, int steps, int actions, RunSurvey.Cut cut) {
            return new SpecResult(spec, Status.ACCEPTED, steps, actions, cut, null, null);
        }

        static SpecResult rejected(String spec, Rejection rejection) {
            return new SpecResult(spec, Status.REJECTED, rejection.number(), 0, null, null, rejection);
        }

        static SpecResult notApplicable(String spec, String reason) {
            return new SpecResult(spec, Status.NOT_APPLICABLE, 0, 0, null, reason, null);
        }

        /** One line: {@code XpIpc: accepted: 200 kernel steps, 33 of them XpIpc actions}. */
        public String summary() {
            return switch (status) {
                case ACCEPTED -> spec + ": accepted: " + steps + " kernel steps, " + actions + " of them " + spec + " actions"
                        + (cut == null ? "" : "; from kernel step " + cut.step() + " on the run is not one of its behaviours "
                        + "at all (" + cut.why() + ")");
                case REJECTED -> spec + ": rejected at kernel step " + rejection.number() + ": " + rejection.failure().message();
                case NOT_APPLICABLE -> spec + ": not one of its behaviours at all: " + reason;
            };
        }
    }

    /**
     * The first kernel step a spec rejected, with the kernel's states around it.
     *
     * @param number  the step's number in the run (from 1; 0 for the initial state)
     * @param step    the kernel step (null for the initial state)
     * @param failure what the trace checker found, in the spec's words
     */
    public record Rejection(String spec, int number, KernelStep step, KernelSnapshot before, KernelSnapshot after,
                            TraceVerdict.Failure failure, Function<ThreadId, String> names) {

        /** Whether the action the step claimed was enabled before it (null if it claimed none or it is not known). */
        public Boolean claimedEnabled() {
            ActionLabel claimed = failure.claimed();
            if (claimed == null || failure.kind() != TraceVerdict.Kind.NOT_A_STEP) {
                return null;
            }
            return failure.enabled().stream().anyMatch(l -> l.name().equals(claimed.name()));
        }

        /** The report, several lines: the kernel step, the spec, the claimed action, the variables, in both words. */
        public String describe() {
            StringBuilder text = new StringBuilder();
            text.append(spec).append(" rejects kernel step ").append(number);
            if (step != null) {
                text.append(": cpu").append(step.cpu()).append(' ').append(step.label()).append(" for ")
                        .append(threads(step.subjects())).append("; threads touched ").append(threads(step.threads()));
            }
            text.append('\n');
            text.append("  what is wrong: ").append(failure.message()).append('\n');
            if (failure.claimed() != null) {
                Boolean enabled = claimedEnabled();
                text.append("  claimed action: ").append(failure.claimed())
                        .append(enabled == null ? "" : enabled ? " (enabled before the step)" : " (not enabled before the step)")
                        .append('\n');
            }
            if (failure.invariant() != null) {
                text.append("  violated invariant: ").append(failure.invariant()).append('\n');
            }
            List<String> variables = failure.diverging().isEmpty() ? changed() : failure.diverging();
            if (!variables.isEmpty()) {
                text.append(failure.diverging().isEmpty() ? "  variables the step changed: " : "  diverging variables: ")
                        .append(String.join(", ", variables)).append('\n');
                text.append("  in the spec's words:\n");
                for (String v : variables) {
                    specWords(text, v);
                }
            }
            String kernel = KernelWords.describe(spec, variables, failure, before, after, names);
            if (!kernel.isEmpty()) {
                text.append("  in the kernel's words:\n").append(kernel);
            }
            return text.toString();
        }

        private List<String> changed() {
            List<String> out = new ArrayList<>();
            if (failure.before() == null) {
                return out;
            }
            failure.after().values().forEach((k, v) -> {
                if (!v.equals(failure.before().values().get(k))) {
                    out.add(k);
                }
            });
            return out;
        }

        private void specWords(StringBuilder text, String variable) {
            TlaValue was = failure.before() == null ? null : failure.before().values().get(variable);
            TlaValue now = failure.after().values().get(variable);
            if (was instanceof TlaValue.Fun f0 && now instanceof TlaValue.Fun f1) {
                boolean any = false;
                for (Map.Entry<TlaValue, TlaValue> e : f1.mapping().entrySet()) {
                    TlaValue old = f0.mapping().get(e.getKey());
                    if (!e.getValue().equals(old)) {
                        text.append("    ").append(variable).append('[').append(e.getKey()).append("]: ").append(old)
                                .append(" -> ").append(e.getValue()).append('\n');
                        any = true;
                    }
                }
                if (!any) {
                    text.append("    ").append(variable).append(" (unchanged by the step) = ").append(now).append('\n');
                }
            } else if (was != null && !was.equals(now)) {
                text.append("    ").append(variable).append(": ").append(was).append(" -> ").append(now).append('\n');
            } else {
                text.append("    ").append(variable).append(" = ").append(now).append('\n');
            }
        }

        private String threads(List<ThreadId> ids) {
            List<String> out = new ArrayList<>();
            for (ThreadId id : ids) {
                out.add(id.isNil() ? "-" : names.apply(id));
            }
            return "[" + String.join(", ", out) + "]";
        }
    }
}
