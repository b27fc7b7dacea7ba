---------------------------- MODULE ProxyWakeup ----------------------------
(***************************************************************************)
(* The proxy side of cross-processor IPC in L4-SMP (Voelp 2002):           *)
(*   - section 8.3.4: triggering an operation on another CPU through a     *)
(*     mailbox (flag set by the source CPU), check_n_ack (run at the end   *)
(*     of the timer interrupt and by the IPI handler), IPIs with at most   *)
(*     two unacknowledged per target CPU (section 8.3.3, last paragraph),  *)
(*     and the handler's EOI placement;                                    *)
(*   - section 8.3.5: the cross-processor send path, the proxy's           *)
(*     xp_send_path, and the receive path that checks the sender's proxy   *)
(*     through a temporary copy of the proxy pointer;                      *)
(*   - section 8.4: the proxy's mailbox list (first/last pointers), the    *)
(*     proxy sleeping in `waiting` when the list is empty and being        *)
(*     reactivated by check_n_ack;                                         *)
(*   - section 8.4.1: wakeup_sender reusing the mailbox for the reply (the *)
(*     sender is the receiving "proxy" of the reply) and XP_RETURN freeing *)
(*     the sender's mailboxes;                                             *)
(*   - sections 8.3.4 and 8.4.3: operation mailboxes (OpsPerCpu > 0), the  *)
(*     other users of the flag lines and IPIs, posted by the environment   *)
(*     and run part by part by the CPUs' operation proxies (decision 0012).*)
(*                                                                         *)
(* Every thread runs a fixed program (constant Prog) of cross-processor    *)
(* sends and closed or open receives, each with a timeout.  Senders and    *)
(* receivers always sit on different CPUs: the local (uniprocessor) paths, *)
(* migration, long IPC, page faults and what lthread_ex_regs does to an    *)
(* IPC are left out; the XpIpc spec covers the local paths.  There is no   *)
(* dispatcher: the spec does not distinguish the running thread from       *)
(* ready ones (both are `running`), and any runnable thread of a CPU may   *)
(* take the next step.                                                     *)
(*                                                                         *)
(* Atomic steps (DESIGN.md: one atomic kernel step = one action).  A       *)
(* kernel path runs with interrupts disabled up to its next thread switch, *)
(* and a thread resumed inside the kernel goes on with them disabled, so a *)
(* CPU may take further steps while an IPI to it is pending or still on   *)
(* its way: `irr` counts IPIs sent whose handler has not run, and the      *)
(* handler (CpuIpiHandler) runs at some later step of the CPU.  An IPI is *)
(* sent as part of the step that triggers the mailbox, unless one sent to *)
(* the same CPU is not yet acknowledged (IpiOnlyIfUnacked); when both APIC *)
(* slots of the target are taken, the sending CPU spins with interrupts   *)
(* disabled (icr[c] # Nil) and does nothing else until CpuIcrRetry         *)
(* succeeds.  The kernel performs the IPI send as the last act of such a   *)
(* path, so doing the path's other writes first is not observable.         *)
(*                                                                         *)
(* Fixes, each selected by a constant so that a config can turn it off:    *)
(*   IpiOnlyIfUnacked  "if not yet acknowledged then sendIPI()" (8.3.4):    *)
(*                 no IPI is sent to a CPU that has one whose handler has  *)
(*                 not yet run; that handler's check_n_ack will see the    *)
(*                 new flag.  FALSE: every trigger sends an IPI.           *)
(*   EoiFirst      the IPI handler sends EOI first, then check_n_ack.      *)
(*                 FALSE: the IPI is acknowledged only when the work it    *)
(*                 triggered is done (the proxy's operation, which may     *)
(*                 block waiting for the receiver) -- the "synchronous"    *)
(*                 placement of section 8.3.4 that hangs when a third IPI  *)
(*                 is needed while two are unacknowledged (8.3.3).         *)
(*   TempProxyCopy the receive path reads from.proxy once.  FALSE: each    *)
(*                 check re-reads it from the sender's TCB, each read its  *)
(*                 own step (the pointer is written by other CPUs), so the *)
(*                 sender can change its proxy in between (8.3.5, "second  *)
(*                 interval").                                             *)
(*   CheckProxySender  the receive path also checks that the proxy's       *)
(*                 current request is A's.  Not in the thesis: its check   *)
(*                 ("sendproxy is polling ... to B") suffices only if a    *)
(*                 proxy serves one sender, but get_ipc_proxy(from.cpu,    *)
(*                 to.cpu) gives all senders of one CPU the same proxy, and *)
(*                 from.proxy is set before the proxy takes A's mailbox.   *)
(*                 FALSE: a closed receive from A1 accepts the message of  *)
(*                 A2, whose request the shared proxy is working on.       *)
(*   Handover      not in the thesis (decision 0004, the kernel's default; *)
(*                 8.4.4 names the problem): a proxy whose operation must  *)
(*                 poll hands it to an idle instance of its pair, so later *)
(*                 requests do not wait behind it (head-of-line blocking). *)
(*                 FALSE: 8.4's one proxy per pair, which the kernel runs  *)
(*                 with kernel.proxyHandover false; the abstraction of     *)
(*                 kernel runs uses FALSE.                                 *)
(*                                                                         *)
(* Mapping to the Java kernel, as l4smp.refine.ProxyWakeupAbstraction     *)
(* computes it (tcb(x) is the thread.Tcb of thread or proxy x; the proxy   *)
(* <<s, d>> is xcpu.Proxies.of(s, d)).  Home, Prog and Pool come from the  *)
(* run: the threads' CPUs, the sends and receives each began, the CPUs'    *)
(* mailbox pools (xcpu.MailboxPool).                                       *)
(*   st[x]        tcb(x).state; running and ready both map to Running; a   *)
(*                receiver holding a transferred message has ended its op *)
(*   partner[x]   tcb(x).partner while the thread's op is in progress      *)
(*   firstMb[x]   tcb(x).firstMailbox, lastMb[x] tcb(x).lastMailbox        *)
(*   proxyPtr[t]  tcb(t).proxy                                             *)
(*   xpCc[t]      tcb(t).xpCc (CcNone when no code is pending)             *)
(*   pc[t]        1 + the number of ops t ended                            *)
(*   sendQ[t]     the send queue, head first                               *)
(*   rcvPc[t], rcvFrom[t]   always "idle" / Nil: the kernel implements the *)
(*                receive path with the temporary copy                     *)
(*   curMb[p]     ProxyThread.current                                      *)
(*   mb[m]        the IpcMailbox with id m - 1: free, flag (its bit in the *)
(*                target CPU's flag line, MailboxFlags), performer, sender,*)
(*                destination, timeout, next                               *)
(*   wakeupQ[c]   ProcessorData.wakeupQueue of c                           *)
(*   irr[c]       1 while a trigger IPI to c is unacknowledged (the word   *)
(*                MailboxFlags sets when it sends one, the handler clears) *)
(*   isr[c]       always <<>>: the kernel's handler sends EOI first        *)
(*   icr[c]       the CPU an IPI of c waits for a slot on, else Nil        *)
(*   results[t], wakeups[t]  history: the codes of t's ended ops; 1 while  *)
(*                its mailbox carries the reply                            *)
(*   opPhase, opPending, opFlag, opQueued  the xcpu.OpMailbox with id      *)
(*                home * Operations.PER_CPU + k - 1 for <<home, k>>:       *)
(*                phase, pending parts, its bits in the CPUs' operation    *)
(*                flag words, the operation proxies' lists holding it;     *)
(*                opRan: the CPUs whose proxy took it off its list since   *)
(*                it was posted.  OpsPerCpu: Operations.PER_CPU if the run *)
(*                posts an operation, else 0                               *)
(* Each action runs on one CPU: Home[t] for a thread's actions, p[2] for   *)
(* a proxy's, c for a CPU's; timeouts on the CPU of the thread or proxy.   *)
(* CheckProxySender: the kernel's receive path compares                   *)
(* ProxyThread.current().sender() of the sender's proxy with A.            *)
(* Each action's comment names the kernel path segment it is; the          *)
(* recorder labels the step with the action name and its parameter, e.g.  *)
(* `ProxyXpSendPath(<<a, b>>)`, `CpuIpiHandler(b)`, `SenderXpSend(A1)`.    *)
(***************************************************************************)
EXTENDS L4Common, TLC

CONSTANTS
    Home,           \* [Thread -> CPU]: tcb.cpu (fixed: no migration here)
    Prog,           \* [Thread -> Seq(Op)]: each thread's IPC program
    NumMailboxes,   \* mailboxes are 1..NumMailboxes; the id is the flag bit
    Pool,           \* [CPU -> SUBSET Mailbox]: the mailboxes a CPU's senders use
    IpiOnlyIfUnacked, \* fix of 8.3.4: no IPI while one to the CPU is unacknowledged
    EoiFirst,       \* fix of 8.3.4: EOI before check_n_ack in the handler
    TempProxyCopy,  \* fix of 8.3.5: receive path reads from.proxy once
    CheckProxySender, \* finding: receive path checks the proxy works for A
    Handover,       \* decision 0004: a proxy that must poll hands over to
                    \* another instance of its pair (FALSE: 8.4 as written)
    OpsPerCpu       \* operation mailboxes per CPU (8.3.4, 8.4.3; 0: none)

Mailbox == 1..NumMailboxes

\* ---- Operation mailboxes (8.3.4, 8.4.3; OpsPerCpu = 0: none) -------------
\* <<c, k>>: the k-th operation mailbox of CPU c's pool.  An operation (an
\* lthread_ex_regs abort across CPUs, a TLB shootdown, deleting a task) is
\* posted by a thread of c to the CPUs that must do a part of it; each
\* part is run by that CPU's operation proxy, which never waits, and the
\* last part sends the mailbox back to c.  What a part does to threads is
\* not modelled here: the mailbox matters to ProxyWakeup because its flag
\* sits on the same per-CPU line as the IPC mailboxes' and its trigger
\* sends, or saves, the same IPI (the three-IPI situation of 8.3.3).
OpMailbox == CPU \X (1..OpsPerCpu)
OpPhase == {"free", "request", "done"}
\* ---- end operation mailboxes ----------------------------------------------

\* ---- Handover (decision 0004; FALSE: 8.4's one proxy per pair) ----------
\* The instances <<s, d, k>> besides the pair's leader <<s, d>>: one per
\* mailbox of s's pool, since each operation in work holds one.
Helpers == IF Handover
           THEN UNION {{<<s, d, k>> : d \in CPU \ {s}, k \in 1..Cardinality(Pool[s])} : s \in CPU}
           ELSE {}
\* ---- end Handover -------------------------------------------------------

\* One proxy per (source CPU, destination CPU): 8.3.5's
\* "get ipc proxy(fromTCB.cpu, toTCB.cpu)".  The proxy runs on its
\* destination CPU.
Proxy == ({<<s, d>> : s \in CPU, d \in CPU}  \ {<<c, c>> : c \in CPU}) \cup Helpers
ProxyOf(s, d) == <<s, d>>
Tcb == Thread \cup Proxy
CpuOf(x) == IF x \in Thread THEN Home[x] ELSE x[2]

SendOp(b, to) == [kind |-> "send", peer |-> b, timeout |-> to]
RecvOp(a, to) == [kind |-> "recv", peer |-> a, timeout |-> to]  \* a = Nil: open
Op == [kind : {"send"}, peer : Thread, timeout : Timeout]
        \cup [kind : {"recv"}, peer : Thread \cup {Nil}, timeout : Timeout]

ASSUME ProxyWakeupAssumptions ==
    /\ Home \in [Thread -> CPU]
    /\ Prog \in [Thread -> Seq(Op)]
    /\ \A t \in Thread : \A i \in DOMAIN Prog[t] :
           Prog[t][i].peer # Nil => Home[Prog[t][i].peer] # Home[t]
    \* the CPUs' pools are disjoint; a sender holds one mailbox of its CPU's
    \* pool per send, reused for the reply (a pool may run dry: a sender
    \* then waits for a mailbox before it starts its send)
    /\ NumMailboxes \in Nat
    /\ Pool \in [CPU -> SUBSET Mailbox]
    /\ \A c, d \in CPU : c # d => Pool[c] \cap Pool[d] = {}
    /\ IpiOnlyIfUnacked \in BOOLEAN
    /\ EoiFirst \in BOOLEAN /\ TempProxyCopy \in BOOLEAN /\ CheckProxySender \in BOOLEAN
    /\ Handover \in BOOLEAN
    /\ OpsPerCpu \in Nat

MbRec == [free : BOOLEAN, flag : BOOLEAN, proxy : Tcb \cup {Nil},
          sender : Thread \cup {Nil}, dest : Thread \cup {Nil},
          timeout : Timeout, next : Mailbox \cup {Nil}]
FreeMb == [free |-> TRUE, flag |-> FALSE, proxy |-> Nil, sender |-> Nil,
           dest |-> Nil, timeout |-> TimeoutNever, next |-> Nil]

RcvStep == {"idle", "check_polling", "check_partner", "activate", "fault"}

VARIABLES
    \* --- every TCB (user threads and proxies) ---
    st,         \* thread state
    partner,    \* IPC partner (written cross-processor by the proxy, 8.6 group 2)
    firstMb,    \* head of the TCB's mailbox list (proxy: requests; sender: reply)
    lastMb,     \* tail of that list, where check_n_ack hooks new mailboxes
    \* --- user threads ---
    proxyPtr,   \* tcb.proxy: the proxy handling the thread's XP send, or Nil
    xpCc,       \* completion code of the XP send, set by wakeup_sender
    pc,         \* index of the thread's current op in Prog[t]
    sendQ,      \* send queue: senders waiting for this receiver
    rcvPc,      \* position in the split receive path (TempProxyCopy = FALSE)
    rcvFrom,    \* the sender checked by that split receive path
    \* --- proxies ---
    curMb,      \* the mailbox whose operation the proxy is in, or Nil
    \* --- mailboxes ---
    mb,         \* mb[m]: contents, flag and list link of mailbox m
    \* --- per CPU ---
    wakeupQ,    \* TCBs waiting with a finite timeout on this CPU
    irr,        \* IPIs delivered to this CPU's APIC whose handler has not run
    isr,        \* unacknowledged IPIs whose handler ran (EoiFirst = FALSE):
                \* one entry per IPI, the set of mailboxes it still waits for
    icr,        \* target CPU while this CPU spins to send an IPI, else Nil
    \* --- history (not in an implementation) ---
    results,    \* completion codes of the thread's finished ops, in order
    wakeups,    \* wakeup_sender calls for the thread's current op
    \* --- operation mailboxes (OpsPerCpu > 0) ---
    opPhase,    \* free, parts to run ("request"), or every part done
    opPending,  \* the CPUs whose part is still to run
    opFlag,     \* the CPUs whose flag line has the mailbox's bit set
    opQueued,   \* the CPUs whose operation proxy has it in its list
    opRan       \* the CPUs whose part has run (history, bounds spreading)

tcbVars == <<st, partner, firstMb, lastMb>>
thrVars == <<proxyPtr, xpCc, pc, sendQ, rcvPc, rcvFrom>>
cpuVars == <<wakeupQ, irr, isr, icr>>
opVars == <<opPhase, opPending, opFlag, opQueued, opRan>>
vars == <<tcbVars, thrVars, curMb, mb, cpuVars, results, wakeups, opVars>>

TypeOK ==
    /\ st \in [Tcb -> ThreadState]
    /\ partner \in [Tcb -> Tcb \cup {Nil}]
    /\ firstMb \in [Tcb -> Mailbox \cup {Nil}]
    /\ lastMb \in [Tcb -> Mailbox \cup {Nil}]
    /\ proxyPtr \in [Thread -> Proxy \cup {Nil}]
    /\ xpCc \in [Thread -> CompletionCode \cup {CcNone}]
    /\ pc \in [Thread -> Nat \ {0}]
    /\ sendQ \in [Thread -> Seq(Thread)]
    /\ rcvPc \in [Thread -> RcvStep]
    /\ rcvFrom \in [Thread -> Thread \cup {Nil}]
    /\ curMb \in [Proxy -> Mailbox \cup {Nil}]
    /\ mb \in [Mailbox -> MbRec]
    /\ wakeupQ \in [CPU -> SUBSET Tcb]
    /\ irr \in [CPU -> 0..2]
    /\ isr \in [CPU -> Seq(SUBSET Mailbox)]
    /\ icr \in [CPU -> CPU \cup {Nil}]
    /\ results \in [Thread -> Seq(CompletionCode)]
    /\ wakeups \in [Thread -> Nat]
    /\ opPhase \in [OpMailbox -> OpPhase]
    /\ opPending \in [OpMailbox -> SUBSET CPU]
    /\ opFlag \in [OpMailbox -> SUBSET CPU]
    /\ opQueued \in [OpMailbox -> SUBSET CPU]
    /\ opRan \in [OpMailbox -> SUBSET CPU]

-----------------------------------------------------------------------------
(* Helpers *)

HasOp(t) == pc[t] <= Len(Prog[t])
CurOp(t) == Prog[t][pc[t]]

\* The mailbox list of x, followed through the next links from firstMb[x];
\* a cycle shows up as a list longer than NumMailboxes.
RECURSIVE Chain(_, _)
Chain(m, n) == IF m = Nil \/ n = 0 THEN <<>> ELSE <<m>> \o Chain(mb[m].next, n - 1)
MbList(x) == Chain(firstMb[x], NumMailboxes + 1)

\* "find free mailbox" (8.3.5 get_ipc_mailbox): the lowest free id of the
\* sender's CPU's pool.
FreeIn(c) == {m \in Pool[c] : mb[m].free}
LowestFreeMb(c) == CHOOSE m \in FreeIn(c) : \A n \in FreeIn(c) : m <= n

Slots(d) == irr[d] + Len(isr[d])     \* taken APIC slots of CPU d (at most two)
Flagged(c) == {m \in Mailbox : mb[m].flag /\ CpuOf(mb[m].proxy) = c}
OpFlagged(c) == {m \in OpMailbox : c \in opFlag[m]}

\* "sendproxy is polling and ready to send to B" (8.3.5), and (finding)
\* polling on behalf of A.
ForA(sp, a) == ~CheckProxySender \/ (curMb[sp] # Nil /\ mb[curMb[sp]].sender = a)
ReadyToSend(sp, a, t) == st[sp] = Polling /\ partner[sp] = t /\ ForA(sp, a)

\* The receive path split by the variant holds its CPU with interrupts off.
InPath(c) == \E t \in Thread : Home[t] = c /\ rcvPc[t] \notin {"idle", "fault"}

\* CPU c may start a new kernel path: it does not spin to send an IPI and
\* is not inside the split receive path.
CanStep(c) == icr[c] = Nil /\ ~InPath(c)

\* Thread t runs and starts its current op.
AtOp(t) == CanStep(Home[t]) /\ st[t] = Running /\ firstMb[t] = Nil
             /\ rcvPc[t] = "idle" /\ HasOp(t)

\* Trigger CPU d from CPU c (8.3.4): "if not yet acknowledged then
\* sendIPI()"; the IPI goes into a free APIC slot of d, or c spins until a
\* slot is freed by an EOI.
IpiSend(c, d) ==
    IF IpiOnlyIfUnacked /\ irr[d] > 0
    THEN UNCHANGED <<irr, icr>>
    ELSE IF Slots(d) < 2
    THEN irr' = [irr EXCEPT ![d] = @ + 1] /\ icr' = icr
    ELSE icr' = [icr EXCEPT ![c] = d] /\ irr' = irr

\* An operation mailbox triggered on the CPUs D at once (Operations.call,
\* and a part that spreads the operation): one IPI to each that has none
\* unacknowledged.  Enabled only when each of them has a free APIC slot:
\* the spinning of one of several triggers is not modelled (the kernel,
\* with IpiOnlyIfUnacked and EoiFirst, never has two IPIs pending at one
\* CPU, so it never spins).
IpiSendAll(c, D) ==
    LET need == {d \in D : ~(IpiOnlyIfUnacked /\ irr[d] > 0)} IN
    /\ \A d \in need : Slots(d) < 2
    /\ irr' = [d \in CPU |-> IF d \in need THEN irr[d] + 1 ELSE irr[d]]
    /\ icr' = icr

\* The operations of mailboxes ms are done: EOI the IPIs that waited only
\* for them (EoiFirst = FALSE; with EoiFirst isr stays empty).
OpsDone(q, ms) == SelectSeq([i \in 1..Len(q) |-> q[i] \ ms], LAMBDA e : e # {})

\* check_n_ack (8.3.4): for each flagged mailbox of this CPU, in bit order,
\* link it at the tail of its proxy's list, set the proxy to running if it
\* sleeps, clear the flag.  A proxy sleeps in `waiting` (8.4); a sender is
\* the receiving proxy of its reply and sleeps in `locked_waiting` (8.4.1).
Sleeps(x, s) == IF x \in Proxy THEN s[x] = Waiting ELSE s[x] = LockedWaiting

LinkOne(m, s) ==
    LET x == s.mb[m].proxy
        l == s.last[x]
        mb1 == [s.mb EXCEPT ![m].flag = FALSE, ![m].next = Nil]
    IN [mb    |-> IF l = Nil THEN mb1 ELSE [mb1 EXCEPT ![l].next = m],
        first |-> IF l = Nil THEN [s.first EXCEPT ![x] = m] ELSE s.first,
        last  |-> [s.last EXCEPT ![x] = m],
        st    |-> IF Sleeps(x, s.st) THEN [s.st EXCEPT ![x] = Running] ELSE s.st]

RECURSIVE LinkAll(_, _)
LinkAll(ms, s) ==
    IF ms = {} THEN s
    ELSE LET m == CHOOSE n \in ms : \A k \in ms : n <= k
         IN LinkAll(ms \ {m}, LinkOne(m, s))

\* The same pass takes the operation flags (Operations.link): a part to run
\* here joins the operation proxy's list; a mailbox back at its home CPU
\* with every part done makes its caller ready.
CheckAndAck(c) ==
    LET r == LinkAll(Flagged(c), [mb |-> mb, first |-> firstMb, last |-> lastMb, st |-> st])
    IN /\ mb' = r.mb /\ firstMb' = r.first /\ lastMb' = r.last /\ st' = r.st
       /\ opFlag' = [m \in OpMailbox |-> opFlag[m] \ {c}]
       /\ opQueued' = [m \in OpMailbox |->
                         IF c \in opFlag[m] /\ opPhase[m] = "request" THEN opQueued[m] \cup {c}
                         ELSE opQueued[m]]
       /\ UNCHANGED <<opPhase, opPending, opRan>>

-----------------------------------------------------------------------------
Init ==
    /\ st = [x \in Tcb |-> IF x \in Thread THEN Running ELSE Waiting]
    /\ partner = [x \in Tcb |-> Nil]
    /\ firstMb = [x \in Tcb |-> Nil]
    /\ lastMb = [x \in Tcb |-> Nil]
    /\ proxyPtr = [t \in Thread |-> Nil]
    /\ xpCc = [t \in Thread |-> CcNone]
    /\ pc = [t \in Thread |-> 1]
    /\ sendQ = [t \in Thread |-> <<>>]
    /\ rcvPc = [t \in Thread |-> "idle"]
    /\ rcvFrom = [t \in Thread |-> Nil]
    /\ curMb = [p \in Proxy |-> Nil]
    /\ mb = [m \in Mailbox |-> FreeMb]
    /\ wakeupQ = [c \in CPU |-> {}]
    /\ irr = [c \in CPU |-> 0]
    /\ isr = [c \in CPU |-> <<>>]
    /\ icr = [c \in CPU |-> Nil]
    /\ results = [t \in Thread |-> <<>>]
    /\ wakeups = [t \in Thread |-> 0]
    /\ opPhase = [m \in OpMailbox |-> "free"]
    /\ opPending = [m \in OpMailbox |-> {}]
    /\ opFlag = [m \in OpMailbox |-> {}]
    /\ opQueued = [m \in OpMailbox |-> {}]
    /\ opRan = [m \in OpMailbox |-> {}]

-----------------------------------------------------------------------------
(* The sender's CPU *)

(* IpcPath.sendPath, cross-processor branch (8.3.5), from the CPU check to *)
(* switchTo(Anyone): get proxy and lowest free mailbox, write the IPC data *)
(* (sender, destination, timeout), set from.proxy, trigger the mailbox     *)
(* (flag, IPI), sender to locked_waiting with timeout never.               *)
SenderXpSend(t) ==
    LET op == CurOp(t)
        p  == ProxyOf(Home[t], Home[op.peer])
        m  == LowestFreeMb(Home[t])
    IN
    /\ AtOp(t)
    /\ op.kind = "send"
    /\ FreeIn(Home[t]) # {}
    /\ mb' = [mb EXCEPT ![m] = [free |-> FALSE, flag |-> TRUE, proxy |-> p,
                                sender |-> t, dest |-> op.peer,
                                timeout |-> op.timeout, next |-> Nil]]
    /\ proxyPtr' = [proxyPtr EXCEPT ![t] = p]
    /\ st' = [st EXCEPT ![t] = LockedWaiting]
    /\ IpiSend(Home[t], Home[op.peer])
    /\ UNCHANGED <<partner, firstMb, lastMb, xpCc, pc, sendQ, rcvPc, rcvFrom,
                   curMb, wakeupQ, isr, results, wakeups>>
    /\ UNCHANGED opVars

(* IpcPath.xpReturn (8.4.1): the sender, set running by check_n_ack with   *)
(* the reply in its list, frees all mailboxes of its list and returns      *)
(* xp_cc.                                                                  *)
SenderXpReturn(t) ==
    LET ms == Range(MbList(t)) IN
    /\ CanStep(Home[t]) /\ st[t] = Running /\ firstMb[t] # Nil
    /\ mb' = [m \in Mailbox |-> IF m \in ms THEN FreeMb ELSE mb[m]]
    /\ firstMb' = [firstMb EXCEPT ![t] = Nil]
    /\ lastMb' = [lastMb EXCEPT ![t] = Nil]
    /\ isr' = [isr EXCEPT ![Home[t]] = OpsDone(@, ms)]
    /\ results' = [results EXCEPT ![t] = Append(@, xpCc[t])]
    /\ xpCc' = [xpCc EXCEPT ![t] = CcNone]
    /\ wakeups' = [wakeups EXCEPT ![t] = 0]
    /\ pc' = [pc EXCEPT ![t] = @ + 1]
    /\ partner' = [partner EXCEPT ![t] = Nil]
    /\ UNCHANGED <<st, proxyPtr, sendQ, rcvPc, rcvFrom, curMb,
                   wakeupQ, irr, icr>>
    /\ UNCHANGED opVars

-----------------------------------------------------------------------------
(* The receiver's CPU: IpcPath.receivePath, cross-processor branch (8.3.5) *)

\* "A's proxy was ready to send to B": activate it, dequeue A, B locked.
RcvActivate(t, a, sp, q) ==
    /\ st' = [st EXCEPT ![sp] = LockedRunning, ![t] = LockedWaiting]
    /\ wakeupQ' = [wakeupQ EXCEPT ![Home[t]] = @ \ {sp}]
    /\ sendQ' = [sendQ EXCEPT ![t] = Remove(q, a)]
    /\ UNCHANGED <<partner, pc, results>>

\* B waits for A (partner A) or anyone (partner Nil); timeout zero aborts.
RcvBlock(t, q, op) ==
    /\ sendQ' = [sendQ EXCEPT ![t] = q]
    /\ IF op.timeout = TimeoutZero
       THEN /\ pc' = [pc EXCEPT ![t] = @ + 1]
            /\ results' = [results EXCEPT ![t] = Append(@, CcReceiveTimeout)]
            /\ UNCHANGED <<st, partner, wakeupQ>>
       ELSE /\ st' = [st EXCEPT ![t] = Waiting]
            /\ partner' = [partner EXCEPT ![t] = op.peer]
            /\ wakeupQ' = IF op.timeout = TimeoutFinite
                          THEN [wakeupQ EXCEPT ![Home[t]] = @ \cup {t}]
                          ELSE wakeupQ
            /\ UNCHANGED <<pc, results>>

(* Up to switchTo: find A (closed: given; open: head of the send queue),   *)
(* read sendproxy = from.proxy, and either activate the proxy or wait.     *)
(* With the temporary copy every check uses this one read, so the whole    *)
(* path is one step.  Without it, a non-Nil first read only passes the     *)
(* "sendproxy present" check; the other checks re-read (steps below).      *)
ReceiverReceive(t) ==
    LET op == CurOp(t)
        q0 == sendQ[t]
        a  == IF op.peer # Nil THEN op.peer ELSE IF q0 = <<>> THEN Nil ELSE Head(q0)
        q  == IF op.peer = Nil /\ q0 # <<>> THEN Tail(q0) ELSE q0
        sp == IF a = Nil THEN Nil ELSE proxyPtr[a]
    IN
    /\ AtOp(t)
    /\ op.kind = "recv"
    /\ IF TempProxyCopy \/ sp = Nil
       THEN /\ IF sp # Nil /\ ReadyToSend(sp, a, t)
               THEN RcvActivate(t, a, sp, q)
               ELSE RcvBlock(t, q, op)
            /\ UNCHANGED <<rcvPc, rcvFrom>>
       ELSE /\ rcvPc' = [rcvPc EXCEPT ![t] = "check_polling"]
            /\ rcvFrom' = [rcvFrom EXCEPT ![t] = a]
            /\ sendQ' = [sendQ EXCEPT ![t] = q]
            /\ UNCHANGED <<st, partner, wakeupQ, pc, results>>
    /\ UNCHANGED <<firstMb, lastMb, proxyPtr, xpCc, curMb, mb, irr, isr, icr, wakeups>>
    /\ UNCHANGED opVars

\* A re-read of from.proxy that finds Nil dereferences a dangling pointer.
RcvFault(t) ==
    /\ rcvPc' = [rcvPc EXCEPT ![t] = "fault"]
    /\ UNCHANGED <<st, partner, wakeupQ, pc, results, sendQ, rcvFrom>>

RcvGiveUp(t) ==
    /\ RcvBlock(t, sendQ[t], CurOp(t))
    /\ rcvPc' = [rcvPc EXCEPT ![t] = "idle"] /\ rcvFrom' = [rcvFrom EXCEPT ![t] = Nil]

RcvGoTo(t, next) ==
    /\ rcvPc' = [rcvPc EXCEPT ![t] = next]
    /\ UNCHANGED <<st, partner, wakeupQ, pc, results, sendQ, rcvFrom>>

(* Variant without the temporary copy, second read: "sendproxy is not      *)
(* polling".  Runs with interrupts still disabled: no IPI gating.          *)
ReceiverRecheckPolling(t) ==
    LET sp == proxyPtr[rcvFrom[t]] IN
    /\ rcvPc[t] = "check_polling"
    /\ IF sp = Nil THEN RcvFault(t)
       ELSE IF st[sp] # Polling THEN RcvGiveUp(t)
       ELSE RcvGoTo(t, "check_partner")
    /\ UNCHANGED <<firstMb, lastMb, proxyPtr, xpCc, curMb, mb, irr, isr, icr, wakeups>>
    /\ UNCHANGED opVars

(* Third read: "sendproxy is ready to send but not to B" (or not for A).   *)
ReceiverRecheckPartner(t) ==
    LET sp == proxyPtr[rcvFrom[t]] IN
    /\ rcvPc[t] = "check_partner"
    /\ IF sp = Nil THEN RcvFault(t)
       ELSE IF partner[sp] # t \/ ~ForA(sp, rcvFrom[t]) THEN RcvGiveUp(t)
       ELSE RcvGoTo(t, "activate")
    /\ UNCHANGED <<firstMb, lastMb, proxyPtr, xpCc, curMb, mb, irr, isr, icr, wakeups>>
    /\ UNCHANGED opVars

(* Fourth read: "sendproxy.state = locked running; enqueueReady(sendproxy)".*)
ReceiverActivateReread(t) ==
    LET sp == proxyPtr[rcvFrom[t]] IN
    /\ rcvPc[t] = "activate"
    /\ IF sp = Nil THEN RcvFault(t)
       ELSE /\ RcvActivate(t, rcvFrom[t], sp, sendQ[t])
            /\ rcvPc' = [rcvPc EXCEPT ![t] = "idle"]
            /\ rcvFrom' = [rcvFrom EXCEPT ![t] = Nil]
    /\ UNCHANGED <<firstMb, lastMb, proxyPtr, xpCc, curMb, mb, irr, isr, icr, wakeups>>
    /\ UNCHANGED opVars

(* Timer tick on t's CPU: t's receive timeout expired; t, resumed, aborts  *)
(* its IPC with "receive timeout" (kernel: WakeupQueue expiry and the      *)
(* resumed receive path, back to back).                                    *)
TimerReceiveTimeout(t) ==
    /\ CanStep(Home[t]) /\ t \in wakeupQ[Home[t]] /\ st[t] = Waiting
    /\ st' = [st EXCEPT ![t] = Running]
    /\ partner' = [partner EXCEPT ![t] = Nil]
    /\ wakeupQ' = [wakeupQ EXCEPT ![Home[t]] = @ \ {t}]
    /\ pc' = [pc EXCEPT ![t] = @ + 1]
    /\ results' = [results EXCEPT ![t] = Append(@, CcReceiveTimeout)]
    /\ UNCHANGED <<firstMb, lastMb, proxyPtr, xpCc, sendQ, rcvPc, rcvFrom,
                   curMb, mb, irr, isr, icr, wakeups>>
    /\ UNCHANGED opVars

-----------------------------------------------------------------------------
(* The proxy (on the receiver's CPU) *)

\* wakeup_sender (8.4.1): set xp_cc, unhook the first mailbox, clear
\* from.proxy, set the mailbox up with proxy = A and trigger it.  The
\* proxy's operation is done (late EOI: its IPI is acknowledged now).
WakeupSender(p, m, cc) ==
    LET a  == mb[m].sender
        nx == mb[m].next
    IN
    /\ xpCc' = [xpCc EXCEPT ![a] = cc]
    /\ wakeups' = [wakeups EXCEPT ![a] = @ + 1]
    /\ firstMb' = [firstMb EXCEPT ![p] = nx]
    /\ lastMb' = [lastMb EXCEPT ![p] = IF nx = Nil THEN Nil ELSE @]
    /\ proxyPtr' = [proxyPtr EXCEPT ![a] = Nil]
    /\ mb' = [mb EXCEPT ![m].proxy = a, ![m].flag = TRUE, ![m].next = Nil]
    /\ curMb' = [curMb EXCEPT ![p] = Nil]
    /\ isr' = [isr EXCEPT ![p[2]] = OpsDone(@, {m})]
    /\ IpiSend(p[2], Home[a])

\* B is ready to receive from A: lock both, transmit, to.partner = A,
\* from.proxy = NULL, wakeup_sender(ok); B returns from its IPC, which
\* clears its partner again (an IPC's partner lasts while it is in
\* progress, as for every thread here).
ProxyTransmit(p, m) ==
    LET a == mb[m].sender
        b == mb[m].dest
    IN
    /\ st' = [st EXCEPT ![b] = Running, ![p] = Running]
    /\ partner' = [partner EXCEPT ![a] = b, ![p] = b, ![b] = Nil]
    /\ pc' = [pc EXCEPT ![b] = @ + 1]
    /\ results' = [results EXCEPT ![b] = Append(@, CcOk)]
    /\ wakeupQ' = [wakeupQ EXCEPT ![p[2]] = @ \ {b, p}]
    /\ sendQ' = sendQ
    /\ WakeupSender(p, m, CcOk)

\* "if returned with timeout then wakeup_sender(send timeout)": dequeue A
\* from B's send queue and the proxy from the wakeup queue first.
ProxyAbort(p, m, cc, newPartner) ==
    /\ st' = [st EXCEPT ![p] = Running]
    /\ partner' = newPartner
    /\ sendQ' = [sendQ EXCEPT ![mb[m].dest] = Remove(@, mb[m].sender)]
    /\ wakeupQ' = [wakeupQ EXCEPT ![p[2]] = @ \ {p}]
    /\ UNCHANGED <<pc, results>>
    /\ WakeupSender(p, m, cc)

\* ---- Handover (decision 0004) -------------------------------------------
\* The pair's idle instances.
IdleHelpers(p) ==
    {h \in Helpers : h[1] = p[1] /\ h[2] = p[2] /\ st[h] = Waiting /\ firstMb[h] = Nil}

\* The operation in work must poll: it moves, with its mailbox, to an idle
\* instance, which polls for B; the leader p goes on with the rest of its
\* list, so no request waits behind one whose receiver is not receiving
\* (8.4.4).  The kernel (ProxyPath.handOver) keeps the operation and moves
\* the list, and does so only when a request waits behind it or arrives
\* (check_n_ack); the instances are anonymous, so this differs from it
\* only in which instance is called the leader and when the name changes.
\* The instance sets the sender's proxy pointer, as the kernel's proxy
\* does when it starts an operation.
HandOverPoll(p, m, a, b, to) ==
    LET h  == CHOOSE x \in IdleHelpers(p) : \A y \in IdleHelpers(p) : x[3] <= y[3]
        nx == mb[m].next
    IN
    /\ st' = [st EXCEPT ![h] = Polling]
    /\ partner' = [partner EXCEPT ![a] = b, ![h] = b]
    /\ curMb' = [curMb EXCEPT ![h] = m]
    /\ firstMb' = [firstMb EXCEPT ![p] = nx, ![h] = m]
    /\ lastMb' = [lastMb EXCEPT ![p] = IF nx = Nil THEN Nil ELSE @, ![h] = m]
    /\ mb' = [mb EXCEPT ![m].proxy = h, ![m].next = Nil]
    /\ proxyPtr' = [proxyPtr EXCEPT ![a] = h]
    /\ sendQ' = [sendQ EXCEPT ![b] = Append(@, a)]
    /\ wakeupQ' = IF to = TimeoutFinite THEN [wakeupQ EXCEPT ![p[2]] = @ \cup {h}] ELSE wakeupQ
    /\ UNCHANGED <<xpCc, pc, irr, isr, icr, results, wakeups>>
\* ---- end Handover -------------------------------------------------------

(* ProxyThread.run, taking the first mailbox of its list, then             *)
(* xpSendPath (8.3.5) up to switchTo(B) (B not ready: the sender enters    *)
(* B's send queue, the proxy polls with A's send timeout) or to its end    *)
(* (B ready, or timeout zero).  A sleeping proxy never gets here: it is    *)
(* `running` only after check_n_ack.                                      *)
ProxyXpSendPath(p) ==
    LET m  == firstMb[p]
        a  == mb[m].sender
        b  == mb[m].dest
        to == mb[m].timeout
        pt == [partner EXCEPT ![a] = b, ![p] = b]
    IN
    /\ CanStep(p[2]) /\ st[p] = Running /\ curMb[p] = Nil /\ m # Nil
    /\ IF st[b] = Waiting /\ partner[b] \in {a, Nil}
       THEN ProxyTransmit(p, m)
       ELSE IF to = TimeoutZero
       THEN ProxyAbort(p, m, CcSendTimeout, pt)
       ELSE IF Handover /\ IdleHelpers(p) # {}
       THEN HandOverPoll(p, m, a, b, to)
       ELSE /\ st' = [st EXCEPT ![p] = Polling]
            /\ partner' = pt
            /\ curMb' = [curMb EXCEPT ![p] = m]
            /\ sendQ' = [sendQ EXCEPT ![b] = Append(@, a)]
            /\ wakeupQ' = IF to = TimeoutFinite THEN [wakeupQ EXCEPT ![p[2]] = @ \cup {p}]
                          ELSE wakeupQ
            /\ UNCHANGED <<firstMb, lastMb, proxyPtr, xpCc, pc, mb, irr, isr, icr,
                           results, wakeups>>
    /\ UNCHANGED <<rcvPc, rcvFrom>>
    /\ UNCHANGED opVars

(* xpSendPath after switchTo(B) returns: the receiver found the proxy      *)
(* polling for it and set it locked_running; transmit and wake the sender. *)
ProxyTransmitActivated(p) ==
    /\ CanStep(p[2]) /\ st[p] = LockedRunning
    /\ ProxyTransmit(p, curMb[p])
    /\ UNCHANGED <<rcvPc, rcvFrom>>
    /\ UNCHANGED opVars

(* Timer tick on the proxy's CPU: the sender's send timeout, which the     *)
(* proxy carries, expired while the proxy polls; the proxy, resumed,       *)
(* aborts with "send timeout".                                             *)
TimerSendTimeout(p) ==
    /\ CanStep(p[2]) /\ p \in wakeupQ[p[2]] /\ st[p] = Polling
    /\ ProxyAbort(p, curMb[p], CcSendTimeout, partner)
    /\ UNCHANGED <<rcvPc, rcvFrom>>
    /\ UNCHANGED opVars

(* ProxyThread.run with an empty list: sleep in `waiting` until            *)
(* check_n_ack reactivates it (8.4); switchTo(Anyone).                     *)
ProxySleep(p) ==
    /\ CanStep(p[2]) /\ st[p] = Running /\ curMb[p] = Nil /\ firstMb[p] = Nil
    /\ st' = [st EXCEPT ![p] = Waiting]
    /\ UNCHANGED <<partner, firstMb, lastMb, thrVars, curMb, mb, cpuVars, results, wakeups>>
    /\ UNCHANGED opVars

-----------------------------------------------------------------------------
(* Interrupts and the APIC *)

(* IpiHandler: EOI, check_n_ack, iret (8.3.4).  EoiFirst = FALSE: no EOI;  *)
(* the IPI stays unacknowledged until the operations it activated are      *)
(* done (an IPI that found nothing to do is acknowledged at once).         *)
CpuIpiHandler(c) ==
    LET linked == Flagged(c) IN
    /\ icr[c] = Nil /\ ~InPath(c) /\ irr[c] > 0
    /\ irr' = [irr EXCEPT ![c] = @ - 1]
    /\ isr' = IF EoiFirst \/ linked = {} THEN isr
              ELSE [isr EXCEPT ![c] = Append(@, linked)]
    /\ CheckAndAck(c)
    /\ UNCHANGED <<partner, thrVars, curMb, wakeupQ, icr, results, wakeups>>

(* check_n_ack run by c when it leaves the kernel or at the end of its    *)
(* timer interrupt (8.3.4: polling before leaving supervisor mode; "called *)
(* at the end of the timer and by the handler"): it catches flags whose    *)
(* IPI is late.  Only checks that find a flag are steps; the kernel runs   *)
(* it at the end of a path, after that path's own step.                    *)
CpuCheckAndAck(c) ==
    /\ CanStep(c) /\ (Flagged(c) # {} \/ OpFlagged(c) # {})
    /\ CheckAndAck(c)
    /\ UNCHANGED <<partner, thrVars, curMb, cpuVars, results, wakeups>>

(* Apic.sendIpi's retry loop on c succeeds: a slot of the target is free.  *)
CpuIcrRetry(c) ==
    /\ icr[c] # Nil /\ Slots(icr[c]) < 2
    /\ irr' = [irr EXCEPT ![icr[c]] = @ + 1]
    /\ icr' = [icr EXCEPT ![c] = Nil]
    /\ UNCHANGED <<tcbVars, thrVars, curMb, mb, wakeupQ, isr, results, wakeups>>
    /\ UNCHANGED opVars

-----------------------------------------------------------------------------
(* Operation mailboxes (OpsPerCpu > 0): the environment's cross-processor  *)
(* operations, sharing the flag lines and IPIs with IPC (8.3.4).  Their    *)
(* steps change no IPC variable: a part's effect on threads (an abort, a   *)
(* TLB flush) is left out, as ProxyWakeup leaves out aborts.               *)

opKeep == <<tcbVars, thrVars, curMb, mb, wakeupQ, isr, results, wakeups>>

(* Operations.call on m's home CPU: set up the mailbox, trigger it on each *)
(* CPU of the operation (possibly its own), the caller waits               *)
(* (locked_waiting; the caller is no thread of Prog).                      *)
OpPost(m) ==
    /\ CanStep(m[1]) /\ opPhase[m] = "free"
    /\ \E T \in (SUBSET CPU) \ {{}} :
          /\ opPhase' = [opPhase EXCEPT ![m] = "request"]
          /\ opPending' = [opPending EXCEPT ![m] = T]
          /\ opFlag' = [opFlag EXCEPT ![m] = T]
          /\ opQueued' = opQueued
          /\ opRan' = opRan
          /\ IpiSendAll(m[1], T)
    /\ UNCHANGED opKeep

(* Operations.run on c: the operation proxy takes a mailbox of its list    *)
(* and performs c's part, which never waits; the part may spread the       *)
(* operation to CPUs whose part has neither run nor is pending (an abort   *)
(* reaching a partner's CPU, 8.4.3; XpOperation.Parts.involve).  The       *)
(* kernel's involve only skips pending CPUs: a CPU involved a second time  *)
(* (a thread that migrated back meanwhile) is not a behaviour here, which  *)
(* keeps an operation finite.  The last part sends the mailbox home.       *)
OpProxyPerform(c) ==
    /\ CanStep(c)
    /\ \E m \in OpMailbox :
          /\ c \in opQueued[m]
          /\ \E T \in SUBSET (CPU \ (opPending[m] \cup opRan[m] \cup {c})) :
                LET left == (opPending[m] \cup T) \ {c}
                    D    == IF left = {} THEN {m[1]} ELSE T
                IN /\ opPending' = [opPending EXCEPT ![m] = left]
                   /\ opPhase' = [opPhase EXCEPT ![m] = IF left = {} THEN "done" ELSE @]
                   /\ opQueued' = [opQueued EXCEPT ![m] = @ \ {c}]
                   /\ opRan' = [opRan EXCEPT ![m] = @ \cup {c}]
                   /\ opFlag' = [opFlag EXCEPT ![m] = @ \cup D]
                   /\ IpiSendAll(c, D)
    /\ UNCHANGED opKeep

(* Operations.opReturn: the caller, made ready at home by check_n_ack,     *)
(* frees the mailbox and completes the operation.                          *)
OpCallerReturn(m) ==
    /\ CanStep(m[1]) /\ opPhase[m] = "done" /\ opFlag[m] = {}
    /\ opPhase' = [opPhase EXCEPT ![m] = "free"]
    /\ opRan' = [opRan EXCEPT ![m] = {}]
    /\ UNCHANGED <<opPending, opFlag, opQueued, irr, icr>>
    /\ UNCHANGED opKeep

OpStep(c) == OpProxyPerform(c) \/ \E k \in 1..OpsPerCpu : OpPost(<<c, k>>) \/ OpCallerReturn(<<c, k>>)

-----------------------------------------------------------------------------
\* (Operations may go on: the environment may post them for ever; each one
\* ends, OpCompletesProp.)
Finished == \A t \in Thread : ~HasOp(t) /\ firstMb[t] = Nil

\* All programs are done: stutter, so that TLC's deadlock check reports only
\* real hangs.
Terminating == Finished /\ UNCHANGED vars

ThreadStep(t) ==
    \/ SenderXpSend(t) \/ SenderXpReturn(t) \/ ReceiverReceive(t)
    \/ ReceiverRecheckPolling(t) \/ ReceiverRecheckPartner(t) \/ ReceiverActivateReread(t)

ProxyStep(p) == ProxyXpSendPath(p) \/ ProxyTransmitActivated(p) \/ ProxySleep(p)

Next ==
    \/ \E t \in Thread : ThreadStep(t) \/ TimerReceiveTimeout(t)
    \/ \E p \in Proxy : ProxyStep(p) \/ TimerSendTimeout(p)
    \/ \E c \in CPU : CpuIpiHandler(c) \/ CpuCheckAndAck(c) \/ CpuIcrRetry(c) \/ OpStep(c)
    \/ Terminating

Spec == Init /\ [][Next]_vars

\* Weak fairness per actor: each thread and each proxy eventually takes a
\* step it can take (its timeouts expire: a waiting thread has no other
\* step); each CPU eventually takes its pending IPI or polls a flag.  A
\* spinning IPI sender gets a slot that is free infinitely often (strong
\* fairness: other CPUs may take the freed slot first).
Fairness ==
    /\ \A t \in Thread : WF_vars(ThreadStep(t) \/ TimerReceiveTimeout(t))
    /\ \A p \in Proxy : WF_vars(ProxyStep(p) \/ TimerSendTimeout(p))
    /\ \A c \in CPU : WF_vars(CpuIpiHandler(c) \/ CpuCheckAndAck(c)) /\ SF_vars(CpuIcrRetry(c))
    \* a posted operation's parts are run and its caller returns (no
    \* conjunct without operation mailboxes)
    /\ \A c \in (IF OpsPerCpu = 0 THEN {} ELSE CPU) : WF_vars(OpProxyPerform(c))
    /\ \A m \in OpMailbox : WF_vars(OpCallerReturn(m))

FairSpec == Spec /\ Fairness

-----------------------------------------------------------------------------
(* Safety properties *)

\* Each list is a chain from first to last, without cycles or repeats, of
\* mailboxes in use whose flag was cleared by check_n_ack and which name
\* the list's owner as their proxy.
MailboxListsInv ==
    \A x \in Tcb :
        LET l == MbList(x) IN
        /\ (firstMb[x] = Nil) = (lastMb[x] = Nil)
        /\ Len(l) <= NumMailboxes
        /\ l # <<>> => l[Len(l)] = lastMb[x]
        /\ NoDuplicates(l)
        /\ \A i \in DOMAIN l : ~mb[l[i]].free /\ ~mb[l[i]].flag /\ mb[l[i]].proxy = x

\* A mailbox is in at most one list.  (TLCEval builds each list once per
\* state rather than once per pair: this invariant was most of the cost of
\* checking a ProxyWakeup state, for TLC and for the trace checker alike.)
MailboxInOneListInv ==
    LET in == TLCEval([x \in Tcb |-> Range(MbList(x))]) IN
    \A x, y \in Tcb : x # y => in[x] \cap in[y] = {}

\* A free mailbox is not linked, not triggered and not being worked on.
MailboxNotFreedWhileLinkedInv ==
    \A m \in Mailbox : mb[m].free =>
        /\ ~mb[m].flag
        /\ \A x \in Tcb : m \notin Range(MbList(x))
        /\ \A p \in Proxy : curMb[p] # m

\* The sender resumes (running with its reply linked) only after exactly
\* one wakeup_sender, which set the completion code it returns.
SenderResumesOnceInv ==
    \A t \in Thread :
        /\ wakeups[t] <= 1
        /\ (st[t] = Running /\ firstMb[t] # Nil) => (wakeups[t] = 1 /\ xpCc[t] # CcNone)

\* Inside an operation the proxy never sleeps in plain `waiting` (8.4):
\* check_n_ack would reactivate it in the middle of the operation.
ProxyNeverWaitsInOpInv ==
    \A p \in Proxy : curMb[p] # Nil => st[p] # Waiting /\ curMb[p] = firstMb[p]

\* from.proxy is set exactly while a proxy holds the thread's request.
ProxyPointerInv ==
    \A t \in Thread : proxyPtr[t] # Nil =>
        /\ st[t] = LockedWaiting
        /\ \E m \in Mailbox : ~mb[m].free /\ mb[m].sender = t /\ mb[m].proxy = proxyPtr[t]

\* A receiver activates only a proxy that works on a request for it from
\* the sender it receives from, and stays locked until that proxy transmits.
ActivatedPairInv ==
    \A p \in Proxy : st[p] = LockedRunning =>
        /\ curMb[p] # Nil
        /\ LET b == mb[curMb[p]].dest IN
           /\ st[b] = LockedWaiting
           /\ HasOp(b) /\ CurOp(b).kind = "recv"
           /\ CurOp(b).peer \in {Nil, mb[curMb[p]].sender}

\* Each sender in a send queue is there once, and its proxy polls for that
\* receiver on its behalf.
SendQueueInv ==
    \A b \in Thread :
        /\ NoDuplicates(sendQ[b])
        /\ \A i \in DOMAIN sendQ[b] :
               LET x == sendQ[b][i]
                   p == proxyPtr[x]
               IN /\ p # Nil /\ st[p] = Polling /\ partner[p] = b
                  /\ curMb[p] # Nil /\ mb[curMb[p]].sender = x

\* The receive path never dereferences a proxy pointer that became Nil.
NoDanglingProxyInv == \A t \in Thread : rcvPc[t] # "fault"

\* An operation's parts: each CPU whose part is pending has the mailbox's
\* flag set or the mailbox in its operation proxy's list, not both; once
\* every part is done only the home CPU's flag may be set (8.4.3).
OpMailboxInv ==
    \A m \in OpMailbox :
        CASE opPhase[m] = "free"    -> opPending[m] = {} /\ opFlag[m] = {} /\ opQueued[m] = {} /\ opRan[m] = {}
          [] opPhase[m] = "request" -> /\ opPending[m] # {}
                                       /\ opPending[m] = opFlag[m] \cup opQueued[m]
                                       /\ opFlag[m] \cap opQueued[m] = {}
          [] OTHER                  -> opPending[m] = {} /\ opQueued[m] = {} /\ opFlag[m] \subseteq {m[1]}

\* At most two unacknowledged IPIs per APIC.
IpiSlotsInv == \A c \in CPU : Slots(c) <= 2

\* Per-CPU locality (implementation decision 3, 8.3.3 guideline 3): a step
\* changes the processor-local data of one CPU at most -- its wakeup queue
\* and APIC state (isr, icr), the send queues of its threads, and the local
\* fields of its TCBs (state, mailbox list, program position, results, the
\* split receive path; a proxy's operation in work).  Exempt, written
\* cross-processor by design: partner, tcb.proxy and xp_cc (8.6), the
\* mailboxes (written by the source CPU, linked by the target's
\* check_n_ack), and the target's IRR (an IPI).  ProxyWakeup has no
\* variable naming the CPU of a step, so the property says "one CPU", not
\* "the step's CPU": a step that touches another CPU's local data as well
\* as its own is caught, one that touches only another CPU's is not.
\* (Matching each action with its CPU, A(t) => OnlyLocal(Home[t]), was
\* tried: it re-evaluates every action on every transition, and the
\* standard config took minutes instead of seconds.)
LocalTcb(x) ==
    IF x \in Thread
    THEN <<st[x], firstMb[x], lastMb[x], pc[x], results[x], rcvPc[x], rcvFrom[x]>>
    ELSE <<st[x], firstMb[x], lastMb[x], curMb[x]>>
OnlyLocal(c) ==
    /\ \A x \in Tcb : CpuOf(x) # c => LocalTcb(x)' = LocalTcb(x)
    /\ \A t \in Thread : Home[t] # c => sendQ'[t] = sendQ[t]
    /\ \A d \in CPU \ {c} : <<wakeupQ[d], isr[d], icr[d]>>' = <<wakeupQ[d], isr[d], icr[d]>>
    /\ \A d \in CPU \ {c} : \A m \in OpMailbox : (d \in opQueued'[m]) = (d \in opQueued[m])
LocalityProp == [][\E c \in CPU : OnlyLocal(c)]_vars

(* Liveness *)

MailboxHandledProp == \A m \in Mailbox : mb[m].flag ~> ~mb[m].flag

\* Every operation posted ends (its caller frees the mailbox).
OpCompletesProp == \A m \in OpMailbox : opPhase[m] # "free" ~> opPhase[m] = "free"

InXpSend(t) == HasOp(t) /\ CurOp(t).kind = "send" /\ st[t] = LockedWaiting
SenderResumedProp == \A t \in Thread : InXpSend(t) ~> st[t] = Running

\* Every behaviour completes every program.  Finished is stable and implies
\* that no mailbox is flagged and no sender waits, so this one property
\* implies the two above; TLC checks it as a single branch, which the
\* larger scenarios need (the two above expand into one branch per mailbox
\* and per thread).  It holds only for programs that can complete (each
\* receive with timeout never is matched by a send with timeout never).
TerminationProp == <>Finished
=============================================================================
