------------------------------ MODULE UhligRace ------------------------------
(***************************************************************************)
(* The races of section 8.3.3 ("Problems in the Cross Processor Case"):    *)
(* what goes wrong when the uniprocessor IPC paths check and change a      *)
(* partner on another CPU, and the two fixes.  Senders on their own CPUs   *)
(* each send one message, with timeout NEVER, to one Receiver, which       *)
(* receives once per sender (openly, or closed from each sender in some    *)
(* order).  Variant selects the protocol:                                  *)
(*                                                                         *)
(*  "Naive"       The uniprocessor paths, made "safe" the way section      *)
(*                8.3.3 first proposes: before checking its partner a path *)
(*                sends an IPI to the partner's CPU and goes on once       *)
(*                interrupts are disabled there.  The IPI handler spins    *)
(*                with interrupts disabled until the initiator's path is   *)
(*                over.  But the partner's CPU may have disabled           *)
(*                interrupts itself, by entering its own IPC path; then    *)
(*                both paths check each other concurrently.  Uhlig's race: *)
(*                the sender finds the receiver not ready and polls, the   *)
(*                receiver finds the sender not polling and waits; both    *)
(*                wait forever.  With three CPUs, two senders both find an *)
(*                openly waiting receiver "disabled" (it spins for the    *)
(*                first one's IPI) and both transfer into it.              *)
(*  "NaiveAck"    The literal reading of the same sentence: "sending an   *)
(*                inter processor interrupt IPI and wait until the         *)
(*                interrupt is acknowledged" -- a path goes on only once   *)
(*                its own IPI has been taken by the partner's CPU (whose   *)
(*                handler then spins until the path is over).  "Naive"     *)
(*                reads the purpose instead ("disabling the interrupts on  *)
(*                the receiver's processor before checking the state"):    *)
(*                the path goes on once the partner's CPU has interrupts   *)
(*                disabled, by its IPI or by its own kernel path; that is  *)
(*                the reading under which Uhlig's race, as 8.3.3 tells it, *)
(*                happens.  Read literally, two paths entered concurrently *)
(*                wait with interrupts disabled for acknowledgements that  *)
(*                neither CPU can give: they hang before either checks     *)
(*                (UhligRaceNaiveAck.cfg), and the n-CPU clash cannot      *)
(*                happen (UhligRaceNaiveAckClash.cfg).                     *)
(*  "PartnerLock" Volkmar Uhlig's fix: the receiver's TCB is spin-locked   *)
(*                (by a sender, or by the receiver itself) around the      *)
(*                check of the partner and the change that follows.        *)
(*  "Proxy"       Section 8.3.5: the sender triggers a proxy on the        *)
(*                receiver's CPU; every check and change of the receiver   *)
(*                and of the sender's polling proxy runs there, in atomic  *)
(*                steps (implementation decision 3).                       *)
(*                                                                         *)
(* Atomic steps.  A path is cut where it waits for another CPU: after      *)
(* sending its IPI (Naive, NaiveAck) or while spinning for a lock         *)
(* (PartnerLock), and between reading the partner's state and acting on   *)
(* it, because in those paths the accesses are to another CPU's memory     *)
(* and interleave with that CPU's own steps.  In the Proxy variant every   *)
(* path segment runs on one CPU between two switches and is one action,    *)
(* exactly as in XpIpc (whose actions these are, without timeouts).        *)
(*                                                                         *)
(* Left out: timeouts (all are NEVER, the case in which the race hangs     *)
(* forever), long IPC, deletion, migration; the CPU's other threads.       *)
(*                                                                         *)
(* REFINEMENT MAPPING (Proxy variant; the kernel implements no other).     *)
(* As in XpIpc: cpu, st, partner, proxy, sendQ, inbox from Tcb.cpu,        *)
(* Tcb.state (running as ready), Tcb.partner, Tcb.proxy, Tcb.sendQueue,    *)
(* Tcb.ipcBuffer; mb[s] from the IpcMailbox of sender s ("request" while   *)
(* its flag is set, "linked" in the proxy's list, "reply" after            *)
(* wakeupSender, Nil when freed); phase[t] from where t's program is:      *)
(* "user" before its (next) IPC, "blocked" inside it, "done" after its     *)
(* last one; ipi, spin, lock and recvFrom stay empty; rcvd, by are history *)
(* kept by the recorder.  Labels: the action name with its parameter.      *)
(***************************************************************************)
EXTENDS L4Common, TLC

CONSTANTS
    Receiver,     \* the thread all others send to
    OpenReceive,  \* TRUE: the receiver receives from anyone; FALSE: closed
    Variant       \* "Naive", "NaiveAck", "PartnerLock" or "Proxy"

Senders == Thread \ {Receiver}

ASSUME UhligRaceAssumptions ==
    /\ Receiver \in Thread /\ Senders # {}
    /\ Cardinality(Thread) <= Cardinality(CPU)
    /\ OpenReceive \in BOOLEAN
    /\ Variant \in {"Naive", "NaiveAck", "PartnerLock", "Proxy"}

Px(s)  == <<"proxy", s>>
Proxy  == IF Variant = "Proxy" THEN {Px(s) : s \in Senders} ELSE {}
Tcb    == Thread \cup Proxy
Phase  == {"user", "entered", "seen_ready", "seen_busy", "blocked", "done"}
InPath == {"entered", "seen_ready", "seen_busy"}   \* inside a multi-step path

VARIABLES
    cpu,       \* cpu[t]: t's CPU; every thread has its own
    st,        \* st[x]: thread state of thread or proxy x
    partner,   \* partner[x]: IPC partner
    phase,     \* phase[t]: where t's program and kernel path are
    recvFrom,  \* recvFrom[r]: the sender the receiver's path is checking
    sendQ,     \* sendQ[t]: t's send queue
    inbox,     \* inbox[t]: messages (named by their senders) transferred to t
    ipi,       \* ipi[c]: threads whose IPI is pending at CPU c (Naive)
    spin,      \* spin[c]: the initiator c's IPI handler spins for, or Nil
    lock,      \* lock[t]: holder of t's TCB spinlock, or Nil (PartnerLock)
    proxy,     \* proxy[s]: s's proxy pointer, or Nil (Proxy)
    mb,        \* mb[s]: state of s's IPC mailbox, or Nil (Proxy)
    rcvd,      \* history: senders whose messages the receiver returned
    by         \* history: the CPU that executed the last step

vars == <<cpu, st, partner, phase, recvFrom, sendQ, inbox, ipi, spin, lock,
          proxy, mb, rcvd, by>>

TypeOK ==
    /\ cpu \in [Thread -> CPU]
    /\ st \in [Tcb -> ThreadState]
    /\ partner \in [Tcb -> Thread \cup {Nil}]
    /\ phase \in [Thread -> Phase]
    /\ recvFrom \in [Thread -> Senders \cup {Nil}]
    /\ sendQ \in [Thread -> Seq(Senders)]
    /\ inbox \in [Thread -> Seq(Senders)]
    /\ ipi \in [CPU -> SUBSET Thread]
    /\ spin \in [CPU -> Thread \cup {Nil}]
    /\ lock \in [Thread -> Thread \cup {Nil}]
    /\ proxy \in [Senders -> Proxy \cup {Nil}]
    /\ mb \in [Senders -> {"request", "linked", "reply", Nil}]
    /\ rcvd \in Seq(Senders)
    /\ by \in CPU \cup {Nil}

Init ==
    /\ cpu \in {f \in [Thread -> CPU] : \A t, u \in Thread : t # u => f[t] # f[u]}
    /\ st = [x \in Tcb |-> IF x \in Thread THEN Ready ELSE Waiting]
    /\ partner = [x \in Tcb |-> Nil]
    /\ phase = [t \in Thread |-> "user"]
    /\ recvFrom = [t \in Thread |-> Nil]
    /\ sendQ = [t \in Thread |-> <<>>]
    /\ inbox = [t \in Thread |-> <<>>]
    /\ ipi = [c \in CPU |-> {}]
    /\ spin = [c \in CPU |-> Nil]
    /\ lock = [t \in Thread |-> Nil]
    /\ proxy = [s \in Senders |-> Nil]
    /\ mb = [s \in Senders |-> Nil]
    /\ rcvd = <<>>
    /\ by = Nil
-----------------------------------------------------------------------------
r == Receiver

\* CPU c has interrupts disabled: one of its threads is inside a multi-step
\* path, or its IPI handler spins for another CPU's path.
Cli(c) == (\E t \in Thread : cpu[t] = c /\ phase[t] \in InPath) \/ spin[c] # Nil

\* t's CPU is executing t (not spinning in the IPI handler for another CPU).
OnCpu(t) == spin[cpu[t]] = Nil

\* The variants that send an IPI before checking the partner.
SendsIpi == Variant \in {"Naive", "NaiveAck"}

\* t, which sent its IPI to CPU c, may check its partner there: Naive once
\* c has interrupts disabled for whatever reason, NaiveAck once c's handler
\* has taken t's own IPI (and spins for t).
IpiDone(t, c) == IF Variant = "Naive" THEN Cli(c) ELSE spin[c] = t

ReadyToReceive(s) == st[r] = Waiting /\ partner[r] \in {s, Nil}
PollsFor(s) ==
    \/ st[s] = Polling /\ partner[s] = r
    \/ proxy[s] # Nil /\ st[proxy[s]] = Polling /\ partner[proxy[s]] = r

\* The receiver has returned every sender's message.
ReceiverFinished == Len(rcvd) = Cardinality(Senders)

\* Transfer s's message into the receiver, locked for it.
Deliver(s) ==
    /\ st' = [st EXCEPT ![r] = LockedWaiting, ![s] = Ready]
    /\ partner' = [partner EXCEPT ![r] = s, ![s] = Nil]
    /\ inbox' = [inbox EXCEPT ![r] = Append(@, s)]

\* The closed receive's source: any sender not yet received from.
NextSources == IF OpenReceive THEN {Nil} ELSE Senders \ Range(rcvd)
-----------------------------------------------------------------------------
(***************************************************************************)
(* Naive, NaiveAck and PartnerLock: the sender's path.                     *)
(*                                                                         *)
(* The sender enters its send path ("from TCB.partner = B").  Naive,       *)
(* NaiveAck: it sends the IPI that is to disable interrupts on the         *)
(* receiver's CPU.                                                         *)
(* PartnerLock: it starts spinning for the receiver's TCB lock.            *)
(***************************************************************************)
SenderEnter(s) ==
    /\ Variant # "Proxy"
    /\ phase[s] = "user" /\ OnCpu(s)
    /\ phase' = [phase EXCEPT ![s] = "entered"]
    /\ partner' = [partner EXCEPT ![s] = r]
    /\ ipi' = IF SendsIpi THEN [ipi EXCEPT ![cpu[r]] = @ \cup {s}] ELSE ipi
    /\ by' = cpu[s]
    /\ UNCHANGED <<cpu, st, recvFrom, sendQ, inbox, spin, lock, proxy, mb, rcvd>>

\* "if B is not waiting or not for me or open": Naive and NaiveAck once
\* the IPI has done its work (IpiDone), PartnerLock once it holds the
\* receiver's lock.  The result stays on the sender's stack.
SenderCheck(s) ==
    /\ phase[s] = "entered" /\ OnCpu(s)
    /\ IF SendsIpi THEN IpiDone(s, cpu[r]) /\ UNCHANGED lock
                            ELSE lock[r] = Nil /\ lock' = [lock EXCEPT ![r] = s]
    /\ phase' = [phase EXCEPT ![s] = IF ReadyToReceive(s) THEN "seen_ready"
                                                           ELSE "seen_busy"]
    /\ by' = cpu[s]
    /\ UNCHANGED <<cpu, st, partner, recvFrom, sendQ, inbox, ipi, spin, proxy, mb, rcvd>>

\* Acting on what it saw: lock the receiver and transfer, or enqueue itself
\* in the receiver's send queue and poll; PartnerLock releases the lock.
SenderAct(s) ==
    /\ phase[s] \in {"seen_ready", "seen_busy"} /\ OnCpu(s)
    /\ IF phase[s] = "seen_ready"
       THEN /\ Deliver(s)
            /\ phase' = [phase EXCEPT ![s] = "done"]
            /\ UNCHANGED sendQ
       ELSE /\ st' = [st EXCEPT ![s] = Polling]
            /\ sendQ' = [sendQ EXCEPT ![r] = Append(@, s)]
            /\ phase' = [phase EXCEPT ![s] = "blocked"]
            /\ UNCHANGED <<partner, inbox>>
    /\ lock' = IF Variant = "PartnerLock" THEN [lock EXCEPT ![r] = Nil] ELSE lock
    /\ by' = cpu[s]
    /\ UNCHANGED <<cpu, recvFrom, ipi, spin, proxy, mb, rcvd>>

\* A polling sender the receiver reactivated (locked_running) transfers.
SenderTransfer(s) ==
    /\ st[s] = LockedRunning /\ OnCpu(s)
    /\ Deliver(s)
    /\ phase' = [phase EXCEPT ![s] = "done"]
    /\ by' = cpu[s]
    /\ UNCHANGED <<cpu, recvFrom, sendQ, ipi, spin, lock, proxy, mb, rcvd>>
-----------------------------------------------------------------------------
(***************************************************************************)
(* Naive, NaiveAck and PartnerLock: the receiver's path.                   *)
(*                                                                         *)
(* The receiver enters its receive path.  Naive, NaiveAck: it picks the    *)
(* sender to check (closed: the one named; open: its send queue's head)    *)
(* and sends the IPI to that sender's CPU; with nobody to check it waits   *)
(* at once.                                                                *)
(* PartnerLock: it starts spinning for its own TCB lock.                   *)
(***************************************************************************)
ReceiverEnter ==
    /\ Variant # "Proxy"
    /\ phase[r] = "user" /\ ~ReceiverFinished /\ OnCpu(r)
    /\ \E src \in NextSources :
         LET from == IF src # Nil \/ sendQ[r] = <<>> THEN src ELSE Head(sendQ[r]) IN
         /\ recvFrom' = [recvFrom EXCEPT ![r] = from]
         /\ IF SendsIpi /\ from = Nil
            THEN /\ st' = [st EXCEPT ![r] = Waiting]
                 /\ phase' = [phase EXCEPT ![r] = "blocked"]
                 /\ UNCHANGED ipi
            ELSE /\ phase' = [phase EXCEPT ![r] = "entered"]
                 /\ ipi' = IF SendsIpi
                           THEN [ipi EXCEPT ![cpu[from]] = @ \cup {r}] ELSE ipi
                 /\ UNCHANGED st
    /\ by' = cpu[r]
    /\ UNCHANGED <<cpu, partner, sendQ, inbox, spin, lock, proxy, mb, rcvd>>

\* "if A is not polling or ready to send but not to B".  PartnerLock reads
\* the send queue's head only now, under its lock.
ReceiverCheck ==
    /\ phase[r] = "entered" /\ OnCpu(r)
    /\ LET from == IF Variant = "PartnerLock" /\ OpenReceive
                   THEN IF sendQ[r] = <<>> THEN Nil ELSE Head(sendQ[r])
                   ELSE recvFrom[r]
       IN /\ IF SendsIpi THEN IpiDone(r, cpu[from]) /\ UNCHANGED lock
                                  ELSE lock[r] = Nil /\ lock' = [lock EXCEPT ![r] = r]
          /\ recvFrom' = [recvFrom EXCEPT ![r] = from]
          /\ phase' = [phase EXCEPT ![r] =
                         IF from # Nil /\ st[from] = Polling /\ partner[from] = r
                         THEN "seen_ready" ELSE "seen_busy"]
    /\ by' = cpu[r]
    /\ UNCHANGED <<cpu, st, partner, sendQ, inbox, ipi, spin, proxy, mb, rcvd>>

\* Acting on what it saw: reactivate the sender and lock itself, or wait.
ReceiverAct ==
    /\ phase[r] \in {"seen_ready", "seen_busy"} /\ OnCpu(r)
    /\ LET from == recvFrom[r] IN
       IF phase[r] = "seen_ready"
       THEN /\ st' = [st EXCEPT ![from] = LockedRunning, ![r] = LockedWaiting]
            /\ sendQ' = [sendQ EXCEPT ![r] = Remove(@, from)]
            /\ UNCHANGED partner
       ELSE /\ st' = [st EXCEPT ![r] = Waiting]
            /\ partner' = [partner EXCEPT ![r] = IF OpenReceive THEN Nil ELSE from]
            /\ UNCHANGED sendQ
    /\ phase' = [phase EXCEPT ![r] = "blocked"]
    /\ lock' = IF Variant = "PartnerLock" THEN [lock EXCEPT ![r] = Nil] ELSE lock
    /\ by' = cpu[r]
    /\ UNCHANGED <<cpu, recvFrom, inbox, ipi, spin, proxy, mb, rcvd>>
-----------------------------------------------------------------------------
(***************************************************************************)
(* Naive and NaiveAck: the IPI.  It is taken only while the target CPU has *)
(* interrupts enabled.  If its initiator is still inside its path the      *)
(* handler spins, interrupts disabled, until that path is over; an IPI     *)
(* whose initiator has finished meanwhile is just acknowledged.            *)
(***************************************************************************)
CpuTakeIpi(c) ==
    /\ ~Cli(c)
    /\ \E i \in ipi[c] :
         /\ ipi' = [ipi EXCEPT ![c] = @ \ {i}]
         /\ spin' = [spin EXCEPT ![c] = IF phase[i] \in InPath THEN i ELSE Nil]
    /\ by' = c
    /\ UNCHANGED <<cpu, st, partner, phase, recvFrom, sendQ, inbox, lock, proxy, mb, rcvd>>

CpuLeaveIpi(c) ==
    /\ spin[c] # Nil /\ phase[spin[c]] \notin InPath
    /\ spin' = [spin EXCEPT ![c] = Nil]
    /\ by' = c
    /\ UNCHANGED <<cpu, st, partner, phase, recvFrom, sendQ, inbox, ipi, lock, proxy, mb, rcvd>>
-----------------------------------------------------------------------------
(***************************************************************************)
(* Proxy (section 8.3.5): the actions of XpIpc, without timeouts.          *)
(***************************************************************************)
SenderXpSend(s) ==
    /\ Variant = "Proxy" /\ phase[s] = "user"
    /\ mb' = [mb EXCEPT ![s] = "request"]
    /\ proxy' = [proxy EXCEPT ![s] = Px(s)]
    /\ st' = [st EXCEPT ![s] = LockedWaiting]
    /\ phase' = [phase EXCEPT ![s] = "blocked"]
    /\ by' = cpu[s]
    /\ UNCHANGED <<cpu, partner, recvFrom, sendQ, inbox, ipi, spin, lock, rcvd>>

\* check_n_ack on the receiver's CPU links every flagged request at once.
Requests == {s \in Senders : mb[s] = "request"}

CheckAndAck ==
    /\ Requests # {}
    /\ mb' = [s \in Senders |-> IF s \in Requests THEN "linked" ELSE mb[s]]
    /\ st' = [x \in Tcb |-> IF x \in {Px(s) : s \in Requests} THEN Ready ELSE st[x]]
    /\ by' = cpu[r]
    /\ UNCHANGED <<cpu, partner, phase, recvFrom, sendQ, inbox, ipi, spin, lock, proxy, rcvd>>

\* wakeup_sender("ok") and the proxy going back to sleep, after Deliver.
ProxyDone(s) ==
    /\ st' = [st EXCEPT ![r] = LockedWaiting, ![Px(s)] = Waiting]
    /\ partner' = [partner EXCEPT ![r] = s, ![Px(s)] = Nil]
    /\ inbox' = [inbox EXCEPT ![r] = Append(@, s)]
    /\ proxy' = [proxy EXCEPT ![s] = Nil]
    /\ mb' = [mb EXCEPT ![s] = "reply"]

ProxyXpSendPath(s) ==
    /\ mb[s] = "linked" /\ st[Px(s)] = Ready
    /\ IF ReadyToReceive(s)
       THEN ProxyDone(s) /\ UNCHANGED sendQ
       ELSE /\ st' = [st EXCEPT ![Px(s)] = Polling]
            /\ partner' = [partner EXCEPT ![Px(s)] = r]
            /\ sendQ' = [sendQ EXCEPT ![r] = Append(@, s)]
            /\ UNCHANGED <<inbox, proxy, mb>>
    /\ by' = cpu[r]
    /\ UNCHANGED <<cpu, phase, recvFrom, ipi, spin, lock, rcvd>>

ProxyTransfer(s) ==
    /\ Variant = "Proxy" /\ st[Px(s)] = LockedRunning
    /\ ProxyDone(s)
    /\ by' = cpu[r]
    /\ UNCHANGED <<cpu, phase, recvFrom, sendQ, ipi, spin, lock, rcvd>>

SenderXpReturn(s) ==
    /\ mb[s] = "reply"
    /\ mb' = [mb EXCEPT ![s] = Nil]
    /\ st' = [st EXCEPT ![s] = Ready]
    /\ phase' = [phase EXCEPT ![s] = "done"]
    /\ by' = cpu[s]
    /\ UNCHANGED <<cpu, partner, recvFrom, sendQ, inbox, ipi, spin, lock, proxy, rcvd>>

\* The receive path in one step on the receiver's CPU, checking the
\* sender's proxy through a temporary copy of the proxy pointer.
ReceiverReceive ==
    /\ Variant = "Proxy"
    /\ phase[r] = "user" /\ ~ReceiverFinished
    /\ \E src \in NextSources :
         LET from == IF src # Nil \/ sendQ[r] = <<>> THEN src ELSE Head(sendQ[r])
             sp   == IF from = Nil THEN Nil ELSE proxy[from]
         IN IF sp # Nil /\ st[sp] = Polling /\ partner[sp] = r
            THEN /\ st' = [st EXCEPT ![sp] = LockedRunning, ![r] = LockedWaiting]
                 /\ sendQ' = [sendQ EXCEPT ![r] = Remove(@, from)]
                 /\ UNCHANGED partner
            ELSE /\ st' = [st EXCEPT ![r] = Waiting]
                 /\ partner' = [partner EXCEPT ![r] = src]
                 /\ UNCHANGED sendQ
    /\ phase' = [phase EXCEPT ![r] = "blocked"]
    /\ by' = cpu[r]
    /\ UNCHANGED <<cpu, recvFrom, inbox, ipi, spin, lock, proxy, mb, rcvd>>
-----------------------------------------------------------------------------
(***************************************************************************)
(* All variants: the receiver, switched to after a transfer, returns.      *)
(***************************************************************************)
ReceiverReturn ==
    /\ st[r] = LockedWaiting /\ inbox[r] # <<>> /\ OnCpu(r)
    /\ rcvd' = Append(rcvd, Head(inbox[r]))
    /\ inbox' = [inbox EXCEPT ![r] = <<>>]
    /\ st' = [st EXCEPT ![r] = Ready]
    /\ partner' = [partner EXCEPT ![r] = Nil]
    /\ phase' = [phase EXCEPT ![r] = IF Len(rcvd') = Cardinality(Senders)
                                     THEN "done" ELSE "user"]
    /\ by' = cpu[r]
    /\ UNCHANGED <<cpu, recvFrom, sendQ, ipi, spin, lock, proxy, mb>>

\* Every IPC is over: the system idles.  Any other state without a
\* successor is a deadlock, which TLC reports.
Terminated ==
    /\ \A t \in Thread : phase[t] = "done"
    /\ \A c \in CPU : ipi[c] = {} /\ spin[c] = Nil
    /\ UNCHANGED vars

Next ==
    \/ \E s \in Senders :
         \/ SenderEnter(s) \/ SenderCheck(s) \/ SenderAct(s) \/ SenderTransfer(s)
         \/ SenderXpSend(s) \/ ProxyXpSendPath(s)
         \/ ProxyTransfer(s) \/ SenderXpReturn(s)
    \/ ReceiverEnter \/ ReceiverCheck \/ ReceiverAct
    \/ ReceiverReceive \/ ReceiverReturn \/ CheckAndAck
    \/ \E c \in CPU : CpuTakeIpi(c) \/ CpuLeaveIpi(c)
    \/ Terminated

Spec == Init /\ [][Next]_vars

\* Every path that can go on eventually does (each thread's, each CPU's
\* IPI handling): weak fairness of Next, since every actor's steps stay
\* enabled until taken and each program is finite.
FairSpec == Spec /\ WF_vars(Next)
-----------------------------------------------------------------------------
(***************************************************************************)
(* Properties.                                                             *)
(***************************************************************************)
\* Guideline 1 of section 8.3.3: at most one IPC is set up to the receiver
\* (a sender locked for it, or a message in its buffer).
LockedFor == {x \in Tcb : st[x] = LockedRunning /\ partner[x] = r}
OneIpcPerReceiverInv == Cardinality(LockedFor) + Len(inbox[r]) <= 1

\* No sender polls for the receiver while the receiver waits for it.
NoLostWakeupInv == \A s \in Senders : ~(PollsFor(s) /\ ReadyToReceive(s))

\* Each message is returned to the receiver at most once.
MsgOnceInv == NoDuplicates(rcvd)

\* Partners as the paths set them: a polling sender (or proxy) names the
\* receiver; a receiver that holds a message names its sender; a sender
\* outside an IPC (in user mode, or done) names no partner.
PartnerInv ==
    /\ \A x \in Tcb : st[x] = Polling => partner[x] = r
    /\ inbox[r] # <<>> => partner[r] = inbox[r][Len(inbox[r])]
    /\ \A t \in Thread : phase[t] \in {"user", "done"} => partner[t] = Nil

\* Both partners of a transfer are locked: a sender or proxy locked_running
\* is locked for the receiver, which is locked_waiting (8.3.2).
LockedPairInv ==
    \A x \in Tcb : st[x] = LockedRunning => partner[x] = r /\ st[r] = LockedWaiting

\* A thread whose program is done is back in user mode, ready: an XP sender
\* its reply never resumes stays locked_waiting (the lost reply of issue 13).
DoneReadyInv == \A t \in Thread : phase[t] = "done" => st[t] = Ready

\* Proxy variant only (the other two change a partner's TCB from their own
\* CPU by design): a thread's, or a proxy's, state, partner, program
\* position, buffer and send queue change only on its CPU (implementation
\* decision 3); a proxy runs on the receiver's CPU.
CpuOf(x) == IF x \in Thread THEN cpu[x] ELSE cpu[r]
LocalFields(x) ==
    IF x \in Thread THEN <<st[x], partner[x], phase[x], inbox[x], sendQ[x]>> ELSE <<st[x], partner[x]>>
LocalityProp == [][\A x \in Tcb : LocalFields(x)' # LocalFields(x) => by' = CpuOf(x)]_vars

\* Every IPC completes (under FairSpec).
AllDoneProp == <>(\A t \in Thread : phase[t] = "done")
-----------------------------------------------------------------------------
(***************************************************************************)
(* Properties that kill mutants (l4smp mutate, docs/specs.md): each states *)
(* something the paths must do that no property above looked at.          *)
(***************************************************************************)
\* A thread blocked in its IPC is not ready: it waits, polls or is locked
\* (an XP sender is locked_waiting for its proxy's reply, 8.3.5).
BlockedNotReadyInv == \A t \in Thread : phase[t] = "blocked" => st[t] # Ready

\* The sender's proxy pointer is set exactly while its request is out: the
\* proxy clears it when it ends the operation (8.3.5), before the reply.
\* A sleeping proxy names no partner.
ProxyPointerInv ==
    /\ \A s \in Senders : (proxy[s] # Nil) = (mb[s] \in {"request", "linked"})
    /\ \A x \in Proxy : st[x] = Waiting => partner[x] = Nil

\* The receiver's send queue holds each sender at most once, exactly while
\* it (or its proxy) polls for the receiver; no other thread has a queue.
SendQueueInv ==
    /\ NoDuplicates(sendQ[r])
    /\ \A s \in Senders : (s \in Range(sendQ[r])) = PollsFor(s)
    /\ \A t \in Senders : sendQ[t] = <<>>

\* A closed receive waits for the sender it names, never openly.
ClosedWaitInv ==
    ~OpenReceive /\ phase[r] = "blocked" /\ st[r] = Waiting => partner[r] \in Senders

\* The variables a variant does not use keep their initial values: the
\* refinement mapping (Proxy) fixes ipi, spin, lock and recvFrom as empty.
UnusedStateInv ==
    /\ Variant \notin {"Naive", "NaiveAck"} => \A c \in CPU : ipi[c] = {} /\ spin[c] = Nil
    /\ Variant # "PartnerLock" => \A t \in Thread : lock[t] = Nil
    /\ Variant = "Proxy" => \A t \in Thread : recvFrom[t] = Nil
    /\ Variant # "Proxy" => \A s \in Senders : proxy[s] = Nil /\ mb[s] = Nil

\* What a CPU does, in every variant (LocalityProp, for the Proxy variant,
\* is stronger on TCBs): a thread's program position changes only on its
\* own CPU, and an IPI handler's spin only on the handler's; a CPU spinning
\* in its IPI handler runs nothing else until it leaves the handler; an
\* IPI is taken only while its CPU has interrupts enabled (none of its
\* threads inside a path, no handler spinning).  Stated without Cli and
\* OnCpu, so that it does not change with them.
IntEnabled(c) == spin[c] = Nil /\ \A t \in Thread : cpu[t] = c => phase[t] \notin InPath
OwnCpuProp ==
    [][/\ \A t \in Thread : phase'[t] # phase[t] => by' = cpu[t]
       /\ \A c \in CPU : spin'[c] # spin[c] => by' = c
       /\ by' \in CPU /\ spin[by'] # Nil =>
            UNCHANGED <<st, partner, phase, recvFrom, sendQ, inbox, lock, proxy, mb, rcvd>>
       /\ \A c \in CPU : ~(ipi'[c] \subseteq ipi[c] /\ ipi'[c] # ipi[c]) \/ IntEnabled(c)]_vars

\* NaiveAck: a path goes on only once its own IPI is taken, so an IPI is
\* pending only while its initiator waits for it.
IpiPendingInv ==
    Variant = "NaiveAck" => \A c \in CPU, t \in Thread : t \in ipi[c] => phase[t] = "entered"

\* NaiveAck fails only by the hang of the literal reading (8.3.3): when no
\* step changes anything but `by`, either every IPC is over or two paths
\* entered concurrently each wait for their IPI to be taken on the other's
\* CPU, which has interrupts disabled for its own path.
progress == <<cpu, st, partner, phase, recvFrom, sendQ, inbox, ipi, spin, lock, proxy, mb, rcvd>>
AckHang ==
    \E t, u \in Thread :
        t # u /\ phase[t] = "entered" /\ phase[u] = "entered" /\ t \in ipi[cpu[u]] /\ u \in ipi[cpu[t]]
OnlyAckHangInv ==
    Variant = "NaiveAck" /\ ~ENABLED <<Next>>_progress =>
        (\A t \in Thread : phase[t] = "done") \/ AckHang
=============================================================================
