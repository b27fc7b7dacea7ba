-------------------------------- MODULE XpIpc --------------------------------
(***************************************************************************)
(* Short IPC between threads that may sit on different CPUs (thesis        *)
(* section 8.3): the uniprocessor send and receive paths of section 8.3.2  *)
(* for partners on one CPU, and for partners on two CPUs the send path,    *)
(* the proxy's xp_send_path and the receive path that checks the sender's  *)
(* proxy, of section 8.3.5.  Every thread runs a nondeterministic program  *)
(* of at most MaxOps IPC operations (send, closed or open receive, call,   *)
(* reply-and-wait), each with its own send and receive timeout.            *)
(*                                                                         *)
(* THE CENTRAL RULE.  One action is one atomic kernel step: a kernel path  *)
(* segment that runs with interrupts disabled on one CPU, between two      *)
(* thread switches.  Each action names the CPU that executes it in the     *)
(* history variable `by`; the kernel's recorder emits the label given      *)
(* beside each action ("Name(params)").                                    *)
(*                                                                         *)
(*   Action                 CPU     kernel path segment                    *)
(*   ThreadReceive(t)       cpu[t]  IpcPath.receivePath, entry to switch   *)
(*   ThreadSendLocal(t)     cpu[t]  IpcPath.sendPath (partner on the same  *)
(*                                  CPU), entry to first switch, with the  *)
(*                                  receive phase of call/reply-and-wait   *)
(*   ThreadSendRemote(t)    cpu[t]  sendPath, XP branch: mailbox, proxy    *)
(*                                  pointer, up to switchTo(Anyone)        *)
(*   SenderTransfer(t)      cpu[t]  sendPath after the receiver's wakeup   *)
(*   ReceiverReturn(t)      cpu[t]  receivePath after the sender's switch  *)
(*   CheckAndAck(c)         c       check_n_ack (IPI handler or kernel     *)
(*                                  exit): link every flagged mailbox of   *)
(*                                  c, proxies running                     *)
(*   ProxyXpSendPath(t)     target  ProxyThread.xpSendPath to 1st switch   *)
(*   ProxyTransfer(t)       target  xpSendPath after the receiver's wakeup *)
(*   SenderXpReturn(t)      cpu[t]  checkAndAck of the reply + XP_RETURN,  *)
(*                                  with the receive phase of call/r&w     *)
(*   TimerExpireReceiver/Sender/Proxy(c, t)   c   timer tick finding an    *)
(*                                  expired entry + the abort it causes    *)
(*   TimerExpireXpSender(c, t)  c   the same for an XP sender, only with   *)
(*                                  RemovedFix "SenderTimeoutNever"        *)
(*   ThreadCheckRemote(t), ThreadActRemote(t)   cpu[t]   Variant Direct    *)
(* With Events (section 8.4.2, 8.4.3; see "Aborts and transfer errors"):   *)
(*   AbortCancel(t)         cpu[t]  IpcAbort.exRegs: ipc.abort.cancel      *)
(*   AbortTransfer(t)       cpu[t]  IpcAbort.abortTransfer (local pair)    *)
(*   AbortXpSender(t)       cpu[t]  IpcAbort.exRegs on an XP sender: sets  *)
(*                                  Tcb.cancelAtXpReturn                   *)
(*   ProxyCancel(t)         target  ProxyPath.cancel: xcpu.proxy.cancel,   *)
(*                                  request given up (send_canceled)       *)
(*   ProxyTransferFails(t, e)  target  the proxy's transfer ends with      *)
(*                                  error e: ProxyPath.cancel/abortHere,   *)
(*                                  receiverAborted, or the end of a long  *)
(*                                  copy (xcpu.proxy.continue, a page-     *)
(*                                  fault timeout, ipc.transmitPath.abort) *)
(* With Events "kill" (task_new deleting a task, 8.3.5, 8.4.3):            *)
(*   DeleteBegins(c, D)     c       syscall.taskNew + xcpu.operation.call  *)
(*                                  (DeleteTask names the threads D)       *)
(*   DeletePart(c, D)       c       xcpu.operation.perform of DeleteTask:  *)
(*                                  TaskFactory.stopThreads, IpcAbort.     *)
(*                                  threadGone/tellWaiters, ProxyPath.     *)
(*                                  cancel; on one CPU, task_new or        *)
(*                                  thread.kill itself                     *)
(*   ThreadPartnerGone(t)   cpu[t]  ipc.receivePath.notExistent (a send to *)
(*                                  a dead thread is hidden, see below)    *)
(*                                                                         *)
(* Where steps are cut.  A path is cut exactly at its thread switches      *)
(* (switchTo(B), switchTo(Anyone)); the code after a switch is the         *)
(* continuation action of the thread switched to.  Three merges are       *)
(* deliberate:                                                             *)
(* (1) a timer tick that wakes a thread and that thread's "if returned     *)
(* with timeout then abortIPC" continuation: the kernel's timer path does  *)
(* the whole unwinding (wakeup queue, the sender's send-queue entry, the   *)
(* completion code) with interrupts disabled before the thread can run.    *)
(* Split, it would show a sender that no longer polls but is still in the  *)
(* receiver's send queue, which an open receive could take as its partner  *)
(* (see Timeouts below), so the merge is a choice of where the kernel      *)
(* unwinds, not an unobservable one.  (2) checkAndAck linking the reply    *)
(* mailbox and the sender's XP_RETURN: in between, the sender is runnable  *)
(* but neither waiting nor polling, as in the locked_waiting state before, *)
(* so every path that checks it (a local receiver's or a local sender's)   *)
(* acts the same on both.  (3) In the send path that finds its receiver    *)
(* waiting, locking both, transmitting and returning: register IPC runs    *)
(* with interrupts disabled (section 8.3.2), so the sender's               *)
(* locked_running exists only inside that step.  Where the receiver        *)
(* activates a polling sender (or proxy), locked_running is visible until  *)
(* SenderTransfer (ProxyTransfer), and the receiver's locked_waiting from  *)
(* the step that locks it to ReceiverReturn.                               *)
(*                                                                         *)
(* The spec does not model which thread a CPU is currently running: any    *)
(* runnable thread of a CPU may take its next step.  That includes every  *)
(* schedule the dispatcher and time-slice preemption can produce (and a    *)
(* few more, harmlessly: a switchTo(B) is not forced to run B next).  So   *)
(* `running` and `ready` are one state here, `ready`, as in the pseudo-    *)
(* code's "from TCB.state = ready".                                        *)
(*                                                                         *)
(* Proxies.  get_ipc_proxy "selects a free proxy ... through an for the   *)
(* time being arbitrary policy" (section 8.3.5); we assume the pool never *)
(* runs dry and name the proxy serving t's cross-processor send Px(t).    *)
(* How a proxy's mailbox list, the IPIs and wakeup_sender work is the     *)
(* subject of the ProxyWakeup spec; here a mailbox is one record per      *)
(* sender moving request -> linked -> reply -> freed.                     *)
(*                                                                         *)
(* Left out: long IPC on one CPU, map items and cut messages, migration   *)
(* (MigrationBarriers), a dead thread that lives again (lthread_ex_regs    *)
(* reviving a thread the kernel stopped, a task number reused).  A long    *)
(* IPC across CPUs is one atomic transfer:                                 *)
(* its copy steps, page faults and the redo-fault round trip (8.4.2) are   *)
(* stuttering steps.  lthread_ex_regs aborting an IPC (8.4.3), page-fault  *)
(* timeouts ending a long copy (8.4.2, 8.8.2) and thread deletion are in   *)
(* the spec only under the constant Events, so the configs without them   *)
(* check the spec of short IPC with timeouts unchanged.  Time is           *)
(* abstracted: a finite timeout may expire at any moment while its owner   *)
(* waits or polls, and a page-fault timeout at any moment of a transfer.   *)
(*                                                                         *)
(* REFINEMENT MAPPING: how each variable is computed from kernel state     *)
(* (l4smp.kernel), as l4smp.refine.XpIpcAbstraction computes it after     *)
(* every atomic step.  Tcb(t) is thread.Tcb; Px(t) is the xcpu.ProxyThread *)
(* while it works on t's mailbox (ProxyThread.current).  IPC that is not   *)
(* between the run's threads (a sleep: a receive from nil; an interrupt    *)
(* receive; a send to a thread that does not exist) is hidden: the thread *)
(* looks as if it were in user mode.                                       *)
(*   cpu[t]        Tcb.cpu                                                 *)
(*   st[t]         Tcb.state, running as ready; locked_waiting while t has *)
(*                 an IpcMailbox in flight or resumes at XP_RETURN; ready  *)
(*                 while it waits for a mailbox (its IPC not begun)        *)
(*   st[Px(t)]     waiting unless t's request mailbox is linked; then      *)
(*                 ready, or the proxy's state while it works on it        *)
(*   partner[x]    Tcb.partner; a proxy's only while it works on t's       *)
(*   proxy[t]      Tcb.proxy, mapped to Px(t), or Nil                      *)
(*   xpCc[t]       Tcb.xpCc, reset to none by XP_RETURN                    *)
(*   xpAbort[t]    Tcb.cancelAtXpReturn, kept TRUE until t's XP_RETURN     *)
(*                 frees its mailbox (the kernel clears it earlier when t  *)
(*                 answers its proxy's redo-fault request "aborted")       *)
(*   args[t]       the IpcState in progress: op, destination, send and     *)
(*                 receive timeout (zero/finite/never), Nil in user mode   *)
(*   nops[t]       Tcb.ipcCount, without hidden IPCs                       *)
(*   cc[t]         Tcb.completion: code of the last IPC, none while one is *)
(*                 in progress.  An IPC an abort or a transfer error ended *)
(*                 (IpcState's code decided: canceled, aborted, a page-    *)
(*                 fault timeout) is over for the spec in that step: t     *)
(*                 ready, partner Nil, args Nil, cc that code, although    *)
(*                 the kernel returns from it in t's next step             *)
(*   inbox[t]      the message of a transfer to t (IpcState done, t still  *)
(*                 locked_waiting), until t returns it                     *)
(*   sendQ[t]      the send queue (SendQueue), head first                  *)
(*   wakeupQ[c]    ProcessorData.wakeupQueue of c; a proxy as Px(sender)   *)
(*   mb[t]         the IpcMailbox whose sender is t: "request" while its   *)
(*                 bit is set in the target CPU's flag line, "linked"      *)
(*                 while in a proxy's list, "reply" after wakeupSender     *)
(*                 set it up towards t; Nil when free                      *)
(*   xpSeen[t]     Variant "Direct" only; always Nil in the kernel         *)
(*   st[t] = dead  t's task was deleted (its TCB in KernelView.gone) or   *)
(*                 the kernel stopped it; a dead thread keeps the cc and  *)
(*                 inbox it had when it died, and its xpCc, proxy and mb  *)
(*                 while its request or reply lasts                       *)
(*   dying         the threads some task_new began to delete (DeleteTask  *)
(*                 touches them in its caller's step), or that died       *)
(*   by, sentTo, rcvdBy   history, kept by the abstraction: the CPU of the *)
(*                 last step XpIpc sees; the addressee of each message     *)
(*                 when it is sent; who returned it, told which sender.    *)
(* Derived: ReadyList(c) is the ready list plus the current thread,        *)
(* without the non-runnable threads the dispatcher skips lazily (8.7.3).   *)
(***************************************************************************)
EXTENDS L4Common, TLC

CONSTANTS
    MaxOps,     \* IPC operations each thread performs
    Ops,        \* the operations threads choose from, a subset of IpcOp
    Timeouts,   \* the timeouts threads choose from, a subset of Timeout
    Variant,    \* "Proxy": section 8.3.5 as designed;
                \* "Direct": the sender checks and changes a remote receiver
                \* from its own CPU, breaking implementation decision 3
    Events,     \* the environment events beyond timeouts that may end an
                \* IPC, a subset of {"abort", "pf_timeout", "kill"}: "abort":
                \*   lthread_ex_regs on a thread in an IPC (8.4.3);
                \*   "pf_timeout": a page fault during a long message's
                \*   copy outlasts its page-fault timeout (8.4.2, 8.8.2);
                \*   "kill": task_new deletes threads, or the kernel stops
                \*   one; their partners are told (8.3.5, 8.4.3).
                \*   {} gives the spec of short IPC with timeouts only.
    RemovedFix  \* "none", or the one fix of 8.3.5/8.4 a bug config turns off:
                \* "SenderTimeoutNever": the XP sender keeps its own send
                \*   timeout in its CPU's wakeup queue ("from TCB.timeout =
                \*   NEVER" left out), so its timer can end its IPC;
                \* "ClearProxyPointer": wakeup_sender leaves from.proxy set;
                \* "ProxyPolls": the proxy waits for the receiver in
                \*   `waiting` instead of `polling` (8.4)

ASSUME XpIpcAssumptions ==
    /\ MaxOps \in Nat \ {0}
    /\ Ops \subseteq IpcOp /\ Ops # {}
    /\ Timeouts \subseteq Timeout /\ Timeouts # {}
    /\ Variant \in {"Proxy", "Direct"}
    /\ Events \subseteq {"abort", "pf_timeout", "kill"}
    /\ RemovedFix \in {"none", "SenderTimeoutNever", "ClearProxyPointer", "ProxyPolls"}

Px(t)  == <<"proxy", t>>            \* the proxy serving t's XP send
Proxy  == {Px(t) : t \in Thread}
Tcb    == Thread \cup Proxy
Msg    == Thread \X (1..MaxOps)     \* <<sender, n>>: t's n-th IPC's message

Args == [op : IpcOp, dest : Thread \cup {Nil},
         sto : Timeout \cup {Nil}, rto : Timeout \cup {Nil}]
Mailbox == [state : {"request", "linked", "reply"}, cpu : CPU,
            to : Thread, msg : Msg, tmo : Timeout]
Receipt == [by : Thread, from : Thread \cup {Nil}]

VARIABLES
    cpu,      \* cpu[t]: the CPU t is assigned to (read-only group, 8.6)
    st,       \* st[x]: thread state of thread or proxy x (local group)
    partner,  \* partner[x]: IPC partner (cross-processor group)
    proxy,    \* proxy[t]: pointer to t's proxy, or Nil (cross-processor)
    xpCc,     \* xpCc[t]: completion code the proxy set (cross-processor)
    xpAbort,  \* xpAbort[t]: lthread_ex_regs canceled t's XP send (local)
    args,     \* args[t]: arguments of t's IPC in progress, or Nil (local)
    nops,     \* nops[t]: number of IPCs t has started
    cc,       \* cc[t]: completion code of t's last IPC (local)
    inbox,    \* inbox[t]: messages transferred to t, not yet returned
    sendQ,    \* sendQ[t]: t's send queue (local to cpu[t])
    wakeupQ,  \* wakeupQ[c]: CPU c's wakeup queue (local to c)
    mb,       \* mb[t]: t's IPC mailbox, or Nil
    xpSeen,   \* xpSeen[t]: "Direct" sender's reading of the remote receiver
    by,       \* history: the CPU that executed the last step
    sentTo,   \* history: sentTo[m] = the addressee of message m, or Nil
    rcvdBy,   \* history: rcvdBy[m] = the receipts of m, in order
    dying     \* the threads whose deletion has begun (Events "kill")

tcbVars   == <<st, partner, proxy, xpCc, xpAbort, args, nops, cc, inbox>>
queueVars == <<sendQ, wakeupQ, mb>>
histVars  == <<by, sentTo, rcvdBy>>
vars      == <<cpu, tcbVars, queueVars, xpSeen, histVars, dying>>

TypeOK ==
    /\ cpu \in [Thread -> CPU]
    /\ st \in [Tcb -> ThreadState]
    /\ partner \in [Tcb -> Thread \cup {Nil}]
    /\ proxy \in [Thread -> Proxy \cup {Nil}]
    /\ xpCc \in [Thread -> CompletionCode \cup {CcNone}]
    /\ xpAbort \in [Thread -> BOOLEAN]
    /\ args \in [Thread -> Args \cup {Nil}]
    /\ nops \in [Thread -> 0..MaxOps]
    /\ cc \in [Thread -> CompletionCode \cup {CcNone}]
    /\ inbox \in [Thread -> Seq(Msg)]
    /\ sendQ \in [Thread -> Seq(Thread)]
    /\ wakeupQ \in [CPU -> SUBSET Tcb]
    /\ mb \in [Thread -> Mailbox \cup {Nil}]
    /\ xpSeen \in [Thread -> {"ready", "busy", Nil}]
    /\ by \in CPU \cup {Nil}
    /\ sentTo \in [Msg -> Thread \cup {Nil}]
    /\ rcvdBy \in [Msg -> Seq(Receipt)]
    /\ dying \subseteq Thread

Init ==
    /\ cpu \in [Thread -> CPU]
    /\ st = [x \in Tcb |-> IF x \in Thread THEN Ready ELSE Waiting]
    /\ partner = [x \in Tcb |-> Nil]
    /\ proxy = [t \in Thread |-> Nil]
    /\ xpCc = [t \in Thread |-> CcNone]
    /\ xpAbort = [t \in Thread |-> FALSE]
    /\ args = [t \in Thread |-> Nil]
    /\ nops = [t \in Thread |-> 0]
    /\ cc = [t \in Thread |-> CcNone]
    /\ inbox = [t \in Thread |-> <<>>]
    /\ sendQ = [t \in Thread |-> <<>>]
    /\ wakeupQ = [c \in CPU |-> {}]
    /\ mb = [t \in Thread |-> Nil]
    /\ xpSeen = [t \in Thread |-> Nil]
    /\ by = Nil
    /\ sentTo = [m \in Msg |-> Nil]
    /\ rcvdBy = [m \in Msg |-> <<>>]
    /\ dying = {}
-----------------------------------------------------------------------------
(***************************************************************************)
(* Helpers.                                                                *)
(***************************************************************************)
\* The CPU whose kernel owns x: a thread's own CPU; a proxy's is the
\* target CPU of the request it serves (an idle proxy belongs to none).
CpuOf(x) ==
    IF x \in Thread THEN cpu[x]
    ELSE LET t == x[2] IN
         IF mb[t] # Nil /\ mb[t].state \in {"request", "linked"}
         THEN mb[t].cpu ELSE Nil

ReadyList(c) == {x \in Tcb : CpuOf(x) = c /\ st[x] \in Runnable}

Local(t, u) == cpu[t] = cpu[u]

\* The thread's program: any operation of Ops, partner and timeouts; a
\* timeout of a phase the operation does not have is Nil.
ArgsFor(t) ==
    UNION { [op : {o},
             dest : IF o = OpOpenReceive THEN {Nil} ELSE Thread \ {t},
             sto : IF HasSendPhase(o) THEN Timeouts ELSE {Nil},
             rto : IF HasReceivePhase(o) THEN Timeouts ELSE {Nil}] : o \in Ops }

\* Whom the receive phase of a receives from; Nil: anyone.
SrcOf(a) == IF a.op \in {OpReceive, OpCall} THEN a.dest ELSE Nil

\* "B is waiting and for me or open" (sections 8.3.2, 8.3.5).
ReadyToReceive(b, t) == st[b] = Waiting /\ partner[b] \in {t, Nil}

\* The TCB that polls on behalf of sender t: t itself on b's CPU, its proxy
\* otherwise, read once into a temporary (section 8.3.5, "sendproxy").
\* Variant "Direct" has no proxies: the remote sender polls itself.
SenderSide(t, b) ==
    IF Local(t, b) \/ Variant = "Direct" THEN t ELSE proxy[t]

(***************************************************************************)
(* Paths are composed sequentially (a send phase runs on into the receive  *)
(* phase without leaving the kernel), so they are written as functions     *)
(* from the values S of the variables they change to the new values.       *)
(***************************************************************************)
Cur == [st |-> st, partner |-> partner, sendQ |-> sendQ,
        wakeupQ |-> wakeupQ, cc |-> cc, args |-> args]

Commit(S) ==
    /\ st' = S.st /\ partner' = S.partner /\ sendQ' = S.sendQ
    /\ wakeupQ' = S.wakeupQ /\ cc' = S.cc /\ args' = S.args

\* abortIPC / returnIPC: the IPC ends with completion code `code`.
EndIpc(t, code, S) ==
    [S EXCEPT !.st[t] = Ready, !.partner[t] = Nil,
              !.cc[t] = code, !.args[t] = Nil]

\* enqueueWakeup(x with timeout tmo): only finite timeouts are queued.
Enqueue(W, c, x, tmo) ==
    IF tmo = TimeoutFinite THEN [W EXCEPT ![c] = @ \cup {x}] ELSE W

(***************************************************************************)
(* The receive path of section 8.3.2, with the XP changes of 8.3.5:       *)
(*                                                                         *)
(*   from = closed ? A : B.sendQueue.dequeueHead()                         *)
(*   sendproxy = (A on my CPU) ? A : A.proxy                               *)
(*   if sendproxy not present or not polling or not to B:                  *)
(*      enqueueWakeup(B, rcv timeout); B.state = waiting;                  *)
(*      B.partner = A (nil: open); switchTo(..)                            *)
(*   else sendproxy.state = locked_running; enqueueReady(sendproxy);       *)
(*      dequeueWakeup(sendproxy); B.dequeueSend(A);                        *)
(*      B.state = locked_waiting; switchTo(sendproxy)                      *)
(*                                                                         *)
(* A zero timeout expires before the thread blocks.  The open receive     *)
(* takes the head only when it is ready to send (SendQueueInv: every      *)
(* queued sender is), so the pseudo-code's unconditional dequeueHead and  *)
(* the Remove below agree.                                                 *)
(***************************************************************************)
RecvPath(t, S) ==
    LET a    == S.args[t]
        src  == SrcOf(a)
        q    == S.sendQ[t]
        from == IF src # Nil THEN src ELSE IF q = <<>> THEN Nil ELSE Head(q)
        sp   == IF from = Nil THEN Nil ELSE SenderSide(from, t)
    IN IF sp # Nil /\ S.st[sp] = Polling /\ S.partner[sp] = t
       THEN [S EXCEPT !.st[sp] = LockedRunning, !.st[t] = LockedWaiting,
                      !.wakeupQ[CpuOf(sp)] = @ \ {sp},
                      !.sendQ[t] = Remove(@, from)]
       ELSE IF a.rto = TimeoutZero THEN EndIpc(t, CcReceiveTimeout, S)
       ELSE [S EXCEPT !.st[t] = Waiting, !.partner[t] = src,
                      !.wakeupQ = Enqueue(@, cpu[t], t, a.rto)]

\* After a successful send phase: the receive phase of call and
\* reply-and-wait follows without leaving the kernel, else returnIPC.
AfterSend(t, S) ==
    IF HasReceivePhase(S.args[t].op)
    THEN RecvPath(t, [S EXCEPT !.partner[t] = Nil])
    ELSE EndIpc(t, CcOk, S)

\* The receiver b was locked for sender t and gets the message m
\* ("to TCB.state = locked waiting; transmitMessage(); to TCB.partner = A").
Deliver(S, b, t) == [S EXCEPT !.st[b] = LockedWaiting, !.partner[b] = t]
DeliverMsg(b, m) == inbox' = [inbox EXCEPT ![b] = Append(@, m)]

\* A thread in user mode may start its next IPC.
InUserMode(t) == st[t] = Ready /\ args[t] = Nil /\ nops[t] < MaxOps

\* Whether partner u is a deleted thread: "if not exists(toTCB) ... then
\* abortIPC("target does not exist")" (section 8.3.2, ThreadPartnerGone).
Gone(u) == u # Nil /\ st[u] = Dead

\* Starting an IPC with arguments a: count it, name its message.
Begin(t, a) == [Cur EXCEPT !.args[t] = a, !.cc[t] = CcNone]
NewMsg(t) == <<t, nops[t] + 1>>
CountIpc(t, a) ==
    /\ nops' = [nops EXCEPT ![t] = @ + 1]
    /\ sentTo' = IF HasSendPhase(a.op)
                 THEN [sentTo EXCEPT ![NewMsg(t)] = a.dest] ELSE sentTo
-----------------------------------------------------------------------------
(***************************************************************************)
(* A thread starts a receive or open receive: the receive path up to its   *)
(* switch (or its end, with a zero timeout).                               *)
(***************************************************************************)
ThreadReceive(t) ==
    /\ InUserMode(t)
    /\ \E a \in ArgsFor(t) :
         /\ ~HasSendPhase(a.op) /\ ~Gone(SrcOf(a))
         /\ Commit(RecvPath(t, Begin(t, a)))
         /\ CountIpc(t, a)
    /\ by' = cpu[t]
    /\ UNCHANGED <<cpu, dying, xpAbort, proxy, xpCc, inbox, mb, xpSeen, rcvdBy>>

(***************************************************************************)
(* A thread starts an IPC with a send phase to a partner on its own CPU:   *)
(* the uniprocessor send path (section 8.3.2).  If B waits for it, the    *)
(* message is transferred at once and the receive phase of call and       *)
(* reply-and-wait follows in the same step; else the sender enqueues       *)
(* itself in B's send queue, sets polling and switches to B.               *)
(***************************************************************************)
ThreadSendLocal(t) ==
    /\ InUserMode(t)
    /\ \E a \in ArgsFor(t) :
         LET b == a.dest  S0 == Begin(t, a) IN
         /\ HasSendPhase(a.op) /\ Local(t, b) /\ ~Gone(b)
         /\ IF ReadyToReceive(b, t)
            THEN Commit(AfterSend(t, Deliver(S0, b, t))) /\ DeliverMsg(b, NewMsg(t))
            ELSE /\ IF a.sto = TimeoutZero
                    THEN Commit(EndIpc(t, CcSendTimeout, S0))
                    ELSE Commit([S0 EXCEPT !.st[t] = Polling, !.partner[t] = b,
                                   !.sendQ[b] = Append(@, t),
                                   !.wakeupQ = Enqueue(@, cpu[t], t, a.sto)])
                 /\ UNCHANGED inbox
         /\ CountIpc(t, a)
    /\ by' = cpu[t]
    /\ UNCHANGED <<cpu, dying, xpAbort, proxy, xpCc, mb, xpSeen, rcvdBy>>

(***************************************************************************)
(* A thread starts an IPC with a send phase to a partner on another CPU    *)
(* (section 8.3.5): it writes the mailbox (sender, destination, message,  *)
(* send timeout), sets its proxy pointer, triggers the mailbox, sets its  *)
(* own timeout to NEVER (it is in no wakeup queue), becomes               *)
(* locked_waiting and switches to anyone.  It does not touch B.            *)
(***************************************************************************)
ThreadSendRemote(t) ==
    /\ Variant = "Proxy"
    /\ InUserMode(t)
    /\ \E a \in ArgsFor(t) :
         LET b == a.dest IN
         /\ HasSendPhase(a.op) /\ ~Local(t, b) /\ ~Gone(b)
         /\ mb' = [mb EXCEPT ![t] = [state |-> "request", cpu |-> cpu[b],
                                     to |-> b, msg |-> NewMsg(t), tmo |-> a.sto]]
         /\ Commit([Begin(t, a) EXCEPT !.st[t] = LockedWaiting,
                     !.wakeupQ = IF RemovedFix = "SenderTimeoutNever"
                                 THEN Enqueue(@, cpu[t], t, a.sto) ELSE @])
         /\ CountIpc(t, a)
    /\ proxy' = [proxy EXCEPT ![t] = Px(t)]
    /\ by' = cpu[t]
    /\ UNCHANGED <<cpu, dying, xpAbort, xpCc, inbox, xpSeen, rcvdBy>>

(***************************************************************************)
(* A local sender that the receiver reactivated (locked_running) runs on:  *)
(* dequeueWakeup, transmitMessage, "to TCB.partner = A", then returnIPC or *)
(* the receive phase.  The receiver set itself locked_waiting already.     *)
(***************************************************************************)
SenderTransfer(t) ==
    /\ t \in Thread
    /\ st[t] = LockedRunning
    /\ LET b == partner[t] IN
       /\ Commit(AfterSend(t, [Cur EXCEPT !.wakeupQ[cpu[t]] = @ \ {t},
                                          !.partner[b] = t]))
       /\ DeliverMsg(b, <<t, nops[t]>>)
    /\ by' = cpu[t]
    /\ UNCHANGED <<cpu, dying, xpAbort, proxy, xpCc, nops, mb, xpSeen, sentTo, rcvdBy>>

(***************************************************************************)
(* A receiver that a sender has transferred a message to continues after   *)
(* its switch: dequeueWakeup(B); B.state = ready; returnIPC("success").   *)
(***************************************************************************)
ReceiverReturn(t) ==
    /\ st[t] = LockedWaiting
    /\ inbox[t] # <<>>
    /\ LET m == Head(inbox[t]) IN
       rcvdBy' = [rcvdBy EXCEPT ![m] = Append(@, [by |-> t, from |-> partner[t]])]
    /\ inbox' = [inbox EXCEPT ![t] = <<>>]
    /\ Commit(EndIpc(t, CcOk, [Cur EXCEPT !.wakeupQ[cpu[t]] = @ \ {t}]))
    /\ by' = cpu[t]
    /\ UNCHANGED <<cpu, dying, xpAbort, proxy, xpCc, nops, mb, xpSeen, sentTo>>
-----------------------------------------------------------------------------
(***************************************************************************)
(* The proxy side, on the receiver's CPU.                                  *)
(*                                                                         *)
(* check_n_ack on CPU c (section 8.3.4; the IPI handler, or a kernel exit *)
(* that polls) takes every mailbox flag of c at once: each request        *)
(* mailbox is linked to its proxy and the proxy set running.  Flagged     *)
(* replies are linked in the same step; their effect is SenderXpReturn's  *)
(* (merge (2) above), so here they change nothing.                         *)
(***************************************************************************)
Requests(c) == {t \in Thread : mb[t] # Nil /\ mb[t].state = "request" /\ mb[t].cpu = c}

CheckAndAck(c) ==
    /\ Requests(c) # {}
    /\ mb' = [t \in Thread |-> IF t \in Requests(c) THEN [mb[t] EXCEPT !.state = "linked"] ELSE mb[t]]
    /\ st' = [x \in Tcb |-> IF x \in {Px(t) : t \in Requests(c)} THEN Ready ELSE st[x]]
    /\ by' = c
    /\ UNCHANGED <<cpu, dying, xpAbort, partner, proxy, xpCc, args, nops, cc, inbox>>
    /\ UNCHANGED <<sendQ, wakeupQ, xpSeen, sentTo, rcvdBy>>

\* wakeup_sender(code) and "return to proxy": set t's xp_cc, clear its
\* proxy pointer, re-trigger the mailbox towards t; the proxy's list is
\* then empty, so it sleeps (section 8.4.1).
ProxyDone(t, code, S) ==
    /\ Commit([S EXCEPT !.st[Px(t)] = Waiting, !.partner[Px(t)] = Nil])
    /\ proxy' = IF RemovedFix = "ClearProxyPointer" THEN proxy ELSE [proxy EXCEPT ![t] = Nil]
    /\ xpCc' = [xpCc EXCEPT ![t] = code]
    /\ mb' = [mb EXCEPT ![t].state = "reply", ![t].cpu = cpu[t]]

(***************************************************************************)
(* The proxy's xp_send_path for sender t, up to its first switch: re-check *)
(* the destination ("check again if destination exists": a deleted B ends *)
(* the send not_existent), "from TCB.partner = B; proxy.partner = B"; if  *)
(* B waits for t, transfer and wake the sender up; else enqueue the proxy *)
(* in the wakeup queue with t's send timeout, the *sender* t in B's send   *)
(* queue, set the proxy polling and switch to B.                           *)
(***************************************************************************)
ProxyXpSendPath(t) ==
    /\ st[Px(t)] = Ready
    /\ mb[t] # Nil /\ mb[t].state = "linked"
    /\ LET b == mb[t].to  S0 == [Cur EXCEPT !.partner[t] = b] IN
       IF Gone(b) THEN ProxyDone(t, CcNotExistent, Cur) /\ UNCHANGED inbox
       ELSE IF ReadyToReceive(b, t)
       THEN ProxyDone(t, CcOk, Deliver(S0, b, t)) /\ DeliverMsg(b, mb[t].msg)
       ELSE /\ IF mb[t].tmo = TimeoutZero
               THEN ProxyDone(t, CcSendTimeout, S0)
               ELSE /\ Commit([S0 EXCEPT !.st[Px(t)] = IF RemovedFix = "ProxyPolls"
                                                    THEN Waiting ELSE Polling,
                                  !.partner[Px(t)] = b,
                                  !.sendQ[b] = Append(@, t),
                                  !.wakeupQ = Enqueue(@, mb[t].cpu, Px(t), mb[t].tmo)])
                    /\ UNCHANGED <<proxy, xpCc, mb>>
            /\ UNCHANGED inbox
    /\ by' = mb[t].cpu
    /\ UNCHANGED <<cpu, dying, xpAbort, nops, xpSeen, sentTo, rcvdBy>>

(***************************************************************************)
(* The proxy, reactivated by the receiver (locked_running), runs on:       *)
(* transmitMessage; "to TCB.partner = A"; "from TCB.proxy = NULL";         *)
(* wakeup_sender("Message successfully transmitted").                      *)
(***************************************************************************)
ProxyTransfer(t) ==
    /\ st[Px(t)] = LockedRunning
    /\ LET b == partner[Px(t)] IN
       /\ ProxyDone(t, CcOk, [Cur EXCEPT !.wakeupQ[cpu[b]] = @ \ {Px(t)},
                                         !.partner[b] = t])
       /\ DeliverMsg(b, mb[t].msg)
    /\ by' = mb[t].cpu
    /\ UNCHANGED <<cpu, dying, xpAbort, nops, xpSeen, sentTo, rcvdBy>>

(***************************************************************************)
(* The reply mailbox reaches t's CPU: t runs XP_RETURN (frees the          *)
(* mailbox), then "if some error occurred then returnIPC(error)", else     *)
(* returnIPC or, for call and reply-and-wait, the receive path.  An IPC    *)
(* lthread_ex_regs canceled meanwhile (xpAbort, AbortXpSender) whose send  *)
(* succeeded does not enter its receive phase: as on one CPU, the phase    *)
(* the abort finds ends, here with receive_canceled (section 8.4.3).  The  *)
(* reply to a sender deleted meanwhile is freed by check_n_ack on its CPU. *)
(***************************************************************************)
XpReturnCode(t) ==
    IF xpAbort[t] /\ xpCc[t] = CcOk /\ HasReceivePhase(args[t].op)
    THEN CcReceiveCanceled ELSE xpCc[t]

SenderXpReturn(t) ==
    /\ mb[t] # Nil /\ mb[t].state = "reply"
    /\ mb' = [mb EXCEPT ![t] = Nil]
    /\ xpCc' = [xpCc EXCEPT ![t] = CcNone]
    /\ xpAbort' = [xpAbort EXCEPT ![t] = FALSE]
    /\ LET code == XpReturnCode(t) IN
       IF st[t] = Dead THEN Commit(Cur)  \* check_n_ack frees a dead sender's reply
       ELSE IF code # CcOk THEN Commit(EndIpc(t, code, Cur))
       ELSE Commit(AfterSend(t, Cur))
    /\ by' = cpu[t]
    /\ UNCHANGED <<cpu, dying, proxy, nops, inbox, xpSeen, sentTo, rcvdBy>>
-----------------------------------------------------------------------------
(***************************************************************************)
(* Timeouts (section 8.3.1): the timer tick on CPU c finds an expired      *)
(* entry of its wakeup queue.  Only a waiting or polling TCB can time out: *)
(* once an IPC is set up (locked states) its wait is over.  A sender that  *)
(* gives up leaves the receiver's send queue in the same step; the        *)
(* thesis leaves this unwinding implicit, and were it deferred to the      *)
(* sender's continuation an open receiver could take the stale head and   *)
(* wait although the next queued sender polls for it.                      *)
(***************************************************************************)
TimerExpireReceiver(c, t) ==
    /\ t \in wakeupQ[c] /\ t \in Thread /\ st[t] = Waiting
    /\ Commit(EndIpc(t, CcReceiveTimeout, [Cur EXCEPT !.wakeupQ[c] = @ \ {t}]))
    /\ by' = c
    /\ UNCHANGED <<cpu, dying, xpAbort, proxy, xpCc, nops, inbox, mb, xpSeen, sentTo, rcvdBy>>

TimerExpireSender(c, t) ==
    /\ t \in wakeupQ[c] /\ t \in Thread /\ st[t] = Polling
    /\ Commit(EndIpc(t, CcSendTimeout,
                     [Cur EXCEPT !.wakeupQ[c] = @ \ {t},
                                 !.sendQ[partner[t]] = Remove(@, t)]))
    /\ by' = c
    /\ UNCHANGED <<cpu, dying, xpAbort, proxy, xpCc, nops, inbox, mb, xpSeen, sentTo, rcvdBy>>

\* The proxy times out in place of its sender: wakeup_sender("send timeout").
TimerExpireProxy(c, t) ==
    /\ Px(t) \in wakeupQ[c] /\ st[Px(t)] = Polling
    /\ ProxyDone(t, CcSendTimeout,
                 [Cur EXCEPT !.wakeupQ[c] = @ \ {Px(t)},
                             !.sendQ[partner[Px(t)]] = Remove(@, t)])
    /\ by' = c
    /\ UNCHANGED <<cpu, dying, xpAbort, nops, inbox, xpSeen, sentTo, rcvdBy>>
\* RemovedFix = "SenderTimeoutNever" only: the XP sender, queued with its
\* own send timeout, is woken by its timer and ends its IPC with a send
\* timeout, while its proxy goes on with the request.
TimerExpireXpSender(c, t) ==
    /\ RemovedFix = "SenderTimeoutNever"
    /\ t \in wakeupQ[c] /\ t \in Thread /\ st[t] = LockedWaiting
    /\ mb[t] # Nil /\ mb[t].state # "reply"
    /\ Commit(EndIpc(t, CcSendTimeout, [Cur EXCEPT !.wakeupQ[c] = @ \ {t}]))
    /\ by' = c
    /\ UNCHANGED <<cpu, dying, xpAbort, proxy, xpCc, nops, inbox, mb, xpSeen, sentTo, rcvdBy>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* Aborts and transfer errors, enabled by Events only.                     *)
(*                                                                         *)
(* lthread_ex_regs "aborts an ongoing IPC of the target" (section 8.4.3). *)
(* As on one CPU, the phase it finds decides the codes: an IPC that waits  *)
(* or polls is canceled (receive_canceled, send_canceled); one being       *)
(* transmitted, its partners locked, is aborted for both (send_aborted,    *)
(* receive_aborted).  Across CPUs the sender's IPC is with its proxy, so   *)
(* section 8.4.3 unwinds it in two places: the sender's CPU marks it       *)
(* (AbortXpSender), the proxy's CPU gives the request up or aborts the     *)
(* transfer it is in (ProxyCancel, ProxyTransferFails), and XP_RETURN      *)
(* returns the code to the sender.  Only the thread's own CPU changes it  *)
(* (implementation decision 3): the caller's CPU, the target's and the     *)
(* proxy's each run their part as a step of their own, and the caller's   *)
(* operation mailbox and IPIs are stuttering steps here.                   *)
(*                                                                         *)
(* A long message (section 8.4.2) is one atomic transfer here, so a page   *)
(* fault during its copy that outlasts its page-fault timeout, or an abort *)
(* while it is copied, is one step that ends the transfer with an error   *)
(* for both partners: the pairs of codes of TransferCodes.                 *)
(***************************************************************************)
TransferErrors ==
    (IF "abort" \in Events THEN {"aborted"} ELSE {})
    \cup (IF "pf_timeout" \in Events THEN {"snd_pf_timeout", "rcv_pf_timeout"} ELSE {})

\* The sender's and the receiver's code for transfer error e (L4 Version X:
\* a sender's page fault timed out, the receiver's, or lthread_ex_regs).
TransferCodes(e) ==
    CASE e = "aborted"        -> <<CcSendAborted, CcReceiveAborted>>
      [] e = "snd_pf_timeout" -> <<CcSendSndPfTimeout, CcReceiveSndPfTimeout>>
      [] e = "rcv_pf_timeout" -> <<CcSendRcvPfTimeout, CcReceiveRcvPfTimeout>>

(***************************************************************************)
(* lthread_ex_regs on t, on t's CPU, while t waits or polls on that CPU    *)
(* (IpcAbort.exRegs, "ipc.abort.cancel"): out of the wakeup queue and the  *)
(* receiver's send queue, the IPC ends canceled in the phase it was in.   *)
(***************************************************************************)
AbortCancel(t) ==
    /\ "abort" \in Events
    /\ st[t] \in {Waiting, Polling}
    /\ Commit(EndIpc(t, IF st[t] = Polling THEN CcSendCanceled ELSE CcReceiveCanceled,
                     [Cur EXCEPT !.wakeupQ[cpu[t]] = @ \ {t},
                                 !.sendQ = IF st[t] = Polling
                                           THEN [sendQ EXCEPT ![partner[t]] = Remove(@, t)]
                                           ELSE sendQ]))
    /\ by' = cpu[t]
    /\ UNCHANGED <<cpu, dying, xpAbort, proxy, xpCc, nops, inbox, mb, xpSeen, sentTo, rcvdBy>>

(***************************************************************************)
(* lthread_ex_regs on either partner of a transfer on one CPU: a sender    *)
(* the receiver has activated (locked_running) and its locked receiver     *)
(* (IpcAbort.abortTransfer, "ipc.abort.abort"): both end aborted.  A       *)
(* receiver that holds the message already is past its transfer: the      *)
(* abort finds its IPC done and changes nothing.                           *)
(***************************************************************************)
AbortTransfer(t) ==
    /\ "abort" \in Events
    /\ \E s, b \in Thread :
         /\ st[s] = LockedRunning /\ partner[s] = b /\ t \in {s, b}
         /\ Commit(EndIpc(s, CcSendAborted, EndIpc(b, CcReceiveAborted, Cur)))
    /\ by' = cpu[t]
    /\ UNCHANGED <<cpu, dying, xpAbort, proxy, xpCc, nops, inbox, mb, xpSeen, sentTo, rcvdBy>>

(***************************************************************************)
(* lthread_ex_regs on an XP sender t, its part on t's CPU: t's IPC is with *)
(* its proxy (request or reply in flight), so t only marks it canceled     *)
(* (Tcb.cancelAtXpReturn) and waits for XP_RETURN; the proxy's CPU unwinds *)
(* the request in a step of its own.                                       *)
(***************************************************************************)
AbortXpSender(t) ==
    /\ "abort" \in Events
    /\ st[t] = LockedWaiting /\ mb[t] # Nil /\ ~xpAbort[t]
    /\ xpAbort' = [xpAbort EXCEPT ![t] = TRUE]
    /\ by' = cpu[t]
    /\ UNCHANGED <<cpu, dying, st, partner, proxy, xpCc, args, nops, cc, inbox>>
    /\ UNCHANGED <<sendQ, wakeupQ, mb, xpSeen, sentTo, rcvdBy>>

(***************************************************************************)
(* The unwind on the proxy's CPU (ProxyPath.cancel, "xcpu.proxy.cancel")   *)
(* of a request whose transfer has not begun: still flagged, linked, or    *)
(* the proxy polling for the receiver (then out of its wakeup queue and    *)
(* the receiver's send queue).  wakeup_sender("send canceled").           *)
(***************************************************************************)
ProxyCancel(t) ==
    /\ xpAbort[t]
    /\ mb[t] # Nil /\ mb[t].state \in {"request", "linked"}
    /\ st[Px(t)] # LockedRunning
    /\ ProxyDone(t, CcSendCanceled,
                 IF st[Px(t)] = Polling
                 THEN [Cur EXCEPT !.wakeupQ[mb[t].cpu] = @ \ {Px(t)},
                                  !.sendQ[partner[Px(t)]] = Remove(@, t)]
                 ELSE Cur)
    /\ by' = mb[t].cpu
    /\ UNCHANGED <<cpu, dying, xpAbort, nops, inbox, xpSeen, sentTo, rcvdBy>>

(***************************************************************************)
(* The transfer of t's message by its proxy ends with error e, on the      *)
(* receiver's CPU: the proxy had found the receiver waiting               *)
(* (xp_send_path) or was activated by it (locked_running), and the long    *)
(* copy faulted beyond its page-fault timeout, or lthread_ex_regs aborted  *)
(* it (on the sender: ProxyPath.cancel; on the receiver: IpcAbort's abort  *)
(* of its transfer).  The receiver ends its IPC with e's receive code, the *)
(* proxy does wakeup_sender with e's send code; nothing is delivered.      *)
(* Each page-fault timeout runs on the CPU of the thread whose pager is    *)
(* called: the receiver's (rcv_pf) here, the sender's (snd_pf) on its own  *)
(* CPU, whose answer the proxy then takes here; the copy steps before are  *)
(* stuttering steps (XpIpc's long transfer is one step).                   *)
(***************************************************************************)
ProxyTransferFails(t, e) ==
    /\ e \in TransferErrors
    /\ mb[t] # Nil /\ mb[t].state = "linked"
    /\ LET b == mb[t].to IN
       /\ \/ st[Px(t)] = Ready /\ ReadyToReceive(b, t)
          \/ st[Px(t)] = LockedRunning
       /\ ProxyDone(t, TransferCodes(e)[1],
                    EndIpc(b, TransferCodes(e)[2],
                           [Cur EXCEPT !.partner[t] = b,
                                       !.wakeupQ[mb[t].cpu] = @ \ {Px(t), b}]))
    /\ by' = mb[t].cpu
    /\ UNCHANGED <<cpu, dying, xpAbort, nops, inbox, xpSeen, sentTo, rcvdBy>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* Thread deletion, enabled by "kill" in Events.  task_new on an existing  *)
(* task deletes its threads: the caller sets up one cross-processor        *)
(* operation (DeleteBegins) and every CPU runs its part (DeletePart), in   *)
(* any order, each changing only its own threads (implementation decision  *)
(* 3).  A deleted thread's partners learn what the uniprocessor kernel     *)
(* tells them:                                                             *)
(*  - a sender polling for it, itself or through its proxy (which polls on *)
(*    the dying thread's CPU), and a receiver waiting in a closed receive  *)
(*    from it end not_existent (the proxy: wakeup_sender("target does not *)
(*    exist"), section 8.3.5);                                             *)
(*  - a partner locked with it for a transfer ends aborted in its phase    *)
(*    (send_aborted, receive_aborted), as lthread_ex_regs would;           *)
(*  - its own cross-processor send is given up where its proxy holds it:   *)
(*    send_canceled if the transfer has not begun, aborted for both if it  *)
(*    has; the reply to the dead sender is freed (SenderXpReturn).         *)
(* A receiver whose message has arrived is past its transfer: the message  *)
(* stays delivered in its buffer (inbox), and its sender is not told.      *)
(* Its IPC never ends: a dead thread has no IPC (args Nil), and its code   *)
(* stays as it was (none if it died in an IPC).  An IPC that names a dead  *)
(* partner ends at once, not_existent (ThreadPartnerGone).  A deletion     *)
(* whose threads are all on the CPU that runs it (one CPU; the kernel      *)
(* stopping a thread) is one step, DeletePart without DeleteBegins.        *)
(*                                                                         *)
(* A long message's copy is a stuttering step here (the transfer is        *)
(* atomic), so a proxy that found its receiver waiting may be copying or   *)
(* not when a deletion finds it: both outcomes are allowed (Copying).      *)
(***************************************************************************)
DeleteBegins(c, D) ==
    /\ "kill" \in Events
    /\ D # {} /\ D \cap dying = {}
    /\ \A t \in D : st[t] # Dead
    /\ dying' = dying \cup D
    /\ by' = c
    /\ UNCHANGED <<cpu, tcbVars, queueVars, xpSeen, sentTo, rcvdBy>>

\* Requests on CPU c, by the state of their proxy.
LinkedOn(c) == {s \in Thread : mb[s] # Nil /\ mb[s].state = "linked" /\ mb[s].cpu = c}
HeldOn(c) == {s \in Thread : mb[s] # Nil /\ mb[s].state \in {"request", "linked"} /\ mb[s].cpu = c}
\* Senders whose proxy found mb[s].to waiting for it: the copy may be running.
Copying(c) == {s \in LinkedOn(c) : st[Px(s)] = Ready /\ ReadyToReceive(mb[s].to, s)}
\* Replies to dying senders of c, which c frees if check_n_ack has linked them.
RepliesTo(c, D) ==
    {t \in D : cpu[t] = c /\ st[t] # Dead /\ mb[t] # Nil /\ mb[t].state = "reply"}

(***************************************************************************)
(* CPU c's part of deleting D: stopping those of D on c that live          *)
(* (TaskFactory.stopThreads, IpcAbort.threadGone), giving up the requests  *)
(* of D's senders that c's proxies hold (ProxyPath.cancel), telling c's    *)
(* threads waiting for one of D (IpcAbort.tellWaiters).  `Abort` is the    *)
(* nondeterministic part: copies in progress that the deletion aborts;    *)
(* `Freed` the replies to dying senders that check_n_ack linked already   *)
(* (freed now, as XP_RETURN would; one still flagged is freed on arrival, *)
(* SenderXpReturn).                                                        *)
(***************************************************************************)
DeletePart(c, D) ==
    /\ "kill" \in Events
    /\ D # {}
    /\ D \subseteq dying \/ \A t \in D : cpu[t] = c
    /\ \E Abort \in SUBSET Copying(c), Freed \in SUBSET RepliesTo(c, D) :
       LET Here == {t \in D : cpu[t] = c /\ st[t] # Dead}
           Mine == {x \in Thread : cpu[x] = c /\ x \notin D /\ st[x] # Dead}
           \* c's threads whose IPC ends, and with which code
           NotEx == {x \in Mine : \/ st[x] = Polling /\ partner[x] \in Here
                                  \/ st[x] = Waiting /\ partner[x] \in D}
           SndAb == {x \in Mine : st[x] = LockedRunning /\ partner[x] \in Here}
           RcvAb == {x \in Mine : st[x] = LockedWaiting /\ inbox[x] = <<>>
                                  /\ \E s \in Here : st[s] = LockedRunning /\ partner[s] = x}
           \* requests c's proxies give up, and with which code
           PxGone == {s \in LinkedOn(c) : st[Px(s)] = Polling /\ partner[Px(s)] \in Here}
           PxRcvAb == {s \in LinkedOn(c) : \/ st[Px(s)] = LockedRunning /\ partner[Px(s)] \in Here
                                           \/ s \in Abort /\ mb[s].to \in Here}
           PxSndAb == {s \in (D \cap LinkedOn(c)) \ (PxGone \cup PxRcvAb) :
                          st[Px(s)] = LockedRunning \/ s \in Abort}
           PxCancel == (D \cap HeldOn(c)) \ (PxGone \cup PxRcvAb \cup PxSndAb)
           Answered == PxGone \cup PxRcvAb \cup PxSndAb \cup PxCancel
           \* receivers of aborted transfers of dying senders
           XferRcv == {mb[s].to : s \in PxSndAb} \ Here
           Ends == NotEx \cup SndAb \cup RcvAb \cup XferRcv
           \* a transfer aborted first leaves no waiter to tell (ProxyPath.cancel
           \* runs before IpcAbort.tellWaiters)
           Code(x) == CASE x \in XferRcv \cup RcvAb -> CcReceiveAborted
                        [] x \in SndAb -> CcSendAborted
                        [] OTHER -> CcNotExistent
           XCode(s) == CASE s \in PxGone -> CcNotExistent
                         [] s \in PxRcvAb \cup PxSndAb -> CcSendAborted
                         [] OTHER -> CcSendCanceled
           Leaving == Here \cup Ends \cup Answered
           Stays(s) == s \notin Leaving
       IN
       /\ st' = [x \in Tcb |-> IF x \in Here THEN Dead
                               ELSE IF x \in Ends THEN Ready
                               ELSE IF x \in {Px(s) : s \in Answered} THEN Waiting
                               ELSE st[x]]
       /\ partner' = [x \in Tcb |-> IF x \in Here \cup Ends \cup {Px(s) : s \in Answered}
                                    THEN Nil ELSE partner[x]]
       /\ args' = [x \in Thread |-> IF x \in Here \cup Ends THEN Nil ELSE args[x]]
       /\ cc' = [x \in Thread |-> IF x \in Ends THEN Code(x) ELSE cc[x]]
       /\ sendQ' = [b \in Thread |-> IF b \in Here THEN <<>>
                                     ELSE IF cpu[b] = c THEN SelectSeq(sendQ[b], Stays)
                                     ELSE sendQ[b]]
       /\ wakeupQ' = [wakeupQ EXCEPT ![c] = @ \ (Leaving \cup {Px(s) : s \in Answered})]
       /\ proxy' = IF RemovedFix = "ClearProxyPointer" THEN proxy
                   ELSE [t \in Thread |-> IF t \in Answered THEN Nil ELSE proxy[t]]
       /\ xpCc' = [t \in Thread |-> IF t \in Answered THEN XCode(t)
                                   ELSE IF t \in Freed THEN CcNone ELSE xpCc[t]]
       /\ mb' = [t \in Thread |-> IF t \in Answered
                                  THEN [mb[t] EXCEPT !.state = "reply", !.cpu = cpu[t]]
                                  ELSE IF t \in Freed THEN Nil ELSE mb[t]]
       /\ xpAbort' = [t \in Thread |-> IF t \in Freed THEN FALSE ELSE xpAbort[t]]
    /\ dying' = dying \cup D
    /\ by' = c
    /\ UNCHANGED <<cpu, nops, inbox, xpSeen, sentTo, rcvdBy>>

(***************************************************************************)
(* An IPC that names a deleted thread (the destination of its send phase,  *)
(* the source of its closed receive) ends at once: "if not exists(toTCB)   *)
(* then abortIPC("target does not exist")" (section 8.3.2), "if from TCB   *)
(* is an invalid TCB then abortIPC" in the receive path.                   *)
(***************************************************************************)
ThreadPartnerGone(t) ==
    /\ InUserMode(t)
    /\ \E a \in ArgsFor(t) :
         /\ Gone(a.dest)
         /\ Commit(EndIpc(t, CcNotExistent, Begin(t, a)))
         /\ CountIpc(t, a)
    /\ by' = cpu[t]
    /\ UNCHANGED <<cpu, dying, xpAbort, proxy, xpCc, inbox, mb, xpSeen, rcvdBy>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* Variant "Direct" (the bug config): the sender runs the uniprocessor     *)
(* send path against a receiver on another CPU, from its own CPU.  Its    *)
(* interrupts are disabled only locally, so its check of B and its action *)
(* on B are two steps between which B's CPU runs on: the check reads B's  *)
(* state into the kernel stack (xpSeen), the action writes B's state, B's *)
(* send queue and B's message buffer as if nothing had changed.  A        *)
(* receiver reactivates a remote polling sender directly, too             *)
(* (SenderSide), and a remote sender's timeout unlinks it from B's queue. *)
(***************************************************************************)
ThreadCheckRemote(t) ==
    /\ Variant = "Direct"
    /\ InUserMode(t) /\ xpSeen[t] = Nil
    /\ \E a \in ArgsFor(t) :
         LET b == a.dest IN
         /\ HasSendPhase(a.op) /\ ~Local(t, b)
         /\ xpSeen' = [xpSeen EXCEPT ![t] =
                         IF ReadyToReceive(b, t) THEN "ready" ELSE "busy"]
         /\ Commit([Begin(t, a) EXCEPT !.partner[t] = b])
         /\ CountIpc(t, a)
    /\ by' = cpu[t]
    /\ UNCHANGED <<cpu, dying, xpAbort, proxy, xpCc, inbox, mb, rcvdBy>>

ThreadActRemote(t) ==
    /\ xpSeen[t] # Nil
    /\ LET a == args[t]  b == a.dest IN
       IF xpSeen[t] = "ready"
       THEN Commit(AfterSend(t, Deliver(Cur, b, t))) /\ DeliverMsg(b, <<t, nops[t]>>)
       ELSE /\ IF a.sto = TimeoutZero
               THEN Commit(EndIpc(t, CcSendTimeout, Cur))
               ELSE Commit([Cur EXCEPT !.st[t] = Polling,
                              !.sendQ[b] = Append(@, t),
                              !.wakeupQ = Enqueue(@, cpu[t], t, a.sto)])
            /\ UNCHANGED inbox
    /\ xpSeen' = [xpSeen EXCEPT ![t] = Nil]
    /\ by' = cpu[t]
    /\ UNCHANGED <<cpu, dying, xpAbort, proxy, xpCc, nops, mb, sentTo, rcvdBy>>
-----------------------------------------------------------------------------
Next ==
    \/ \E t \in Thread :
         \/ ThreadReceive(t) \/ ThreadSendLocal(t) \/ ThreadSendRemote(t)
         \/ SenderTransfer(t) \/ ReceiverReturn(t)
         \/ ProxyXpSendPath(t) \/ ProxyTransfer(t)
         \/ SenderXpReturn(t)
         \/ ThreadCheckRemote(t) \/ ThreadActRemote(t)
    \/ \E c \in CPU : CheckAndAck(c)
    \/ \E c \in CPU, t \in Thread :
         TimerExpireReceiver(c, t) \/ TimerExpireSender(c, t)
         \/ TimerExpireProxy(c, t) \/ TimerExpireXpSender(c, t)
    \/ \E t \in Thread :
         \/ AbortCancel(t) \/ AbortTransfer(t) \/ AbortXpSender(t)
         \/ ProxyCancel(t)
         \/ \E e \in TransferErrors : ProxyTransferFails(t, e)
         \/ ThreadPartnerGone(t)
    \/ \E c \in CPU, D \in SUBSET Thread : DeleteBegins(c, D) \/ DeletePart(c, D)

Spec == Init /\ [][Next]_vars

(***************************************************************************)
(* Fairness, per action and per TCB: every kernel continuation that is     *)
(* enabled (a thread or proxy that was made runnable, a triggered mailbox) *)
(* is eventually executed on its CPU.  This is what a fair dispatcher      *)
(* (round-robin time slices) and IPI delivery guarantee.  Fairness of     *)
(* the CPU as a whole would be too weak: the CPU could keep running one   *)
(* thread while another runnable one starves.  There is deliberately no   *)
(* fairness on starting an IPC (user code may never call again) nor on a  *)
(* timer expiry (a finite timeout may be arbitrarily long).  Each of      *)
(* these actions stays enabled until it is taken, so weak fairness        *)
(* suffices.                                                               *)
(***************************************************************************)
Fairness ==
    /\ \A c \in CPU : WF_vars(CheckAndAck(c))
    /\ \A t \in Thread :
        /\ WF_vars(SenderTransfer(t)) /\ WF_vars(ReceiverReturn(t))
        /\ WF_vars(ProxyXpSendPath(t))
        /\ WF_vars(ProxyTransfer(t)) /\ WF_vars(SenderXpReturn(t))
        /\ WF_vars(ThreadActRemote(t))
        /\ WF_vars(ProxyCancel(t))

FairSpec == Spec /\ Fairness
-----------------------------------------------------------------------------
(***************************************************************************)
(* Safety: state invariants.                                               *)
(***************************************************************************)
InIpc(t) == args[t] # Nil
\* Message m has reached its receiver (in its buffer, or returned to it).
Delivered(m) == Len(rcvdBy[m]) > 0 \/ \E b \in Thread : m \in Range(inbox[b])

\* Senders that have locked receiver b for their transfer, and messages
\* transferred to b: together at most one (guideline 1 of section 8.3.3).
LockedFor(b) == {x \in Tcb : st[x] = LockedRunning /\ partner[x] = b}
OneIpcPerReceiverInv ==
    \A b \in Thread : Cardinality(LockedFor(b)) + Len(inbox[b]) <= 1

\* "Polls for b": t itself on b's CPU, or t's proxy.
PollsFor(t, b) ==
    \/ st[t] = Polling /\ partner[t] = b
    \/ proxy[t] # Nil /\ st[proxy[t]] = Polling /\ partner[proxy[t]] = b

\* No sender polls for a receiver that waits for it: the Uhlig race's end
\* state (section 8.3.3), in which both would wait for their timeouts.
NoLostWakeupInv ==
    \A t, b \in Thread : ~(PollsFor(t, b) /\ ReadyToReceive(b, t))

\* Every queued sender polls for the queue's owner, once.
SendQueueInv ==
    \A b \in Thread :
        /\ NoDuplicates(sendQ[b])
        /\ \A t \in Range(sendQ[b]) : PollsFor(t, b)

\* A message sits in a receiver's buffer only while the receiver is locked
\* for the transfer (or died before returning it), and is addressed to it.
InboxInv ==
    \A b \in Thread :
        /\ inbox[b] # <<>> => (st[b] = LockedWaiting /\ InIpc(b)) \/ st[b] = Dead
        /\ \A i \in DOMAIN inbox[b] : sentTo[inbox[b][i]] = b

\* A message is returned from an IPC at most once, only to its addressee,
\* unchanged: with the sender id it was sent with.
MsgOnceInv      == \A m \in Msg : Len(rcvdBy[m]) <= 1
MsgAddresseeInv == \A m \in Msg : \A i \in DOMAIN rcvdBy[m] : rcvdBy[m][i].by = sentTo[m]
MsgUnchangedInv == \A m \in Msg : \A i \in DOMAIN rcvdBy[m] : rcvdBy[m][i].from = m[1]

\* An IPC in progress has no completion code yet; an ended one has one (an
\* IPC its thread's deletion cut short never ends).
CompletionCodeInv ==
    \A t \in Thread :
        /\ InIpc(t) => cc[t] = CcNone
        /\ ~InIpc(t) /\ nops[t] > 0 /\ st[t] # Dead => cc[t] \in CompletionCode

\* The proxy pointer is set exactly while the proxy owns t's mailbox.
ProxyPointerInv ==
    \A t \in Thread :
        proxy[t] # Nil <=> mb[t] # Nil /\ mb[t].state \in {"request", "linked"}

\* The timeout a TCB waits with in its wakeup queue: a thread's receive
\* timeout while it waits, its send timeout while it polls; a proxy's, the
\* send timeout of the request it polls for; Nil when it does not wait.
WakeupTimeout(x) ==
    IF x \in Thread
    THEN CASE st[x] = Waiting -> args[x].rto
           [] st[x] = Polling -> args[x].sto
           [] OTHER -> Nil
    ELSE IF st[x] = Polling THEN mb[x[2]].tmo ELSE Nil

\* A thread or proxy is in a wakeup queue, that of its CPU, exactly while it
\* waits or polls with a finite timeout (section 8.3.1; never-timeouts are
\* in no queue, 8.7.3).  One exception, the receiver a sender transferred
\* to: it is dequeued by its own receive path after the switch
\* ("dequeueWakeup(B)", ReceiverReturn), so until then a locked_waiting
\* receiver with a message and a finite receive timeout may still be queued.
WakeupQueueInv ==
    \A c \in CPU, x \in Tcb :
        /\ (WakeupTimeout(x) = TimeoutFinite /\ CpuOf(x) = c) => x \in wakeupQ[c]
        /\ x \in wakeupQ[c] =>
               /\ CpuOf(x) = c
               /\ \/ WakeupTimeout(x) = TimeoutFinite
                  \/ x \in Thread /\ st[x] = LockedWaiting /\ inbox[x] # <<>>
                     /\ args[x].rto = TimeoutFinite

\* wakeup_sender's completion code and the reply mailbox travel together:
\* xp_cc is set exactly while the reply is on its way to the sender, and
\* XP_RETURN consumes both (section 8.4.1).  A lost reply leaves the sender
\* locked_waiting for ever.
ReplyInFlightInv ==
    \A t \in Thread : xpCc[t] # CcNone <=> (mb[t] # Nil /\ mb[t].state = "reply")

\* The codes that say the send phase failed, and those that say the receive
\* phase ended (so the send phase, if any, succeeded).
SendFailed == {CcSendTimeout, CcSendCanceled, CcSendAborted,
               CcSendSndPfTimeout, CcSendRcvPfTimeout}
ReceivePhaseEnded == {CcOk, CcReceiveTimeout, CcReceiveCanceled, CcReceiveAborted,
                      CcReceiveSndPfTimeout, CcReceiveRcvPfTimeout}

\* What an ended IPC's code says about its message (t's last IPC is number
\* nops[t]; it had a send phase iff sentTo names its addressee): a send
\* reported as timed out, canceled or failed delivered nothing; one reported
\* ok, or whose receive phase then ended otherwise, delivered its message.
SendResultInv ==
    \A t \in Thread :
        LET m == <<t, nops[t]>> IN
        (nops[t] > 0 /\ ~InIpc(t) /\ sentTo[m] # Nil) =>
            /\ cc[t] \in SendFailed => ~Delivered(m)
            /\ cc[t] \in ReceivePhaseEnded => Delivered(m)

\* Whom a TCB's partner names (8.3.2: "partner = B" in the send path,
\* "to TCB.partner = A (nil for open receive)" in the receive path): none
\* outside an IPC; a waiting receiver's closed source (Nil when open); a
\* polling sender's receiver, or a polling proxy's; a receiver holding a
\* message, its sender; an XP sender, its receiver once its proxy has run.
PartnerInv ==
    /\ \A t \in Thread :
         /\ ~InIpc(t) => partner[t] = Nil
         /\ st[t] = Waiting =>
                partner[t] = IF args[t].op \in {OpReceive, OpCall} THEN args[t].dest ELSE Nil
         /\ st[t] = Polling => partner[t] = args[t].dest
         /\ inbox[t] # <<>> => partner[t] = inbox[t][Len(inbox[t])][1]
         /\ (st[t] = LockedWaiting /\ mb[t] # Nil) => partner[t] \in {Nil, mb[t].to}
    /\ \A t \in Thread : st[Px(t)] = Polling => partner[Px(t)] = mb[t].to

\* A closed receive (receive, or the receive phase of call) gets only the
\* message of the thread it names.
ClosedSourceInv ==
    \A b \in Thread : (InIpc(b) /\ args[b].op \in {OpReceive, OpCall}) =>
        \A i \in DOMAIN inbox[b] : inbox[b][i][1] = args[b].dest

(***************************************************************************)
(* Safety: action properties.  `by` names the CPU of each step.            *)
(***************************************************************************)
\* Ready lists, wakeup queues and send queues change only on their CPU
\* (guideline 3 of section 8.3.3, design decision 1).
QueueLocalProp ==
    [][ /\ \A c \in CPU :
             wakeupQ'[c] # wakeupQ[c] \/ ReadyList(c)' # ReadyList(c) => by' = c
        /\ \A t \in Thread : sendQ'[t] # sendQ[t] => by' = cpu[t] ]_vars

\* A TCB's processor-local fields change only on its CPU (implementation
\* decision 3).  Exempt, as written cross-processor by section 8.6:
\* partner, proxy, xp_cc and the mailbox pointers (mb).
LocalFields(x) ==
    IF x \in Thread THEN <<st[x], args[x], nops[x], cc[x], inbox[x], xpAbort[x]>>
                    ELSE <<st[x]>>
TcbLocalProp ==
    [][\A x \in Tcb : LocalFields(x)' # LocalFields(x) => by' = CpuOf(x)]_vars

\* Every IPC ends with exactly one completion code: a code, once set, is
\* replaced only in a step that starts the next IPC (which may end in the
\* same step, with a zero timeout); the proxy sets xp_cc once per
\* cross-processor send, and only XP_RETURN clears it.
CompletionOnceProp ==
    [][\A t \in Thread :
         /\ cc[t] # CcNone /\ cc'[t] # cc[t] => nops'[t] = nops[t] + 1
         /\ xpCc[t] # CcNone => xpCc'[t] \in {xpCc[t], CcNone}]_vars

\* A timeout code names a phase the IPC has, whose timeout is not never:
\* checked when an IPC in progress ends, and for an IPC that starts and
\* ends in one step (a zero timeout), as far as that step shows its phases.
TimeoutCodeProp ==
    [][\A t \in Thread :
         /\ (args[t] # Nil /\ args'[t] = Nil) =>
                /\ cc'[t] = CcSendTimeout =>
                       HasSendPhase(args[t].op) /\ args[t].sto # TimeoutNever
                /\ cc'[t] = CcReceiveTimeout =>
                       HasReceivePhase(args[t].op) /\ args[t].rto # TimeoutNever
         /\ (args[t] = Nil /\ args'[t] = Nil /\ nops'[t] # nops[t]) =>
                /\ cc'[t] \in {CcOk, CcSendTimeout, CcReceiveTimeout}
                               \cup (IF "kill" \in Events THEN {CcNotExistent} ELSE {})
                /\ cc'[t] = CcSendTimeout => sentTo'[<<t, nops'[t]>>] # Nil]_vars

\* An ended IPC's code names a phase it has (the uniprocessor abort's and
\* the transfer errors' codes are per phase, section 8.4.3): a send code
\* only for an operation with a send phase, a receive code only for one
\* with a receive phase; canceled and aborted only where Events has them
\* (lthread_ex_regs, or a deletion, which aborts as it does), not_existent
\* only where threads are deleted.
PhaseCodeProp ==
    [][\A t \in Thread :
         (args[t] # Nil /\ args'[t] = Nil) =>
             /\ cc'[t] \in SendFailed => HasSendPhase(args[t].op)
             /\ cc'[t] \in ReceivePhaseEnded \ {CcOk} => HasReceivePhase(args[t].op)
             /\ cc'[t] \in {CcSendCanceled, CcReceiveCanceled, CcSendAborted,
                            CcReceiveAborted} => Events \cap {"abort", "kill"} # {}
             /\ cc'[t] = CcNotExistent => "kill" \in Events]_vars

(***************************************************************************)
(* Liveness.  With an infinite send timeout, a send to a thread that keeps *)
(* receiving from the sender (or openly) completes: the message reaches    *)
(* the receiver.  "Keeps receiving" is []<> of b being blocked in such a   *)
(* receive; with bounded programs it means b ends up waiting forever, as   *)
(* in the Uhlig race.                                                      *)
(***************************************************************************)
SendingForever(t, b, n) ==
    /\ InIpc(t) /\ nops[t] = n /\ sentTo[<<t, n>>] = b
    /\ args[t].sto = TimeoutNever

SendCompletesProp ==
    \A t, b \in Thread, n \in 1..MaxOps :
        t # b => [](SendingForever(t, b, n) =>
                      ([]<>ReadyToReceive(b, t) => <>Delivered(<<t, n>>)))

\* Each cross-processor send resumes its sender once its proxy is done:
\* the code wakeup_sender set is returned by XP_RETURN (under FairSpec's
\* weak fairness of SenderXpReturn).  The safety half is ReplyInFlightInv.
XpSenderResumesProp == \A t \in Thread : xpCc[t] # CcNone ~> xpCc[t] = CcNone
=============================================================================
