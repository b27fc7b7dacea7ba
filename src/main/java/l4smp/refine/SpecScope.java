package l4smp.refine;

import l4smp.kernel.observe.KernelStep;

/**
 * Which part of a kernel run a spec describes at all. A spec models some mechanisms and leaves
 * others out (its header says which: XpIpc leaves out long IPC and lthread_ex_regs, ProxyWakeup
 * also calls and IPC on one CPU, UhligRace everything but its race); from the first kernel step
 * that uses a mechanism the spec leaves out, the run is not one of its behaviours, nor a wrong one:
 * it is not checked against that spec any more. A scope follows one run, step by step, and may
 * keep state.
 */
public interface SpecScope {
    /**
     * Why the spec does not describe {@code step} (the kernel going from {@code before} to
     * {@code after}), or null if it does. Called for every step until it first answers non-null.
     */
    String leftOut(KernelStep step, KernelSnapshot before, KernelSnapshot after, RunSurvey survey);
}
