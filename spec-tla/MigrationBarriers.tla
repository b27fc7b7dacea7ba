-------------------------- MODULE MigrationBarriers --------------------------
(***************************************************************************)
(* Thread migration in L4-SMP (Voelp 2002, sections 8.7.2-8.7.4):          *)
(* thread_schedule(t1, C) called on CPU A moves t1 from its CPU B to C in  *)
(* three parts, A (the caller's system call), B (source) and C (target),   *)
(* synchronised by the barriers (=1) (A, B), (=2) (A, B, C) and the weak   *)
(* (~3) (C waits for B's new cpu number; B does not wait).                 *)
(*                                                                         *)
(*   A: trigger B and C; (=1); exchange timeslice and priority; (=2);      *)
(*      return to the scheduling server                                    *)
(*   B: enter kernel mode; (=1); delete t1 from the local ready list, free *)
(*      its resources; (=2); set the new cpu number; (~3); switch away if  *)
(*      t1 was running, else return                                        *)
(*   C: enter kernel mode; (=2); insert t1 into the local ready list;      *)
(*      (~3); switch to t1 if it has a higher priority, else return        *)
(*                                                                         *)
(* Modelled: processor-local ready lists as rings doubly linked through a  *)
(* single prev/next field pair per TCB (the reason for B's side of (=2):   *)
(* C's insertion must not overwrite links B still needs); a ghost priority *)
(* (the scheduling parameters A exchanges) and the priority each thread    *)
(* was linked with (the reason for (=1) and A's side of (=2)); lazy        *)
(* removal of non-ready threads by the dispatcher; waiting threads and     *)
(* their wakeup-queue entries, which migrate with them unless their        *)
(* timeout is never (8.7.3); the special cases A = B and A = C (A runs     *)
(* first, in the same system call, the barriers with itself are skipped,   *)
(* no IPI); self-migration, ignored by implementation decision 4 (8.7.4);  *)
(* several schedulers, each calling thread_schedule once for a thread of   *)
(* MayMove[s] (which may be another scheduler), so that requests run       *)
(* concurrently, for one thread or for several.                            *)
(* Left out: real priorities and timeslices (one ring per CPU; the ghost   *)
(* priority only flips when A exchanges), the FPU and other resources,     *)
(* IPC (a waiting thread is woken by an abstract IPC on its CPU; 8.5 is    *)
(* XpMigration's subject), and the IPI/mailbox that triggers a part (a     *)
(* trigger is a pending flag the CPU takes when its interrupts are         *)
(* enabled).                                                               *)
(*                                                                         *)
(* Atomic steps.  B and C run with interrupts disabled from entering the   *)
(* kernel to their end and spin at barriers; a step of a part ends where   *)
(* the part waits at a barrier, since only there do other CPUs' steps      *)
(* matter.  B's last step (new cpu number, (~3), switch) is one step: B    *)
(* must save t1's context before it publishes the cpu number, or C could   *)
(* resume t1 while B still runs on t1's kernel stack (the literal order of *)
(* 8.7.2, SaveContextFirst = FALSE, shows it).  A runs in the caller's     *)
(* system call and spins with interrupts enabled, for a lock or at its     *)
(* barriers: a part triggered on A's CPU (as B or C of another request)    *)
(* runs nested in A's wait (otherwise two CPUs initiating requests for     *)
(* each other deadlock), but no other thread runs there until A returns.   *)
(* Guards read only what the kernel can read: L4's thread state does not   *)
(* tell "running on some CPU" from "ready" (both are `running`), so a      *)
(* dispatcher or C may pick any thread that is not waiting; st's Running / *)
(* Ready distinction is kept for the properties only.                      *)
(*                                                                         *)
(* Fixes, selected by constants so that a config can turn one off:         *)
(*   WithBarrier1        (=1): A exchanges only once B is in the kernel.   *)
(*   WithBarrier2        B's side of (=2): C inserts only after B deleted. *)
(*   WithBarrier2A       A's side of (=2): C inserts only after A wrote    *)
(*                       the scheduling parameters.                        *)
(*   WithBarrier3        (~3): C returns only after B set the cpu number.  *)
(*   SaveContextFirst    B switches away from t1 in the step that sets     *)
(*                       the cpu number (FALSE: 8.7.2's literal order).    *)
(*   IgnoreSelfMigration implementation decision 4.                        *)
(*   DoNotMigrateLock    finding, not in 8.7.2: thread_schedule takes t1's *)
(*                       "do not migrate" lock (8.4.3) before reading      *)
(*                       t1.cpu and B releases it with the new cpu number. *)
(*                       8.7.2 argues that a second request started after  *)
(*                       B finished is safe; one that read t1.cpu before B *)
(*                       set it is not (see MigrationBarriersNoLock.cfg).  *)
(*   SerialiseMigrations finding beyond the thesis: with every fix above   *)
(*                       on, two migrations whose B and C cross deadlock,  *)
(*                       and so does migrating a scheduler inside its own  *)
(*                       thread_schedule.  The fix: one migration at a     *)
(*                       time.  thread_schedule spins (interrupts enabled) *)
(*                       for the global migration lock before it reads     *)
(*                       t1.cpu; the last of A, B and C to finish releases *)
(*                       it (docs/specs.md, "Two deadlocks").              *)
(*                                                                         *)
(* REFINEMENT MAPPING to the Java kernel, as                               *)
(* l4smp.refine.MigrationBarriersAbstraction computes it after every       *)
(* atomic step (tcb(t) is thread.Tcb; local(c) is sched.ProcessorData of   *)
(* CPU c; call(s) is migrate.MigrationCall and request(s)                  *)
(* migrate.MigrationRequest of scheduler s):                               *)
(*   cpu[t]       tcb(t).cpu                                               *)
(*   st[t]        waiting if tcb(t).state is not runnable; Running if t is *)
(*                some local(c).current; else Ready                        *)
(*   tmo[t]       finite if t blocked with an entry in                     *)
(*                local(c).wakeupQueue, else never (history)               *)
(*   next, prev, head  the members of local(c).readyList, in the order the *)
(*                abstraction keeps (the kernel's round robin turns        *)
(*                ReadyList.current[p], which the spec leaves out);        *)
(*                membership is the kernel's, checked after every step     *)
(*   prio[t]      the parity of ScheduleCall.exchange calls for t;         *)
(*                listPrio[t]: prio[t] when t was last linked (history)    *)
(*   wakeupQ[c]   the threads in local(c).wakeupQueue                      *)
(*   current[c]   local(c).current, Nil while c idles or runs a proxy      *)
(*   part[c]      local(c).migrationPart: <<s, "B">> or <<s, "C">>         *)
(*   aPc[s]       call(s).phase (idle before the call, done after);        *)
(*                bPc[s], cPc[s]: request(s).bPhase, .cPhase, kept after   *)
(*                the record is freed                                      *)
(*   tgt, aCpu, src, dst, arrived, cpuSet  request(s).thread, .initiator,  *)
(*                .source, .target, .arrived, .cpuSet (tgt and dst from    *)
(*                the call while it spins)                                 *)
(*   lock[t]      tcb(t).doNotMigrate, the word at TcbLine.GLOBAL_MODIFIED *)
(*                + 28, as its request's scheduler                         *)
(*   mlock        migrate.Migration.lockHolder, as its request's scheduler *)
(*   settled, by  history: the target of t's last completed C part until   *)
(*                the next B sets t's cpu number; the CPU of the step      *)
(* Each action runs on one CPU: Scheduler* on the CPU running s (aCpu[s]   *)
(* after the call), Source* on src[s], Target* on dst[s], Thread* on       *)
(* cpu[t], Dispatcher*/TimerWakeup/IpcWakeup on their c.  The recorder     *)
(* labels each step with the action name and its parameters, e.g.          *)
(* `SchedulerIssue(s1, m, c2)`, `SourceEnter(s1)`,                         *)
(* `DispatcherSwitch(c1, t)`.                                              *)
(***************************************************************************)
EXTENDS L4Common, TLC

CONSTANTS
    Scheduler,           \* threads that each call thread_schedule once
    MayMove,             \* MayMove[s]: the threads s's call may move
    WithBarrier1,        \* (=1)
    WithBarrier2,        \* B's side of (=2)
    WithBarrier2A,       \* A's side of (=2)
    WithBarrier3,        \* (~3)
    SaveContextFirst,    \* B's switch in the step that sets the cpu number
    IgnoreSelfMigration, \* implementation decision 4
    DoNotMigrateLock,    \* finding: serialise requests for one thread
    SerialiseMigrations  \* finding: one migration at a time

ASSUME MigrationAssumptions ==
    /\ Scheduler \subseteq Thread
    /\ MayMove \in [Scheduler -> SUBSET Thread]
    /\ \A f \in {WithBarrier1, WithBarrier2, WithBarrier2A, WithBarrier3, SaveContextFirst,
                 IgnoreSelfMigration, DoNotMigrateLock, SerialiseMigrations} : f \in BOOLEAN

APc == {"idle", "spin", "wait1", "wait2", "return", "done"}
BPc == {"none", "triggered", "wait2", "switch", "done"}
CPc == {"none", "triggered", "wait2", "wait3", "done"}
Arrival == {"A1", "B1", "A2", "B2", "C2"}
Part == {Nil} \cup (Scheduler \X {"B", "C"})

VARIABLES
    \* --- TCB fields ---
    cpu,        \* the CPU the thread is assigned to (8.6 group 3)
    st,         \* running, ready or waiting
    tmo,        \* timeout of the thread's wait
    next,       \* ready-list successor (the single link pair) or Nil
    prev,       \* ready-list predecessor or Nil
    prio,       \* scheduling parameters (ghost: parity of A's exchanges)
    listPrio,   \* the priority the thread was last linked into a list with
    \* --- processor-local ---
    head,       \* first thread of the CPU's ready list, Nil if empty
    wakeupQ,    \* threads waiting with a finite timeout on this CPU
    current,    \* thread whose context the CPU executes, Nil if idle
    part,       \* migration part the CPU executes with interrupts off
    \* --- migration requests, one per scheduler ---
    aPc, bPc, cPc,   \* progress of parts A, B and C
    tgt,        \* the thread the request moves
    aCpu, src, dst,  \* CPUs A, B and C of the request
    arrived,    \* barrier arrivals
    cpuSet,     \* (~3): B has set t1's new cpu number
    \* --- locks ---
    lock,       \* per thread: the "do not migrate" lock (DoNotMigrateLock)
    mlock,      \* the global migration lock (SerialiseMigrations)
    \* --- history (not in an implementation) ---
    settled,    \* per thread: target of its last completed C part
    by          \* the CPU that executed the last step

tcbVars == <<cpu, st, tmo, next, prev, prio, listPrio>>
cpuVars == <<head, wakeupQ, current, part>>
reqVars == <<aPc, bPc, cPc, tgt, aCpu, src, dst, arrived, cpuSet>>
lockVars == <<lock, mlock>>
vars == <<tcbVars, cpuVars, reqVars, lockVars, settled, by>>

TypeOK ==
    /\ cpu \in [Thread -> CPU]
    /\ st \in [Thread -> {Running, Ready, Waiting}]
    /\ tmo \in [Thread -> {TimeoutFinite, TimeoutNever}]
    /\ next \in [Thread -> Thread \cup {Nil}]
    /\ prev \in [Thread -> Thread \cup {Nil}]
    /\ prio \in [Thread -> {0, 1}]
    /\ listPrio \in [Thread -> {0, 1}]
    /\ head \in [CPU -> Thread \cup {Nil}]
    /\ wakeupQ \in [CPU -> SUBSET Thread]
    /\ current \in [CPU -> Thread \cup {Nil}]
    /\ part \in [CPU -> Part]
    /\ aPc \in [Scheduler -> APc]
    /\ bPc \in [Scheduler -> BPc]
    /\ cPc \in [Scheduler -> CPc]
    /\ tgt \in [Scheduler -> Thread \cup {Nil}]
    /\ aCpu \in [Scheduler -> CPU \cup {Nil}]
    /\ src \in [Scheduler -> CPU \cup {Nil}]
    /\ dst \in [Scheduler -> CPU \cup {Nil}]
    /\ arrived \in [Scheduler -> SUBSET Arrival]
    /\ cpuSet \in [Scheduler -> BOOLEAN]
    /\ lock \in [Thread -> Scheduler \cup {Nil}]
    /\ mlock \in Scheduler \cup {Nil}
    /\ settled \in [Thread -> CPU \cup {Nil}]
    /\ by \in CPU \cup {Nil}

-----------------------------------------------------------------------------
(* Ready lists *)

\* The ring of CPU c, followed through next from its head; stops at the
\* head, at a Nil link, or after more steps than there are threads.
RECURSIVE Walk(_, _, _)
Walk(h, x, n) ==
    IF n = 0 THEN <<>>
    ELSE <<x>> \o (IF next[x] \in {h, Nil} THEN <<>> ELSE Walk(h, next[x], n - 1))
List(c) == IF head[c] = Nil THEN <<>> ELSE Walk(head[c], head[c], Cardinality(Thread) + 1)
Members(c) == Range(List(c))
Linked(t) == next[t] # Nil

\* Unlink t from the ring headed by head[c], using t's own links.
Unlink(c, t) ==
    IF next[t] = t
    THEN /\ next' = [next EXCEPT ![t] = Nil]
         /\ prev' = [prev EXCEPT ![t] = Nil]
         /\ head' = [head EXCEPT ![c] = Nil]
    ELSE /\ next' = [next EXCEPT ![prev[t]] = next[t], ![t] = Nil]
         /\ prev' = [prev EXCEPT ![next[t]] = prev[t], ![t] = Nil]
         /\ head' = IF head[c] = t THEN [head EXCEPT ![c] = next[t]] ELSE head

\* Link t at the tail of c's ring (before the head: round robin order),
\* overwriting t's links; the list is the one of t's current priority.
Link(c, t) ==
    /\ listPrio' = [listPrio EXCEPT ![t] = prio[t]]
    /\ IF head[c] = Nil
       THEN /\ next' = [next EXCEPT ![t] = t]
            /\ prev' = [prev EXCEPT ![t] = t]
            /\ head' = [head EXCEPT ![c] = t]
       ELSE LET h == head[c]
                tl == prev[h]
            IN /\ next' = [next EXCEPT ![tl] = t, ![t] = h]
               /\ prev' = [prev EXCEPT ![h] = t, ![t] = tl]
               /\ head' = head

LinkIfUnlinked(c, t) == IF Linked(t) THEN UNCHANGED <<next, prev, head, listPrio>> ELSE Link(c, t)

\* The kernel's "running" state: on a CPU or in a ready list (8.3.2).
ReadyToRun(t) == st[t] # Waiting

-----------------------------------------------------------------------------
(* CPU modes *)

\* The caller s is inside thread_schedule, spinning for a lock ("spin")
\* or past the call (part A not finished).
InCall(s) == aPc[s] \in {"wait1", "wait2", "return"}
InKernel(s) == aPc[s] = "spin" \/ InCall(s)
\* CPU c runs a thread in user mode (or is idle): no part, no system call.
UserMode(c) == part[c] = Nil /\ ~\E s \in Scheduler : current[c] = s /\ InKernel(s)
\* The caller's context runs on CPU c, not interrupted by a part.
ARuns(s, c) == current[c] = s /\ part[c] = Nil

\* Between B's deletion and the moment t1 is both inserted by C and has
\* its new cpu number, t1's TCB is in flight.
InFlight(s) == bPc[s] \in {"wait2", "switch", "done"} /\ ~(cpuSet[s] /\ cPc[s] \in {"wait3", "done"})
Moving(t) == \E s \in Scheduler : tgt[s] = t /\ InFlight(s)

\* Barrier (=2) as seen by each part: all other participants arrived.  A
\* does not wait for a part that runs on its own CPU after it (A = B,
\* A = C); without WithBarrier2, B neither arrives at (=2) nor waits
\* there; without WithBarrier2A, C does not wait for A.
Passed2(s, who) ==
    CASE who = "A" -> /\ (WithBarrier2 /\ src[s] # aCpu[s]) => "B2" \in arrived[s]
                      /\ dst[s] # aCpu[s] => "C2" \in arrived[s]
      [] who = "B" -> "A2" \in arrived[s] /\ "C2" \in arrived[s]
      [] who = "C" -> /\ WithBarrier2A => "A2" \in arrived[s]
                      /\ WithBarrier2 => "B2" \in arrived[s]

\* A request is over when its three parts are; the last part to finish
\* releases the global migration lock (an atomic count of open parts in
\* the kernel).  aPc1, bPc1, cPc1 are the request's progress after the step.
ReqDone(a, b, c) == a = "done" /\ b \in {"none", "done"} /\ c \in {"none", "done"}
ReleaseIfLast(s, a, b, c) ==
    mlock' = IF mlock = s /\ ReqDone(a, b, c) THEN Nil ELSE mlock

\* The scheduling parameters of t are exchanged (A's "exchange timeslice
\* and priority"); the ghost priority flips.
Exchange(t) == prio' = [prio EXCEPT ![t] = 1 - @]

-----------------------------------------------------------------------------
\* Each thread on some CPU, ready, linked into its CPU's ring in any order.
Perms(S) == {f \in [1..Cardinality(S) -> S] : \A i, j \in DOMAIN f : i # j => f[i] # f[j]}
Succ(o, t) == LET i == CHOOSE k \in DOMAIN o : o[k] = t IN o[IF i = Len(o) THEN 1 ELSE i + 1]
Pred(o, t) == LET i == CHOOSE k \in DOMAIN o : o[k] = t IN o[IF i = 1 THEN Len(o) ELSE i - 1]

Init ==
    /\ cpu \in [Thread -> CPU]
    /\ \E ord \in [CPU -> UNION {Perms(S) : S \in SUBSET Thread}] :
          /\ \A c \in CPU : Range(ord[c]) = {t \in Thread : cpu[t] = c}
          /\ next = [t \in Thread |-> Succ(ord[cpu[t]], t)]
          /\ prev = [t \in Thread |-> Pred(ord[cpu[t]], t)]
          /\ head = [c \in CPU |-> IF ord[c] = <<>> THEN Nil ELSE ord[c][1]]
    /\ st = [t \in Thread |-> Ready]
    /\ tmo = [t \in Thread |-> TimeoutNever]
    /\ prio = [t \in Thread |-> 0]
    /\ listPrio = [t \in Thread |-> 0]
    /\ wakeupQ = [c \in CPU |-> {}]
    /\ current = [c \in CPU |-> Nil]
    /\ part = [c \in CPU |-> Nil]
    /\ aPc = [s \in Scheduler |-> "idle"]
    /\ bPc = [s \in Scheduler |-> "none"]
    /\ cPc = [s \in Scheduler |-> "none"]
    /\ tgt = [s \in Scheduler |-> Nil]
    /\ aCpu = [s \in Scheduler |-> Nil]
    /\ src = [s \in Scheduler |-> Nil]
    /\ dst = [s \in Scheduler |-> Nil]
    /\ arrived = [s \in Scheduler |-> {}]
    /\ cpuSet = [s \in Scheduler |-> FALSE]
    /\ lock = [t \in Thread |-> Nil]
    /\ mlock = Nil
    /\ settled = [t \in Thread |-> Nil]
    /\ by = Nil

-----------------------------------------------------------------------------
(* Threads and the dispatcher (processor local) *)

(* Dispatcher.switchTo on idle CPU c: run a thread of c's ring that is     *)
(* not waiting (the kernel cannot tell whether it runs elsewhere).         *)
DispatcherSwitch(c, t) ==
    /\ current[c] = Nil /\ part[c] = Nil
    /\ t \in Members(c) /\ ReadyToRun(t)
    /\ current' = [current EXCEPT ![c] = t]
    /\ st' = [st EXCEPT ![t] = Running]
    /\ by' = c
    /\ UNCHANGED <<cpu, tmo, next, prev, prio, listPrio, head, wakeupQ, part, reqVars, lockVars, settled>>

(* Dispatcher on idle CPU c meets a thread that is not ready and removes   *)
(* it from the ring (lazy removal, 8.7.3).                                 *)
DispatcherDropWaiting(c, t) ==
    /\ current[c] = Nil /\ part[c] = Nil
    /\ t \in Members(c) /\ st[t] = Waiting
    /\ Unlink(c, t)
    /\ by' = c
    /\ UNCHANGED <<cpu, st, tmo, prio, listPrio, wakeupQ, current, part, reqVars, lockVars, settled>>

(* The running thread t ends its timeslice: back to ready, CPU idle.       *)
ThreadYield(t) ==
    LET c == cpu[t] IN
    /\ current[c] = t /\ UserMode(c)
    /\ st' = [st EXCEPT ![t] = Ready]
    /\ current' = [current EXCEPT ![c] = Nil]
    /\ by' = c
    /\ UNCHANGED <<cpu, tmo, next, prev, prio, listPrio, head, wakeupQ, part, reqVars, lockVars, settled>>

(* The running thread t blocks in an IPC with timeout `to`: it waits, in   *)
(* the wakeup queue unless `to` is never, and stays in the ready list.     *)
ThreadBlock(t, to) ==
    LET c == cpu[t] IN
    /\ current[c] = t /\ UserMode(c)
    /\ st' = [st EXCEPT ![t] = Waiting]
    /\ tmo' = [tmo EXCEPT ![t] = to]
    /\ wakeupQ' = IF to = TimeoutFinite THEN [wakeupQ EXCEPT ![c] = @ \cup {t}] ELSE wakeupQ
    /\ current' = [current EXCEPT ![c] = Nil]
    /\ by' = c
    /\ UNCHANGED <<cpu, next, prev, prio, listPrio, head, part, reqVars, lockVars, settled>>

(* Timer tick on c: t's timeout expired; t is ready and back in the ring.  *)
TimerWakeup(c, t) ==
    /\ part[c] = Nil /\ t \in wakeupQ[c]
    /\ st' = [st EXCEPT ![t] = Ready]
    /\ wakeupQ' = [wakeupQ EXCEPT ![c] = @ \ {t}]
    /\ LinkIfUnlinked(c, t)
    /\ by' = c
    /\ UNCHANGED <<cpu, tmo, prio, current, part, reqVars, lockVars, settled>>

(* An IPC on c (its partner's kernel path) wakes the waiting thread t.     *)
IpcWakeup(c, t) ==
    /\ UserMode(c) /\ cpu[t] = c /\ st[t] = Waiting
    /\ st' = [st EXCEPT ![t] = Ready]
    /\ wakeupQ' = [wakeupQ EXCEPT ![c] = @ \ {t}]
    /\ LinkIfUnlinked(c, t)
    /\ by' = c
    /\ UNCHANGED <<cpu, tmo, prio, current, part, reqVars, lockVars, settled>>

-----------------------------------------------------------------------------
(* Part A: the thread_schedule system call of scheduler s on its CPU.      *)

(* The scheduler enters thread_schedule(t, d): the arguments are in its    *)
(* registers; the call spins (interrupts enabled) until it may go on.      *)
SchedulerIssue(s, t, d) ==
    LET c == cpu[s] IN
    /\ aPc[s] = "idle" /\ current[c] = s /\ UserMode(c)
    /\ t \in MayMove[s]
    /\ aPc' = [aPc EXCEPT ![s] = "spin"]
    /\ tgt' = [tgt EXCEPT ![s] = t]
    /\ dst' = [dst EXCEPT ![s] = d]
    /\ by' = c
    /\ UNCHANGED <<tcbVars, cpuVars, bPc, cPc, aCpu, src, arrived, cpuSet, lockVars, settled>>

(* ThreadSchedule.call up to (=1), once the locks it needs are free: take  *)
(* them, ignore a self-migration, read t1.cpu (B); if it equals the target *)
(* nothing moves (return); else trigger B and C (no IPI to A's own CPU; a  *)
(* part on A's CPU runs after A) and arrive at (=1).  With A = B, (=1) is  *)
(* skipped and A exchanges at once and arrives at (=2).  A scheduler that  *)
(* spins here holds no lock and has read nothing: it may be migrated and   *)
(* go on spinning on its new CPU.                                          *)
SchedulerCall(s) ==
    LET c == cpu[s]
        t == tgt[s]
        b == cpu[t]
        d == dst[s]
    IN
    /\ aPc[s] = "spin" /\ ARuns(s, c)
    /\ DoNotMigrateLock => lock[t] = Nil
    /\ SerialiseMigrations => mlock = Nil
    /\ IF (t = s /\ IgnoreSelfMigration) \/ b = d
       THEN /\ aPc' = [aPc EXCEPT ![s] = "done"]
            /\ UNCHANGED <<prio, bPc, cPc, aCpu, src, arrived, lockVars>>
       ELSE /\ aPc' = [aPc EXCEPT ![s] = IF b = c THEN "wait2" ELSE "wait1"]
            /\ aCpu' = [aCpu EXCEPT ![s] = c]
            /\ src' = [src EXCEPT ![s] = b]
            /\ bPc' = [bPc EXCEPT ![s] = IF b = c THEN "none" ELSE "triggered"]
            /\ cPc' = [cPc EXCEPT ![s] = IF d = c THEN "none" ELSE "triggered"]
            /\ arrived' = [arrived EXCEPT ![s] = IF b = c THEN {"A1", "A2"} ELSE {"A1"}]
            /\ IF b = c THEN Exchange(t) ELSE UNCHANGED prio
            /\ lock' = IF DoNotMigrateLock THEN [lock EXCEPT ![t] = s] ELSE lock
            /\ mlock' = IF SerialiseMigrations THEN s ELSE mlock
    /\ by' = c
    /\ UNCHANGED <<cpu, st, tmo, next, prev, listPrio, cpuVars, tgt, dst, cpuSet, settled>>

(* A passes (=1) (B entered the kernel): exchange timeslice and priority,  *)
(* arrive at (=2).  Without WithBarrier1 A does not wait for B.            *)
SchedulerPassBarrier1(s) ==
    /\ aPc[s] = "wait1"
    /\ WithBarrier1 => "B1" \in arrived[s]
    /\ aPc' = [aPc EXCEPT ![s] = "wait2"]
    /\ arrived' = [arrived EXCEPT ![s] = @ \cup {"A2"}]
    /\ Exchange(tgt[s])
    /\ \E c \in CPU : ARuns(s, c) /\ by' = c
    /\ UNCHANGED <<cpu, st, tmo, next, prev, listPrio, cpuVars, bPc, cPc, tgt, aCpu, src, dst,
                   cpuSet, lockVars, settled>>

(* A passes (=2).  If A is also B or C, that part runs next in the same    *)
(* system call (A first, 8.7.2); A returns after it.                       *)
SchedulerPassBarrier2(s) ==
    /\ aPc[s] = "wait2"
    /\ Passed2(s, "A")
    /\ aPc' = [aPc EXCEPT ![s] = "return"]
    /\ bPc' = [bPc EXCEPT ![s] = IF src[s] = aCpu[s] THEN "triggered" ELSE @]
    /\ cPc' = [cPc EXCEPT ![s] = IF dst[s] = aCpu[s] THEN "triggered" ELSE @]
    /\ \E c \in CPU : ARuns(s, c) /\ by' = c
    /\ UNCHANGED <<tcbVars, cpuVars, tgt, aCpu, src, dst, arrived, cpuSet, lockVars, settled>>

LocalPartsDone(s) ==
    /\ src[s] = aCpu[s] => bPc[s] = "done"
    /\ dst[s] = aCpu[s] => cPc[s] = "done"

(* Return to the invoking scheduling server.                               *)
SchedulerReturn(s) ==
    /\ aPc[s] = "return"
    /\ LocalPartsDone(s)
    /\ aPc' = [aPc EXCEPT ![s] = "done"]
    /\ ReleaseIfLast(s, "done", bPc[s], cPc[s])
    /\ \E c \in CPU : ARuns(s, c) /\ by' = c
    /\ UNCHANGED <<tcbVars, cpuVars, bPc, cPc, tgt, aCpu, src, dst, arrived, cpuSet, lock, settled>>

-----------------------------------------------------------------------------
(* Part B on the source CPU.                                               *)

\* CPU c may start part (s, who): it was triggered; c has interrupts
\* enabled (no other part), or A's system call on c hands over to it.
CanEnter(s, who, c) ==
    \/ part[c] = Nil /\ c # aCpu[s]
    \/ part[c] = Nil /\ c = aCpu[s] /\ ARuns(s, c) /\ aPc[s] = "return"

(* Migration trigger taken on B (IPI handler, or A's call when A = B):     *)
(* enter kernel mode, (=1) (A arrived when it triggered), delete t1 from   *)
(* the ready list if linked and from the wakeup queue, free its resources, *)
(* arrive at (=2).  A thread interrupted here stays current but does not   *)
(* run.                                                                    *)
SourceEnter(s) ==
    LET c == src[s]
        t == tgt[s]
    IN
    /\ bPc[s] = "triggered" /\ CanEnter(s, "B", c)
    /\ part' = [part EXCEPT ![c] = <<s, "B">>]
    /\ IF Linked(t) THEN Unlink(c, t) ELSE UNCHANGED <<next, prev, head>>
    /\ wakeupQ' = [wakeupQ EXCEPT ![c] = @ \ {t}]
    /\ arrived' = [arrived EXCEPT ![s] = @ \cup (IF WithBarrier2 THEN {"B1", "B2"} ELSE {"B1"})]
    /\ bPc' = [bPc EXCEPT ![s] = "wait2"]
    /\ by' = c
    /\ UNCHANGED <<cpu, st, tmo, prio, listPrio, current, aPc, cPc, tgt, aCpu, src, dst, cpuSet,
                   lockVars, settled>>

\* B sets t1's new cpu number, signals (~3) and releases t1's lock.
SetCpu(s) ==
    /\ cpu' = [cpu EXCEPT ![tgt[s]] = dst[s]]
    /\ cpuSet' = [cpuSet EXCEPT ![s] = TRUE]
    /\ lock' = [lock EXCEPT ![tgt[s]] = IF @ = s THEN Nil ELSE @]
    /\ settled' = [settled EXCEPT ![tgt[s]] = Nil]

\* B switches to the next thread if t1 was the interrupted thread (the
\* dispatcher picks it: c is left idle), else returns; B is over.
SwitchAway(s) ==
    LET c == src[s]
        t == tgt[s]
    IN
    /\ IF current[c] = t
       THEN /\ current' = [current EXCEPT ![c] = Nil]
            /\ st' = [st EXCEPT ![t] = Ready]
       ELSE UNCHANGED <<current, st>>
    /\ part' = [part EXCEPT ![c] = Nil]
    /\ bPc' = [bPc EXCEPT ![s] = "done"]
    /\ ReleaseIfLast(s, aPc[s], "done", cPc[s])

(* B passes (=2): set t1's new cpu number and switch away from t1 in one   *)
(* step (its context is saved before the cpu number is visible).  With     *)
(* the literal order (SaveContextFirst = FALSE) the switch is the next     *)
(* step, SourceSwitch.                                                     *)
SourcePassBarrier2(s) ==
    /\ bPc[s] = "wait2" /\ part[src[s]] = <<s, "B">>
    /\ WithBarrier2 => Passed2(s, "B")
    /\ SetCpu(s)
    /\ IF SaveContextFirst
       THEN SwitchAway(s)
       ELSE /\ bPc' = [bPc EXCEPT ![s] = "switch"]
            /\ UNCHANGED <<current, st, part, mlock>>
    /\ by' = src[s]
    /\ UNCHANGED <<tmo, next, prev, prio, listPrio, head, wakeupQ, aPc, cPc, tgt, aCpu, src, dst, arrived>>

(* 8.7.2's literal order: "(~3); if t1 was currently running then switch   *)
(* to next thread", after the cpu number was published.                    *)
SourceSwitch(s) ==
    /\ bPc[s] = "switch"
    /\ SwitchAway(s)
    /\ by' = src[s]
    /\ UNCHANGED <<cpu, tmo, next, prev, prio, listPrio, head, wakeupQ, aPc, cPc, tgt, aCpu, src, dst,
                   arrived, cpuSet, lock, settled>>

-----------------------------------------------------------------------------
(* Part C on the target CPU.                                               *)

(* Migration trigger taken on C: enter kernel mode, arrive at (=2).        *)
TargetEnter(s) ==
    LET c == dst[s] IN
    /\ cPc[s] = "triggered" /\ CanEnter(s, "C", c)
    /\ part' = [part EXCEPT ![c] = <<s, "C">>]
    /\ arrived' = [arrived EXCEPT ![s] = @ \cup {"C2"}]
    /\ cPc' = [cPc EXCEPT ![s] = "wait2"]
    /\ by' = c
    /\ UNCHANGED <<tcbVars, head, wakeupQ, current, aPc, bPc, tgt, aCpu, src, dst, cpuSet, lockVars,
                   settled>>

(* C passes (=2): insert t1 into the ready list of its priority if it is   *)
(* not waiting; a waiting t1 with a finite timeout goes into C's wakeup    *)
(* queue instead.                                                          *)
TargetPassBarrier2(s) ==
    LET c == dst[s]
        t == tgt[s]
    IN
    /\ cPc[s] = "wait2" /\ part[c] = <<s, "C">>
    /\ Passed2(s, "C")
    /\ IF ReadyToRun(t) THEN Link(c, t) ELSE UNCHANGED <<next, prev, head, listPrio>>
    /\ wakeupQ' = IF st[t] = Waiting /\ tmo[t] = TimeoutFinite
                  THEN [wakeupQ EXCEPT ![c] = @ \cup {t}] ELSE wakeupQ
    /\ cPc' = [cPc EXCEPT ![s] = "wait3"]
    /\ by' = c
    /\ UNCHANGED <<cpu, st, tmo, prio, current, part, aPc, bPc, tgt, aCpu, src, dst, arrived, cpuSet,
                   lockVars, settled>>

(* C passes (~3) (B set the cpu number): return to the interrupted thread, *)
(* or, if t1 is not waiting and has the higher priority, switch to t1.     *)
(* With SerialiseMigrations C does not switch away from a caller inside    *)
(* thread_schedule (A = C): that caller holds the migration lock, and a    *)
(* thread switched to on its CPU could spin for the lock forever; the      *)
(* switch to t1 is left to the dispatcher once the call has returned.      *)
TargetPassBarrier3(s, switch) ==
    LET c == dst[s]
        t == tgt[s]
        u == current[c]
    IN
    /\ cPc[s] = "wait3" /\ part[c] = <<s, "C">>
    /\ WithBarrier3 => cpuSet[s]
    /\ switch => /\ ReadyToRun(t) /\ t \in Members(c)
                 /\ SerialiseMigrations => ~(u \in Scheduler /\ InCall(u))
    /\ IF switch
       THEN /\ current' = [current EXCEPT ![c] = t]
            /\ st' = IF u = Nil THEN [st EXCEPT ![t] = Running]
                     ELSE [st EXCEPT ![t] = Running, ![u] = Ready]
       ELSE UNCHANGED <<current, st>>
    /\ part' = [part EXCEPT ![c] = Nil]
    /\ cPc' = [cPc EXCEPT ![s] = "done"]
    /\ settled' = [settled EXCEPT ![t] = c]
    /\ ReleaseIfLast(s, aPc[s], bPc[s], "done")
    /\ by' = c
    /\ UNCHANGED <<cpu, tmo, next, prev, prio, listPrio, head, wakeupQ, aPc, bPc, tgt, aCpu, src, dst,
                   arrived, cpuSet, lock>>

-----------------------------------------------------------------------------
SchedulerKernelStep(s) ==
    SchedulerCall(s) \/ SchedulerPassBarrier1(s) \/ SchedulerPassBarrier2(s) \/ SchedulerReturn(s)
SchedulerStep(s) ==
    \/ \E t \in Thread, d \in CPU : SchedulerIssue(s, t, d)
    \/ SchedulerKernelStep(s)
SourceStep(s) == SourceEnter(s) \/ SourcePassBarrier2(s) \/ SourceSwitch(s)
TargetStep(s) == TargetEnter(s) \/ TargetPassBarrier2(s) \/ \E switch \in BOOLEAN : TargetPassBarrier3(s, switch)

ThreadStep(t) ==
    \/ ThreadYield(t)
    \/ \E to \in {TimeoutFinite, TimeoutNever} : ThreadBlock(t, to)

CpuStep(c) ==
    \/ \E t \in Thread : DispatcherSwitch(c, t) \/ DispatcherDropWaiting(c, t)
                        \/ TimerWakeup(c, t) \/ IpcWakeup(c, t)

Next ==
    \/ \E s \in Scheduler : SchedulerStep(s) \/ SourceStep(s) \/ TargetStep(s)
    \/ \E t \in Thread : ThreadStep(t)
    \/ \E c \in CPU : CpuStep(c)

Spec == Init /\ [][Next]_vars

\* Every started call eventually completes its parts: strong fairness per
\* request, since its steps are disabled while another part runs on the
\* CPU a step needs or while the caller is switched away (a pending IPI is
\* taken the next time interrupts are enabled; a spinning call retries; a
\* ticket lock serves spinners in order).  A request has finitely many
\* steps, so fairness of its steps together forces each of them.
\* Timeslices end (a running thread eventually yields), and the
\* dispatcher eventually runs each ready scheduler, which may have been
\* switched away inside its call (strong fairness: another thread may be
\* picked first).  Issuing a call gets no fairness: a scheduler may never
\* call.
RequestStep(s) == SchedulerKernelStep(s) \/ SourceStep(s) \/ TargetStep(s)
Fairness ==
    /\ \A s \in Scheduler : SF_vars(RequestStep(s)) /\ SF_vars(\E c \in CPU : DispatcherSwitch(c, s))
    /\ \A t \in Thread : WF_vars(ThreadYield(t))

FairSpec == Spec /\ Fairness

-----------------------------------------------------------------------------
(* Safety properties *)

\* Each ring is well formed: it closes at its head within |Thread| steps,
\* without repeats, and prev mirrors next.
ReadyListsWellFormedInv ==
    \A c \in CPU : head[c] # Nil =>
        LET l == List(c) IN
        /\ Len(l) <= Cardinality(Thread)
        /\ next[l[Len(l)]] = head[c]
        /\ NoDuplicates(l)
        /\ \A i \in DOMAIN l : next[l[i]] # Nil /\ prev[next[l[i]]] = l[i]

\* No lost, duplicated or dangling entries: a thread is linked iff it is in
\* exactly one ring.
NoLostOrDanglingLinksInv ==
    \A t \in Thread :
        /\ Linked(t) <=> \E c \in CPU : t \in Members(c)
        /\ \A c1, c2 \in CPU : c1 # c2 => ~(t \in Members(c1) /\ t \in Members(c2))

\* Each ready (or running) thread is in the ready list of its cpu and no
\* other, except while its TCB is in flight; a waiting thread left in a
\* ring (lazy removal) is in that of its cpu.
ReadyInOwnListInv ==
    \A t \in Thread : ~Moving(t) =>
        /\ st[t] # Waiting => t \in Members(cpu[t])
        /\ \A c \in CPU : t \in Members(c) => c = cpu[t]

\* A thread waiting with a finite timeout is in the wakeup queue of its cpu
\* (and no other); with timeout never, or not waiting, in none.
WakeupQueueInv ==
    \A t \in Thread : ~Moving(t) =>
        \A c \in CPU :
            t \in wakeupQ[c] <=> (c = cpu[t] /\ st[t] = Waiting /\ tmo[t] = TimeoutFinite)

\* The thread a CPU executes is running and assigned to that CPU (unless a
\* migration part has interrupted it there: B may set its new cpu number
\* before switching away), and no thread is executed by two CPUs.
CurrentInv ==
    \A c \in CPU : current[c] # Nil =>
        /\ st[current[c]] = Running
        /\ part[c] = Nil => cpu[current[c]] = c
        /\ \A d \in CPU \ {c} : current[d] # current[c]

\* A thread never runs while its migration is in progress (a thread
\* interrupted by the part on its CPU does not run).
MigrantNotRunningInv ==
    \A s \in Scheduler : \A c \in CPU :
        (InFlight(s) /\ current[c] = tgt[s]) => part[c] # Nil

\* Once a migration completes (C returned), t1.cpu is the new CPU: any
\* later operation on t1 finds it there.
MigrationDoneSeesNewCpuInv == \A t \in Thread : settled[t] # Nil => cpu[t] = settled[t]

\* The caller's kernel stack holds part A until A returns: no CPU but A's
\* executes the caller while its call is in progress (8.7.4).
MigratorStackInv ==
    \A s \in Scheduler : \A c \in CPU : (InCall(s) /\ current[c] = s) => c = aCpu[s]

\* A thread runs in user mode only with the scheduling parameters of the
\* list it was linked into: A changes them only while t1 cannot run ((=1):
\* B is in the kernel), and C links t1 only after A wrote them (A's side of
\* (=2)), so t1 is never scheduled "with inconsistent values" (8.7.2).
RunsAtItsPriorityInv ==
    \A c \in CPU : (current[c] # Nil /\ part[c] = Nil) =>
        listPrio[current[c]] = prio[current[c]]

\* Per-CPU locality (design decision 1, implementation decision 3): a
\* CPU's ready list, wakeup queue, current thread and migration part are
\* changed only by that CPU; a TCB's ready-list links only by the CPU
\* whose list it leaves or enters; its state and timeout only by its own
\* CPU (before or after the step).  Exempt, as written cross-processor by
\* design: cpu (B sets it) and prio (A exchanges it under (=1)).
LocalityProp ==
    [][ /\ \A c \in CPU :
             <<head[c], wakeupQ[c], current[c], part[c]>>' # <<head[c], wakeupQ[c], current[c], part[c]>>
                 => by' = c
        /\ \A t \in Thread :
             /\ <<next[t], prev[t]>>' # <<next[t], prev[t]>> =>
                    \E c \in CPU : by' = c /\ (t \in Members(c) \/ t \in Members(c)')
             /\ <<st[t], tmo[t]>>' # <<st[t], tmo[t]>> => by' \in {cpu[t], cpu'[t]} ]_vars

(* Properties that kill mutants (l4smp mutate, docs/specs.md) *)

\* A TCB's link pair is set or cleared together: Unlink clears both, so a
\* thread out of every ring keeps no stale back link.
LinkPairInv == \A t \in Thread : (next[t] = Nil) = (prev[t] = Nil)

\* Part A runs in the caller's system call (8.7.2): each of its steps is
\* taken by the CPU that executes the caller, while no part has that CPU.
CallerRunsProp ==
    [][\A s \in Scheduler : aPc'[s] # aPc[s] => current[by'] = s /\ part[by'] = Nil]_vars

\* A returns only once the parts on other CPUs have taken the request: "the
\* receive of the IPI or the request in a mailbox was acknowledged by (=1)
\* and (=2), the operation will not fail" (8.7.2).
Acknowledged(s) ==
    /\ src[s] # aCpu[s] => bPc[s] # "triggered"
    /\ dst[s] # aCpu[s] => cPc[s] # "triggered"
AckBeforeReturnInv ==
    \A s \in Scheduler : aPc[s] = "return" \/ (aPc[s] = "done" /\ aCpu[s] # Nil) => Acknowledged(s)

\* SerialiseMigrations: one migration at a time, the request holding the
\* global lock from its call until its last part is over.
InProgress(s) ==
    \/ aPc[s] \in {"wait1", "wait2", "return"}
    \/ bPc[s] \in {"triggered", "wait2", "switch"}
    \/ cPc[s] \in {"triggered", "wait2", "wait3"}
OneMigrationInv == SerialiseMigrations => \A s \in Scheduler : InProgress(s) => mlock = s

\* DoNotMigrateLock: a request holds its thread's lock from the call until
\* B has set the new cpu number.  A lock that is off is never taken.
LockHeldInv ==
    /\ DoNotMigrateLock => \A s \in Scheduler : InProgress(s) /\ ~cpuSet[s] => lock[tgt[s]] = s
    /\ ~DoNotMigrateLock => \A t \in Thread : lock[t] = Nil
    /\ ~SerialiseMigrations => mlock = Nil

\* (=1): A changes t1's scheduling parameters only while t1 cannot run, B
\* being A's own CPU or in the kernel (8.7.2: "otherwise this thread might
\* be scheduled on B with inconsistent values").
ExchangeUnderBarrier1Prop ==
    [][\A t \in Thread : prio'[t] # prio[t] =>
          \E s \in Scheduler : tgt[s] = t /\ (cpu[t] = cpu[s] \/ "B1" \in arrived[s])]_vars

\* A thread is running exactly while some CPU executes it (CurrentInv's
\* converse): the dispatcher's switch makes it current.
RunningIsCurrentInv == \A t \in Thread : st[t] = Running <=> \E c \in CPU : current[c] = t

\* A CPU that runs a migration part has interrupts disabled (8.7.2): each
\* of its steps until the part ends is a step of that part.
PartAtomicProp ==
    [][by' \in CPU /\ part[by'] # Nil =>
         LET p == part[by'] IN IF p[2] = "B" THEN bPc'[p[1]] # bPc[p[1]] ELSE cPc'[p[1]] # cPc[p[1]]]_vars

(* Liveness *)

\* Every thread_schedule call completes, with all its parts.
MigrationCompletesProp ==
    \A s \in Scheduler : (aPc[s] # "idle") ~> ReqDone(aPc[s], bPc[s], cPc[s])
=============================================================================
