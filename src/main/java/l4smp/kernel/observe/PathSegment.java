package l4smp.kernel.observe;

/**
 * The kernel path segments an atomic kernel step is made of, with stable labels in the thesis's
 * words. A step (a kernel path run with interrupts disabled on one CPU between two thread
 * switches: DESIGN.md's one atomic kernel step = one TLA+ action) runs one or more of them, in
 * order; {@link KernelStep#label()} joins their labels with '+'. Refinement maps these labels to
 * spec actions, so a label never changes meaning.
 */
public enum PathSegment {
    // §8.2 bootstrapping, §8.8.1 processor numbers
    BOOT_NUMBER("boot.number", "the processors spin on a processor field in memory with an atomic exchange and add "
            + "instruction; ltr(number); the local APIC's id := number - 1"),
    BOOT_INIT_IPI("boot.initIpi", "the bootstrap processor sends INIT to the application processors"),
    BOOT_STARTUP_IPI("boot.startupIpi", "the kernel sends a startup inter-processor interrupt (IPI) to all the other "
            + "processors; the timeout starts"),
    BOOT_AP_ENTRY("boot.apEntry", "an application processor at the startup routine: to protected mode with the tables "
            + "the bootstrap processor initialized"),
    BOOT_ARRIVE("boot.barrier.arrive", "processor-local data and dispatcher initialized; lock xadd on the barrier count"),
    BOOT_SPIN("boot.barrier.spin", "one read of a barrier word: not all processors there yet (the boot processor), "
            + "or the barrier still closed (an application processor)"),
    BOOT_MASK_OUT("boot.maskOut", "not all processors reply: mask them out, the highest available processor number "
            + "decreased in the kernel info page"),
    BOOT_RELEASE("boot.barrier.release", "the bootstrap processor opens the barrier; it starts the booter task"),
    BOOT_LEAVE("boot.barrier.leave", "an application processor sees the barrier open: it idles in its dispatcher"),
    BOOT_TOO_LATE("boot.tooLate", "an application processor took a number after the barrier opened without it: it "
            + "disables its APIC and halts for good"),
    // §8.3.2 send path
    SEND_NOT_EXISTENT("ipc.sendPath.notExistent", "abortIPC(\"target does not exist\")"),
    SEND_TIMEOUT("ipc.sendPath.timeout", "abortIPC(\"send timeout occurred\"), also for timeout 0"),
    SEND_ENQUEUE("ipc.sendPath.enqueueSendQ", "enqueueWakeup(A); to.enqueueSendQ(A); from.state = polling; switchTo(B)"),
    SEND_WOKEN("ipc.sendPath.woken", "A resumed by B's receive path: dequeueWakeup(A)"),
    SEND_LOCK("ipc.sendPath.lock", "from.state = locked_running; to.state = locked_waiting; enqueueReadyList(A)"),
    SEND_COMPLETE("ipc.sendPath.complete", "from.state = ready; enqueueReadyList(A); returnIPC; switch to B"),
    // §8.3.2 transmit path
    TRANSMIT_SHORT("ipc.transmitPath.short", "register words delivered"),
    TRANSMIT_MAP("ipc.transmitPath.map", "fpages mapped or granted through the mapping database"),
    TRANSMIT_COPY("ipc.transmitPath.copy", "long message: copy through the communication area, interrupts enabled"),
    TRANSMIT_COMM_REMAP("ipc.transmitPath.commSpaceRemap", "myPDE.TMarea := destPDE.destarea (stale temporary mapping)"),
    TRANSMIT_COMM_FAULT("ipc.transmitPath.commSpaceFault", "store IPC state; switch to receiver context"),
    TRANSMIT_REDO_FAULT("ipc.transmitPath.redoFault", "the receiver redoes the page fault in its own context"),
    TRANSMIT_RETURN_TO_SENDER("ipc.transmitPath.returnToSender", "relock receiver; return to sender context"),
    TRANSMIT_SENDER_FAULT("ipc.transmitPath.senderFault", "page fault in the sender's space: IPC to the sender's pager"),
    TRANSMIT_ABORT("ipc.transmitPath.abort", "abortIPC(\"transmission error\"): cut, map failed, page-fault timeout"),
    // §8.3.2 receive path
    RECEIVE_NOT_EXISTENT("ipc.receivePath.notExistent", "abortIPC(\"Invalid source\")"),
    RECEIVE_TIMEOUT("ipc.receivePath.timeout", "abortIPC(\"timeout occurred\"), also for timeout 0"),
    RECEIVE_WAIT("ipc.receivePath.wait", "enqueueWakeup(B); to.state = waiting; to.partner = A; switchTo(A)"),
    RECEIVE_WAKE_SENDER("ipc.receivePath.wakeSender", "from.state = locked_running; dequeueWakeup(A); B.dequeueSend(A); switchTo(A)"),
    RECEIVE_COMPLETE("ipc.receivePath.complete", "dequeueWakeup(B); to.state = ready; returnIPC"),
    RECEIVE_INTERRUPT("ipc.receivePath.interrupt", "a pending interrupt received at once (§2.4)"),
    IPC_NONE("ipc.none", "neither a send nor a receive descriptor: returns at once"),
    // §8.3.5 the XP IPC paths, §8.4 proxies, §8.3.4 triggering
    XCPU_SEND("xcpu.sendPath.xpSend", "get ipc proxy/mailbox; write ipc data; from.proxy = proxy; trigger mailbox; "
            + "from.state = locked_waiting; switchTo(Anyone)"),
    XCPU_NO_MAILBOX("xcpu.sendPath.noMailbox", "get ipc mailbox found the CPU's pool empty: wait, the IPC not begun"),
    XCPU_FAULT("xcpu.sendPath.xpFault", "design decision 4: the IPC would cross CPUs and fails before it begins"),
    XCPU_XP_RETURN("xcpu.xpReturn", "XP_RETURN: free the sender's mailboxes; returnIPC(xp cc) or the receive phase"),
    XCPU_REDO_FAULT("xcpu.sender.redoFault", "the proxy's copy faulted in the sender's space: the sender touches the address (§8.4.2)"),
    XCPU_FAULT_ANSWER("xcpu.sender.answer", "the sender reactivates the proxy at the interrupted position: resolved, failed or aborted"),
    XCPU_IPI("xcpu.ipiHandler", "IPI handler: EOI(); check_n_ack(); iret"),
    XCPU_CHECK_AND_ACK("xcpu.checkAndAck", "check_n_ack before leaving the kernel: link flagged mailboxes, wake their proxies"),
    PROXY_XP_SEND("xcpu.proxy.xpSendPath", "xp_send_path: check B again; from.partner = B; proxy.partner = B"),
    PROXY_POLL("xcpu.proxy.poll", "enqueueWakeup(proxy); to.enqueueSendQ(A); proxy.state = polling; switchTo(B)"),
    PROXY_SEND_TIMEOUT("xcpu.proxy.sendTimeout", "B not ready and send timeout 0: wakeup_sender(\"send timeout\")"),
    PROXY_NOT_EXISTENT("xcpu.proxy.notExistent", "wakeup_sender(\"target does not exist\")"),
    PROXY_YIELD("xcpu.proxy.yield", "B's own XP send is back: switch to B so that it enters its receive phase first"),
    PROXY_ACTIVATED("xcpu.proxy.activated", "switchTo(B) returned: B activated the proxy; dequeueWakeup(proxy)"),
    PROXY_TRANSFER("xcpu.proxy.transfer", "transmitMessage(); to.partner = A; from.proxy = NULL; wakeup_sender"),
    PROXY_HAND_OVER("xcpu.proxy.handOver", "the proxy's operation waits: its mailbox list goes to an idle instance of its pair (§8.4.4)"),
    PROXY_COPY("xcpu.proxy.copy", "the proxy copies the sender's long message in the sender's space, interrupts enabled (§8.4.2)"),
    PROXY_SENDER_FAULT("xcpu.proxy.senderFault", "the copy faulted in the sender's space: restart the sender with a request to redo it"),
    PROXY_CONTINUE("xcpu.proxy.continue", "the sender's answer is back: copy on, or end the transfer with its page-fault timeout or abort"),
    PROXY_TIMEOUT("xcpu.proxy.timeout", "the proxy's send timeout expired: out of B's send queue; wakeup_sender"),
    PROXY_CANCEL("xcpu.proxy.cancel", "lthread_ex_regs unwinds a sender's request here: send_canceled, or the activated "
            + "transfer aborted for both partners"),
    PROXY_SLEEP("xcpu.proxy.sleep", "the mailbox list is empty: proxy.state = waiting; switchTo(Anyone)"),
    XCPU_OPERATION_CALL("xcpu.operation.call", "ask other CPUs to perform an operation on their threads: the operation "
            + "mailbox triggered on each; wait (locked_waiting)"),
    XCPU_OPERATION("xcpu.operation.perform", "a CPU's operation proxy performs its part of an operation"),
    XCPU_OPERATION_RETURN("xcpu.operation.return", "every part done: the caller frees the mailbox and completes the operation"),
    RECEIVE_ACTIVATE_PROXY("ipc.receivePath.activateProxy", "sendproxy.state = locked_running; enqueueReady(sendproxy); "
            + "dequeueWakeup(sendproxy); B.dequeueSend(A); to.state = locked_waiting; switchTo(sendproxy)"),
    // §8.7.2 migration: part A (the caller's thread_schedule), B (source CPU), C (target CPU), each step
    // named after the MigrationBarriers action it implements; spin steps implement none (stuttering)
    MIGRATE_ISSUE("migrate.scheduler.issue", "SchedulerIssue: thread_schedule asks to move a thread to another CPU; "
            + "the call spins for the migration locks, interrupts enabled"),
    MIGRATE_SCHEDULER_SPIN("migrate.scheduler.spin", "part A spins, interrupts enabled: for the migration locks, at (=1) "
            + "or (=2), or before it tries again"),
    MIGRATE_CALL("migrate.scheduler.call", "SchedulerCall: locks taken; read t1.cpu; trigger migration task B and C; (=1)"),
    MIGRATE_CALL_NOTHING("migrate.scheduler.callNothing", "SchedulerCall: the thread is on the target CPU already: "
            + "nothing moves, the call returns"),
    MIGRATE_PASS_BARRIER1("migrate.scheduler.passBarrier1", "SchedulerPassBarrier1: (=1); exchange the timeslice and priority"),
    MIGRATE_PASS_BARRIER2("migrate.scheduler.passBarrier2", "SchedulerPassBarrier2: (=2); a part on this CPU runs next"),
    MIGRATE_RETURN("migrate.scheduler.return", "SchedulerReturn: return to the invoking scheduling server"),
    MIGRATE_RETRY("migrate.scheduler.retry", "the source CPU found t1 inside an IPC it cannot leave now: locks released; "
            + "the caller waits, blocked, to redo its thread_schedule"),
    MIGRATE_RETRY_DUE("migrate.scheduler.retryDue", "timer: the wait of a refused caller is over; it redoes its thread_schedule"),
    MIGRATE_SOURCE_ENTER("migrate.source.enter", "SourceEnter: enter kernel mode in B; (=1); delete t1 from local ready "
            + "list and wakeup queue; free any resources held by t1"),
    MIGRATE_SOURCE_REFUSE("migrate.source.refuse", "B finds t1 inside an IPC that pins it to B: the request waits (§8.5)"),
    MIGRATE_SOURCE_SPIN("migrate.source.spin", "B spins at (=2), interrupts disabled"),
    MIGRATE_SOURCE_PASS_BARRIER2("migrate.source.passBarrier2", "SourcePassBarrier2: (=2); t1's pending requests go "
            + "with it; set new processor number; (~3); switch away if t1 was running"),
    MIGRATE_TARGET_ENTER("migrate.target.enter", "TargetEnter: enter kernel mode in C"),
    MIGRATE_TARGET_SPIN("migrate.target.spin", "C spins at (=2) or (~3), interrupts disabled"),
    MIGRATE_TARGET_PASS_BARRIER2("migrate.target.passBarrier2", "TargetPassBarrier2: (=2); insert t1 into local ready "
            + "list, or its wakeup queue"),
    MIGRATE_TARGET_PASS_BARRIER3("migrate.target.passBarrier3", "TargetPassBarrier3: (~3); switch to t1 if its priority "
            + "is higher, else return"),
    MIGRATE_TARGET_LEAVE("migrate.target.leave", "B refused the request: C returns without inserting t1"),
    SEND_RESTART("ipc.sendPath.restart", "a send a migration moved begins again on the sender's CPU (§8.5)"),
    // abort through lthread_ex_regs
    IPC_CANCEL("ipc.abort.cancel", "lthread_ex_regs cancels a waiting or polling IPC"),
    IPC_ABORT("ipc.abort.abort", "lthread_ex_regs aborts an IPC being transmitted, both partners"),
    // §2.2.2 page faults
    PAGE_FAULT_TO_PAGER("pagefault.sendToPager", "the fault becomes a call to the faulting thread's pager"),
    PAGE_FAULT_RESOLVED("pagefault.resolved", "the pager replied; the faulting access is retried"),
    PAGE_FAULT_FATAL("pagefault.fatal", "no pager, or a fault in the kernel area: the thread is stopped"),
    // dispatching
    DISPATCHER_SWITCH("dispatcher.switchTo", "select next ready thread; switch to it"),
    DISPATCHER_IDLE("dispatcher.idle", "no ready thread: idle"),
    TIMER_TICK("timer.tick", "time slice accounting, the clock in the kernel info page"),
    TIMER_TIMEOUT("timer.timeout", "a timeout expired: the thread is woken with the timeout"),
    TIMER_PREEMPT("timer.preempt", "time slice exhausted or a higher priority woke: switch to the dispatcher"),
    // §2.4 interrupts and the FPU
    IRQ_DELIVER("irq.deliver", "interrupt IPC from the hardware thread to its waiting handler"),
    IRQ_PENDING("irq.pending", "no handler waits: the interrupt stays pending, its line masked"),
    FPU_SWITCH("fpu.switch", "device not available: save the owner's FPU state, load the current thread's"),
    // other system calls
    ID_NEAREST("syscall.idNearest", "id_nearest"),
    FPAGE_UNMAP("syscall.fpageUnmap", "fpage_unmap: revoke or weaken derived mappings"),
    THREAD_SWITCH("syscall.threadSwitch", "thread_switch: donate the time slice"),
    THREAD_SCHEDULE("syscall.threadSchedule", "thread_schedule: priority and time slice, MCP check"),
    LTHREAD_EX_REGS("syscall.lthreadExRegs", "lthread_ex_regs: set EIP, ESP, pager; create a thread"),
    TASK_NEW("syscall.taskNew", "task_new: delete a task, create one with its first thread"),
    INVALID_SYSCALL("syscall.invalid", "an int vector that is no system call"),
    THREAD_KILL("thread.kill", "the kernel stops a thread (invalid instruction, unhandleable fault)");

    private final String label;
    private final String thesis;

    PathSegment(String label, String thesis) {
        this.label = label;
        this.thesis = thesis;
    }

    /** The stable label, e.g. {@code ipc.sendPath.enqueueSendQ}. */
    public String label() {
        return label;
    }

    /** What the segment does, in the thesis's pseudo-code where it has one. */
    public String thesis() {
        return thesis;
    }

    @Override
    public String toString() {
        return label;
    }
}
