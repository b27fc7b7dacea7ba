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
(* single prev/next field pair per TCB (the reason for (=2): C's insertion *)
(* must not overwrite links B still needs); lazy removal of non-ready      *)
(* threads by the dispatcher; waiting threads and their wakeup-queue       *)
(* entries, which migrate with them unless their timeout is never (8.7.3); *)
(* the special cases A = B and A = C (A runs first, in the same system     *)
(* call, the barriers with itself are skipped, no IPI); self-migration,    *)
(* ignored by implementation decision 4 (8.7.4); and several schedulers    *)
(* whose requests for the same thread Migrant may run concurrently.        *)
(* Left out: priorities and timeslices (one ready list per CPU; A's        *)
(* "exchange timeslice and priority" is only a step), the FPU and other    *)
(* resources, IPC (a waiting thread is woken by an abstract IPC on its     *)
(* CPU), migration of threads inside an IPC (8.5), and the IPI/mailbox     *)
(* that triggers a part (a trigger is a pending flag the CPU takes when    *)
(* its interrupts are enabled).                                            *)
(*                                                                         *)
(* Atomic steps.  B and C run with interrupts disabled from entering the   *)
(* kernel to their end and spin at barriers; a step of a part ends where   *)
(* the part waits at a barrier, since only there do other CPUs' steps      *)
(* matter.  B's last step (new cpu number, (~3), switch) is one step: B    *)
(* must not publish the cpu number before t1's context is saved, or C     *)
(* could resume t1 while B still runs on t1's kernel stack.  A runs in the *)
(* caller's system call and spins at its barriers with interrupts enabled: *)
(* a part triggered on A's CPU (as B or C of another request) runs nested  *)
(* in A's wait (otherwise two CPUs initiating requests for each other      *)
(* deadlock), but no other thread runs there until A returns.              *)
(*                                                                         *)
(* Fixes, selected by constants so that a config can turn one off:         *)
(*   WithBarrier2        B's barrier (=2): C inserts only after B deleted. *)
(*   WithBarrier3        (~3): C returns only after B set the cpu number.  *)
(*   IgnoreSelfMigration implementation decision 4.                        *)
(*   DoNotMigrateLock    finding, not in 8.7.2: thread_schedule takes t1's *)
(*                       "do not migrate" lock (8.4.3) before reading      *)
(*                       t1.cpu and B releases it with the new cpu number. *)
(*                       8.7.2 argues that a second request started after  *)
(*                       B finished is safe; one that read t1.cpu before B *)
(*                       set it is not (see MigrationBarriersNoLock.cfg).  *)
(*                                                                         *)
(* Mapping to the Java kernel (tcb(t) is t's TCB; cpuLocal(c) is CPU c's   *)
(* processor-local data; request(s) is the migration request of the        *)
(* scheduling server s, shared by its three parts):                        *)
(*   cpu[t]       tcb(t).cpu                                               *)
(*   st[t]        tcb(t).state (running, ready or waiting)                 *)
(*   tmo[t]       tcb(t).ipcTimeout: finite or never (meaningful while     *)
(*                waiting)                                                 *)
(*   next[t], prev[t]  tcb(t).readyNext, tcb(t).readyPrev (Nil: unlinked)  *)
(*   head[c]      cpuLocal(c).readyList.head                               *)
(*   wakeupQ[c]   the set of TCBs in cpuLocal(c).wakeupQueue               *)
(*   current[c]   cpuLocal(c).current: the thread whose context (and       *)
(*                kernel stack) CPU c executes, Nil when idle              *)
(*   part[c]      cpuLocal(c).migrationPart: <<s, "B">> or <<s, "C">>      *)
(*                while c executes that part, else Nil                     *)
(*   aPc[s], bPc[s], cPc[s]  request(s).aState, .bState, .cState           *)
(*   aCpu[s], src[s], dst[s] request(s).initiator, .source, .target        *)
(*   arrived[s]   request(s).barrier: the arrivals "A1" "B1" (=1),         *)
(*                "A2" "B2" "C2" (=2)                                      *)
(*   cpuSet[s]    request(s).cpuSet, the (~3) flag                         *)
(*   lock         tcb(Migrant).doNotMigrate: the holding request or Nil    *)
(*   settled      history: the target of the last completed C part, until  *)
(*                the next B sets a cpu number                             *)
(* Each action runs on one CPU: SchedulerCall on cpu[s], the other         *)
(* Scheduler* steps on aCpu[s], Source* on src[s], Target* on dst[s],      *)
(* Thread* on cpu[t], Dispatcher*/TimerWakeup/IpcWakeup on their c.        *)
(* The recorder labels each step with the action name and its parameters,  *)
(* e.g. `SourceEnter(s1)`, `DispatcherSwitch(c1, t)`.                      *)
(***************************************************************************)
EXTENDS L4Common, TLC

CONSTANTS
    Migrant,             \* the thread all thread_schedule requests move
    Scheduler,           \* threads that each call thread_schedule once
    WithBarrier2,        \* B's (=2)
    WithBarrier3,        \* (~3)
    IgnoreSelfMigration, \* implementation decision 4
    DoNotMigrateLock     \* finding: serialise requests for one thread

ASSUME MigrationAssumptions ==
    /\ Migrant \in Thread
    /\ Scheduler \subseteq Thread
    /\ WithBarrier2 \in BOOLEAN /\ WithBarrier3 \in BOOLEAN
    /\ IgnoreSelfMigration \in BOOLEAN /\ DoNotMigrateLock \in BOOLEAN

APc == {"idle", "wait1", "wait2", "return", "done"}
BPc == {"none", "triggered", "wait2", "done"}
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
    \* --- processor-local ---
    head,       \* first thread of the CPU's ready list, Nil if empty
    wakeupQ,    \* threads waiting with a finite timeout on this CPU
    current,    \* thread whose context the CPU executes, Nil if idle
    part,       \* migration part the CPU executes with interrupts off
    \* --- migration requests, one per scheduler ---
    aPc, bPc, cPc,   \* progress of parts A, B and C
    aCpu, src, dst,  \* CPUs A, B and C of the request
    arrived,    \* barrier arrivals
    cpuSet,     \* (~3): B has set t1's new cpu number
    lock,       \* the "do not migrate" lock on Migrant (DoNotMigrateLock)
    \* --- history (not in an implementation) ---
    settled

tcbVars == <<cpu, st, tmo, next, prev>>
cpuVars == <<head, wakeupQ, current, part>>
reqVars == <<aPc, bPc, cPc, aCpu, src, dst, arrived, cpuSet, lock>>
vars == <<tcbVars, cpuVars, reqVars, settled>>

TypeOK ==
    /\ cpu \in [Thread -> CPU]
    /\ st \in [Thread -> {Running, Ready, Waiting}]
    /\ tmo \in [Thread -> {TimeoutFinite, TimeoutNever}]
    /\ next \in [Thread -> Thread \cup {Nil}]
    /\ prev \in [Thread -> Thread \cup {Nil}]
    /\ head \in [CPU -> Thread \cup {Nil}]
    /\ wakeupQ \in [CPU -> SUBSET Thread]
    /\ current \in [CPU -> Thread \cup {Nil}]
    /\ part \in [CPU -> Part]
    /\ aPc \in [Scheduler -> APc]
    /\ bPc \in [Scheduler -> BPc]
    /\ cPc \in [Scheduler -> CPc]
    /\ aCpu \in [Scheduler -> CPU \cup {Nil}]
    /\ src \in [Scheduler -> CPU \cup {Nil}]
    /\ dst \in [Scheduler -> CPU \cup {Nil}]
    /\ arrived \in [Scheduler -> SUBSET Arrival]
    /\ cpuSet \in [Scheduler -> BOOLEAN]
    /\ lock \in Scheduler \cup {Nil}
    /\ settled \in CPU \cup {Nil}

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
\* overwriting t's links.
Link(c, t) ==
    IF head[c] = Nil
    THEN /\ next' = [next EXCEPT ![t] = t]
         /\ prev' = [prev EXCEPT ![t] = t]
         /\ head' = [head EXCEPT ![c] = t]
    ELSE LET h == head[c]
             tl == prev[h]
         IN /\ next' = [next EXCEPT ![tl] = t, ![t] = h]
            /\ prev' = [prev EXCEPT ![h] = t, ![t] = tl]
            /\ head' = head

LinkIfUnlinked(c, t) == IF Linked(t) THEN UNCHANGED <<next, prev, head>> ELSE Link(c, t)

-----------------------------------------------------------------------------
(* CPU modes *)

\* The caller s is inside thread_schedule (part A not finished).
InCall(s) == aPc[s] \in {"wait1", "wait2", "return"}
\* CPU c runs a thread in user mode (or is idle): no part, no system call.
UserMode(c) == part[c] = Nil /\ ~\E s \in Scheduler : current[c] = s /\ InCall(s)

\* Between B's deletion and the moment t1 is both inserted by C and has
\* its new cpu number, t1's TCB is in flight.
InFlight(s) == bPc[s] \in {"wait2", "done"} /\ ~(cpuSet[s] /\ cPc[s] \in {"wait3", "done"})
Moving(t) == t = Migrant /\ \E s \in Scheduler : InFlight(s)

\* Barrier (=2) as seen by each part: all other participants arrived.  A
\* does not wait for a part that runs on its own CPU after it (A = B,
\* A = C); without WithBarrier2, B neither arrives at (=2) nor waits there.
Passed2(s, who) ==
    CASE who = "A" -> /\ (WithBarrier2 /\ src[s] # aCpu[s]) => "B2" \in arrived[s]
                      /\ dst[s] # aCpu[s] => "C2" \in arrived[s]
      [] who = "B" -> "A2" \in arrived[s] /\ "C2" \in arrived[s]
      [] who = "C" -> /\ "A2" \in arrived[s]
                      /\ WithBarrier2 => "B2" \in arrived[s]

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
    /\ wakeupQ = [c \in CPU |-> {}]
    /\ current = [c \in CPU |-> Nil]
    /\ part = [c \in CPU |-> Nil]
    /\ aPc = [s \in Scheduler |-> "idle"]
    /\ bPc = [s \in Scheduler |-> "none"]
    /\ cPc = [s \in Scheduler |-> "none"]
    /\ aCpu = [s \in Scheduler |-> Nil]
    /\ src = [s \in Scheduler |-> Nil]
    /\ dst = [s \in Scheduler |-> Nil]
    /\ arrived = [s \in Scheduler |-> {}]
    /\ cpuSet = [s \in Scheduler |-> FALSE]
    /\ lock = Nil
    /\ settled = Nil

-----------------------------------------------------------------------------
(* Threads and the dispatcher (processor local) *)

(* Dispatcher.switchTo on idle CPU c: run a ready thread of c's ring.      *)
DispatcherSwitch(c, t) ==
    /\ current[c] = Nil /\ part[c] = Nil
    /\ t \in Members(c) /\ st[t] = Ready
    /\ current' = [current EXCEPT ![c] = t]
    /\ st' = [st EXCEPT ![t] = Running]
    /\ UNCHANGED <<cpu, tmo, next, prev, head, wakeupQ, part, reqVars, settled>>

(* Dispatcher on idle CPU c meets a thread that is not ready and removes   *)
(* it from the ring (lazy removal, 8.7.3).                                 *)
DispatcherDropWaiting(c, t) ==
    /\ current[c] = Nil /\ part[c] = Nil
    /\ t \in Members(c) /\ st[t] = Waiting
    /\ Unlink(c, t)
    /\ UNCHANGED <<cpu, st, tmo, wakeupQ, current, part, reqVars, settled>>

(* The running thread t ends its timeslice: back to ready, CPU idle.       *)
ThreadYield(t) ==
    LET c == cpu[t] IN
    /\ current[c] = t /\ UserMode(c)
    /\ st' = [st EXCEPT ![t] = Ready]
    /\ current' = [current EXCEPT ![c] = Nil]
    /\ UNCHANGED <<cpu, tmo, next, prev, head, wakeupQ, part, reqVars, settled>>

(* The running thread t blocks in an IPC with timeout `to`: it waits, in   *)
(* the wakeup queue unless `to` is never, and stays in the ready list.     *)
ThreadBlock(t, to) ==
    LET c == cpu[t] IN
    /\ current[c] = t /\ UserMode(c)
    /\ st' = [st EXCEPT ![t] = Waiting]
    /\ tmo' = [tmo EXCEPT ![t] = to]
    /\ wakeupQ' = IF to = TimeoutFinite THEN [wakeupQ EXCEPT ![c] = @ \cup {t}] ELSE wakeupQ
    /\ current' = [current EXCEPT ![c] = Nil]
    /\ UNCHANGED <<cpu, next, prev, head, part, reqVars, settled>>

(* Timer tick on c: t's timeout expired; t is ready and back in the ring.  *)
TimerWakeup(c, t) ==
    /\ part[c] = Nil /\ t \in wakeupQ[c]
    /\ st' = [st EXCEPT ![t] = Ready]
    /\ wakeupQ' = [wakeupQ EXCEPT ![c] = @ \ {t}]
    /\ LinkIfUnlinked(c, t)
    /\ UNCHANGED <<cpu, tmo, current, part, reqVars, settled>>

(* An IPC on c (its partner's kernel path) wakes the waiting thread t.     *)
IpcWakeup(c, t) ==
    /\ UserMode(c) /\ cpu[t] = c /\ st[t] = Waiting
    /\ st' = [st EXCEPT ![t] = Ready]
    /\ wakeupQ' = [wakeupQ EXCEPT ![c] = @ \ {t}]
    /\ LinkIfUnlinked(c, t)
    /\ UNCHANGED <<cpu, tmo, current, part, reqVars, settled>>

-----------------------------------------------------------------------------
(* Part A: the thread_schedule system call of scheduler s on its CPU.       *)

(* ThreadSchedule.call up to (=1): find t1, ignore a self-migration, read  *)
(* t1.cpu (B); if it equals the target nothing moves (exchange and         *)
(* return); else trigger B and C (no IPI to A's own CPU; a part on A's CPU *)
(* runs after A) and arrive at (=1).  With A = B, (=1) is skipped and A    *)
(* exchanges at once and arrives at (=2).                                  *)
SchedulerCall(s, d) ==
    LET c == cpu[s]
        b == cpu[Migrant]
    IN
    /\ aPc[s] = "idle" /\ current[c] = s /\ UserMode(c)
    /\ DoNotMigrateLock => lock = Nil
    /\ IF (Migrant = s /\ IgnoreSelfMigration) \/ b = d
       THEN /\ aPc' = [aPc EXCEPT ![s] = "done"]
            /\ UNCHANGED <<bPc, cPc, aCpu, src, dst, arrived, lock>>
       ELSE /\ aPc' = [aPc EXCEPT ![s] = IF b = c THEN "wait2" ELSE "wait1"]
            /\ aCpu' = [aCpu EXCEPT ![s] = c]
            /\ src' = [src EXCEPT ![s] = b]
            /\ dst' = [dst EXCEPT ![s] = d]
            /\ bPc' = [bPc EXCEPT ![s] = IF b = c THEN "none" ELSE "triggered"]
            /\ cPc' = [cPc EXCEPT ![s] = IF d = c THEN "none" ELSE "triggered"]
            /\ arrived' = [arrived EXCEPT ![s] = IF b = c THEN {"A1", "A2"} ELSE {"A1"}]
            /\ lock' = IF DoNotMigrateLock THEN s ELSE lock
    /\ UNCHANGED <<tcbVars, cpuVars, cpuSet, settled>>

\* The caller's context runs on CPU c, not interrupted by a part.
ARuns(s, c) == current[c] = s /\ part[c] = Nil

(* A passes (=1) (B entered the kernel): exchange timeslice and priority,  *)
(* arrive at (=2).                                                         *)
SchedulerPassBarrier1(s) ==
    /\ aPc[s] = "wait1" /\ \E c \in CPU : ARuns(s, c)
    /\ "B1" \in arrived[s]
    /\ aPc' = [aPc EXCEPT ![s] = "wait2"]
    /\ arrived' = [arrived EXCEPT ![s] = @ \cup {"A2"}]
    /\ UNCHANGED <<tcbVars, cpuVars, bPc, cPc, aCpu, src, dst, cpuSet, lock, settled>>

(* A passes (=2).  If A is also B or C, that part runs next in the same    *)
(* system call (A first, 8.7.2); A returns after it.                       *)
SchedulerPassBarrier2(s) ==
    /\ aPc[s] = "wait2" /\ \E c \in CPU : ARuns(s, c)
    /\ Passed2(s, "A")
    /\ aPc' = [aPc EXCEPT ![s] = "return"]
    /\ bPc' = [bPc EXCEPT ![s] = IF src[s] = aCpu[s] THEN "triggered" ELSE @]
    /\ cPc' = [cPc EXCEPT ![s] = IF dst[s] = aCpu[s] THEN "triggered" ELSE @]
    /\ UNCHANGED <<tcbVars, cpuVars, aCpu, src, dst, arrived, cpuSet, lock, settled>>

LocalPartsDone(s) ==
    /\ src[s] = aCpu[s] => bPc[s] = "done"
    /\ dst[s] = aCpu[s] => cPc[s] = "done"

(* Return to the invoking scheduling server.                               *)
SchedulerReturn(s) ==
    /\ aPc[s] = "return" /\ \E c \in CPU : ARuns(s, c)
    /\ LocalPartsDone(s)
    /\ aPc' = [aPc EXCEPT ![s] = "done"]
    /\ UNCHANGED <<tcbVars, cpuVars, bPc, cPc, aCpu, src, dst, arrived, cpuSet, lock, settled>>

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
    LET c == src[s] IN
    /\ bPc[s] = "triggered" /\ CanEnter(s, "B", c)
    /\ part' = [part EXCEPT ![c] = <<s, "B">>]
    /\ IF Linked(Migrant) THEN Unlink(c, Migrant) ELSE UNCHANGED <<next, prev, head>>
    /\ wakeupQ' = [wakeupQ EXCEPT ![c] = @ \ {Migrant}]
    /\ arrived' = [arrived EXCEPT ![s] = @ \cup (IF WithBarrier2 THEN {"B1", "B2"} ELSE {"B1"})]
    /\ bPc' = [bPc EXCEPT ![s] = "wait2"]
    /\ UNCHANGED <<cpu, st, tmo, current, aPc, cPc, aCpu, src, dst, cpuSet, lock, settled>>

(* B passes (=2): set t1's new cpu number, signal (~3), release the lock,  *)
(* and switch to the next thread if t1 was the interrupted thread (its     *)
(* context is saved before the cpu number is visible), else return.        *)
SourcePassBarrier2(s) ==
    LET c == src[s] IN
    /\ bPc[s] = "wait2" /\ part[c] = <<s, "B">>
    /\ WithBarrier2 => Passed2(s, "B")
    /\ cpu' = [cpu EXCEPT ![Migrant] = dst[s]]
    /\ cpuSet' = [cpuSet EXCEPT ![s] = TRUE]
    /\ lock' = IF lock = s THEN Nil ELSE lock
    /\ settled' = Nil
    /\ IF current[c] = Migrant
       THEN /\ current' = [current EXCEPT ![c] = Nil]
            /\ st' = [st EXCEPT ![Migrant] = Ready]
       ELSE UNCHANGED <<current, st>>
    /\ part' = [part EXCEPT ![c] = Nil]
    /\ bPc' = [bPc EXCEPT ![s] = "done"]
    /\ UNCHANGED <<tmo, next, prev, head, wakeupQ, aPc, cPc, aCpu, src, dst, arrived>>

-----------------------------------------------------------------------------
(* Part C on the target CPU.                                               *)

(* Migration trigger taken on C: enter kernel mode, arrive at (=2).        *)
TargetEnter(s) ==
    LET c == dst[s] IN
    /\ cPc[s] = "triggered" /\ CanEnter(s, "C", c)
    /\ part' = [part EXCEPT ![c] = <<s, "C">>]
    /\ arrived' = [arrived EXCEPT ![s] = @ \cup {"C2"}]
    /\ cPc' = [cPc EXCEPT ![s] = "wait2"]
    /\ UNCHANGED <<tcbVars, head, wakeupQ, current, aPc, bPc, aCpu, src, dst, cpuSet, lock, settled>>

(* C passes (=2): insert t1 into the ready list if it is ready; a waiting  *)
(* t1 with a finite timeout goes into C's wakeup queue instead.            *)
TargetPassBarrier2(s) ==
    LET c == dst[s] IN
    /\ cPc[s] = "wait2" /\ part[c] = <<s, "C">>
    /\ Passed2(s, "C")
    /\ IF st[Migrant] # Waiting THEN Link(c, Migrant) ELSE UNCHANGED <<next, prev, head>>
    /\ wakeupQ' = IF st[Migrant] = Waiting /\ tmo[Migrant] = TimeoutFinite
                  THEN [wakeupQ EXCEPT ![c] = @ \cup {Migrant}] ELSE wakeupQ
    /\ cPc' = [cPc EXCEPT ![s] = "wait3"]
    /\ UNCHANGED <<cpu, st, tmo, current, part, aPc, bPc, aCpu, src, dst, arrived, cpuSet, lock, settled>>

(* C passes (~3) (B set the cpu number): return to the interrupted thread, *)
(* or, if t1 is ready and has the higher priority, switch to t1.           *)
TargetPassBarrier3(s, switch) ==
    LET c == dst[s]
        u == current[c]
    IN
    /\ cPc[s] = "wait3" /\ part[c] = <<s, "C">>
    /\ WithBarrier3 => cpuSet[s]
    /\ switch => st[Migrant] = Ready /\ Migrant \in Members(c)
    /\ IF switch
       THEN /\ current' = [current EXCEPT ![c] = Migrant]
            /\ st' = IF u = Nil THEN [st EXCEPT ![Migrant] = Running]
                     ELSE [st EXCEPT ![Migrant] = Running, ![u] = Ready]
       ELSE UNCHANGED <<current, st>>
    /\ part' = [part EXCEPT ![c] = Nil]
    /\ cPc' = [cPc EXCEPT ![s] = "done"]
    /\ settled' = c
    /\ UNCHANGED <<cpu, tmo, next, prev, head, wakeupQ, aPc, bPc, aCpu, src, dst, arrived, cpuSet, lock>>

-----------------------------------------------------------------------------
Finished == \A s \in Scheduler : aPc[s] = "done" /\ bPc[s] \in {"none", "done"}
                                 /\ cPc[s] \in {"none", "done"}

SchedulerStep(s) ==
    \/ \E d \in CPU : SchedulerCall(s, d)
    \/ SchedulerPassBarrier1(s) \/ SchedulerPassBarrier2(s) \/ SchedulerReturn(s)
SourceStep(s) == SourceEnter(s) \/ SourcePassBarrier2(s)
TargetStep(s) == TargetEnter(s) \/ TargetPassBarrier2(s) \/ \E sw \in BOOLEAN : TargetPassBarrier3(s, sw)

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

\* Every part of a started request eventually takes its enabled steps;
\* timeslices end (a running thread eventually yields); the dispatcher
\* eventually runs each ready thread (strong fairness: another thread may
\* be picked first).  So a caller switched away inside its call (C = A
\* switching to t1) gets to finish it.
Fairness ==
    /\ \A s \in Scheduler : WF_vars(SchedulerStep(s)) /\ WF_vars(SourceStep(s))
                            /\ WF_vars(TargetStep(s))
    /\ \A t \in Thread : WF_vars(ThreadYield(t))
    /\ \A c \in CPU : \A t \in Thread : SF_vars(DispatcherSwitch(c, t))

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

\* The thread a CPU executes is running and assigned to that CPU, and no
\* thread is executed by two CPUs.
CurrentInv ==
    \A c \in CPU : current[c] # Nil =>
        /\ st[current[c]] = Running
        /\ cpu[current[c]] = c
        /\ \A d \in CPU \ {c} : current[d] # current[c]

\* A thread never runs while its migration is in progress (a thread
\* interrupted by the part on its CPU does not run).
MigrantNotRunningInv ==
    \A c \in CPU : (current[c] = Migrant /\ Moving(Migrant)) => part[c] # Nil

\* Once a migration completes (C returned), t1.cpu is the new CPU: any
\* later operation on t1 finds it there.
MigrationDoneSeesNewCpuInv == settled # Nil => cpu[Migrant] = settled

\* The caller's kernel stack holds part A until A returns: no CPU but A's
\* executes the caller while its call is in progress (8.7.4).
MigratorStackInv ==
    \A s \in Scheduler : \A c \in CPU : (InCall(s) /\ current[c] = s) => c = aCpu[s]

(* Liveness *)

\* Every thread_schedule call completes, with all its parts.
MigrationCompletesProp ==
    \A s \in Scheduler : (aPc[s] # "idle") ~>
        (aPc[s] = "done" /\ bPc[s] \in {"none", "done"} /\ cPc[s] \in {"none", "done"})
=============================================================================
