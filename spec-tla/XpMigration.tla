------------------------------- MODULE XpMigration -------------------------------
(***************************************************************************)
(* Migration during cross-processor IPC (Voelp 2002, section 8.5) and the  *)
(* detection of cross-processor IPC with its abort option (6.2.3, 7.2).    *)
(*                                                                         *)
(* Senders each send one message to Receiver, which receives once per      *)
(* sender (closed from any sender not yet received from, or openly).  A    *)
(* send to a thread on another CPU goes through the sender's proxy on the  *)
(* receiver's CPU, as in XpIpc (timeouts are all NEVER here); a send to a  *)
(* thread on the same CPU takes the uniprocessor path.  Any thread may be  *)
(* migrated (at most MaxMigrations times in all) while this goes on.  A    *)
(* migration is one atomic step on the thread's current CPU (the spec      *)
(* MigrationBarriers shows how its parts make it so): the thread's TCB,    *)
(* with its send queue,                                                    *)
(* its wakeup and its inbox, moves to the new CPU.                         *)
(*                                                                         *)
(* Section 8.5: "The above described IPC paths implicitly require that     *)
(* none of the participated threads are migrated after one of the threads  *)
(* entered its IPC path until the IPC is finished."  Without fixes, three  *)
(* races follow, each leaving a cross-processor operation on a CPU where   *)
(* its thread no longer is:                                                *)
(*   1. the sender migrates after its proxy read the sender's CPU and      *)
(*      before the reply IPI arrives: the reply goes to the old CPU;       *)
(*   2. the receiver migrates after the sender read its CPU and before the *)
(*      proxy starts: the request goes to the old CPU;                     *)
(*   3. the receiver migrates while the sender's proxy polls for it in its *)
(*      send queue: the proxy is left behind on the old CPU.               *)
(* The fixes, each selected by a constant that a config can turn off:     *)
(*   LockTarget      "spin lock the targeted thread, so enforcing the      *)
(*                   migration request to acquire the lock before": the    *)
(*                   sender holds the receiver's do-not-migrate lock from  *)
(*                   its check of the receiver's CPU until the proxy       *)
(*                   starts (race 2).                                      *)
(*   KeepSender      "we do not migrate the sender while a proxy thread    *)
(*                   handles a request for it", taken to last until the    *)
(*                   reply has reached the sender (race 1).                *)
(*   MigrateRequests "when migrating the receiver, we check its send queue *)
(*                   for threads whose proxies are still activated and     *)
(*                   migrate those requests with the thread.  Pending      *)
(*                   requests ... we will find by calling check_n_ack      *)
(*                   before": every request to the receiver that its proxy *)
(*                   has not delivered is re-triggered at the new CPU and  *)
(*                   the old proxy stops (race 3).                         *)
(* Beyond the three, a thread inside a uniprocessor IPC (a local sender    *)
(* polling, or locked for a transfer, or a receiver such a sender polls    *)
(* for or a proxy is about to transfer to) is not migrated: 8.5 treats the *)
(* cross-processor paths only, and the kernel's receive path switches      *)
(* straight to the activated sender or proxy.                              *)
(*                                                                         *)
(* Detection (design decision 4, 7.2): a send with the cross-processor     *)
(* fault bit set aborts, before anything is sent, when the destination is  *)
(* on another CPU, and returns the destination's CPU number; bit 11 of the *)
(* receiver's rcv.w0 tells whether a message came from another CPU.        *)
(*                                                                         *)
(* Atomic steps: as in XpIpc, one kernel path segment between two thread   *)
(* switches.  The sender's XP path is cut once more, between reading the   *)
(* receiver's CPU and triggering the mailbox there: the migration runs on  *)
(* the receiver's CPU and can fall between the two (race 2's window).      *)
(*                                                                         *)
(* REFINEMENT MAPPING (l4smp.refine.XpMigrationAbstraction; Tcb(t) is t's  *)
(* l4smp.kernel.thread.Tcb, Px(s) the xcpu.ProxyThread whose current       *)
(* mailbox is s's, as in XpIpc):                                           *)
(*   cpu[t]        Tcb(t).cpu                                              *)
(*   st[t]         Tcb(t).state, running as ready; locked_waiting while    *)
(*                 s's IpcMailbox is out; st[Px(s)] waiting while s's      *)
(*                 mailbox is flagged, ready once linked, then the         *)
(*                 ProxyThread's state                                     *)
(*   partner[x]    Tcb.partner (Nil for a sender whose mailbox is out: its *)
(*                 proxy's partner stands for it); sendQ[t] Tcb.sendQueue; *)
(*                 proxy[s] Tcb.proxy; xpCc[s] Tcb.xpCc                    *)
(*   mb[s]         s's xcpu.IpcMailbox: request while its MailboxFlags bit *)
(*                 is set, linked in a proxy's list, reply (xp_reply);     *)
(*                 cpu its targetCpu, to its dest; Nil when free           *)
(*   dnm[t]        Nil: the kernel's XP send path reads the receiver's CPU *)
(*                 and triggers the mailbox in ONE atomic step             *)
(*                 (xcpu.sendPath.xpSend), so it checks with LockTarget =  *)
(*                 FALSE; Tcb.doNotMigrate is the migration request's lock *)
(*   seen[s]       the receiver's CPU between SenderCheck and              *)
(*                 SenderTrigger (both from that one kernel step), else    *)
(*                 Nil                                                     *)
(*   fault[s]      FALSE (the abstraction's scope has no fault bit)        *)
(*   phase[t]      from the IPCs t began and ended (IpcHistory)            *)
(*   cc[t]         Tcb.completion of t's last IPC; inbox[Receiver] the     *)
(*                 message delivered (IpcState.delivered), not returned    *)
(*   how, reported, rcvd, nmig, by  history: the path s's send took, the   *)
(*                 CPU number an abort returned, the receiver's returned   *)
(*                 messages with bit 11 (delivered by a proxy's step), the *)
(*                 migrations (migrate.source.passBarrier2), the CPU of    *)
(*                 the step                                                *)
(* Each action runs on one CPU: Sender* on cpu[s], Proxy* and              *)
(* SenderXpReturn on mb[s].cpu (the CPU whose check_n_ack finds the        *)
(* mailbox), CheckAndAck(c) on c (all of c's flagged requests in one step, *)
(* as the kernel's check_n_ack), Receiver* on cpu[Receiver], Migrate on    *)
(* cpu[t].                                                                 *)
(***************************************************************************)
EXTENDS L4Common, TLC

CONSTANTS
    Receiver,        \* the thread every sender sends to
    OpenReceive,     \* TRUE: the receiver receives from anyone
    MaxMigrations,   \* migrations in one behaviour
    LockTarget,      \* fix of race 2
    KeepSender,      \* fix of race 1
    MigrateRequests  \* fix of race 3

Senders == Thread \ {Receiver}
r == Receiver

ASSUME XpMigrationAssumptions ==
    /\ Receiver \in Thread /\ Senders # {}
    /\ OpenReceive \in BOOLEAN /\ MaxMigrations \in Nat
    /\ LockTarget \in BOOLEAN /\ KeepSender \in BOOLEAN /\ MigrateRequests \in BOOLEAN

Px(s)  == <<"proxy", s>>
Proxy  == {Px(s) : s \in Senders}
Tcb    == Thread \cup Proxy

\* the completion code of a send aborted by the fault bit (7.2: "error code
\* 7 is raised with offset 0")
CcXpAbort == "xp_abort"

VARIABLES
    cpu,       \* cpu[t]: the thread's CPU
    st,        \* st[x]: thread state of a thread or proxy
    partner,   \* partner[x]
    sendQ,     \* sendQ[t]: senders waiting for t, head first
    proxy,     \* proxy[s]: s's proxy pointer, or Nil
    xpCc,      \* xpCc[s]: code wakeup_sender set for s, or CcNone
    mb,        \* mb[s]: s's mailbox, or Nil
    dnm,       \* dnm[t]: holder of t's do-not-migrate lock, or Nil
    seen,      \* seen[s]: the receiver CPU s's XP path read, or Nil
    fault,     \* fault[s]: the fault bit of s's send
    phase,     \* phase[t]
    cc,        \* cc[t]: completion code of t's (last) IPC, or CcNone
    inbox,     \* inbox[t]: <<sender, bit 11>> transferred to t, not returned
    how,       \* history: "none", "local", "xp" or "aborted"
    reported,  \* history: the CPU number an abort returned, or Nil
    rcvd,      \* history: <<sender, bit 11>> the receiver returned, in order
    nmig,      \* history: migrations so far
    by         \* history: the CPU that executed the last step

vars == <<cpu, st, partner, sendQ, proxy, xpCc, mb, dnm, seen, fault, phase, cc, inbox,
          how, reported, rcvd, nmig, by>>

Mailbox == [state : {"request", "linked", "reply"}, cpu : CPU, to : Thread]

TypeOK ==
    /\ cpu \in [Thread -> CPU]
    /\ st \in [Tcb -> {Ready, Waiting, Polling, LockedRunning, LockedWaiting}]
    /\ partner \in [Tcb -> Thread \cup {Nil}]
    /\ sendQ \in [Thread -> Seq(Senders)]
    /\ proxy \in [Senders -> Proxy \cup {Nil}]
    /\ xpCc \in [Senders -> {CcOk, CcNone}]
    /\ mb \in [Senders -> Mailbox \cup {Nil}]
    /\ dnm \in [Thread -> Senders \cup {Nil}]
    /\ seen \in [Senders -> CPU \cup {Nil}]
    /\ fault \in [Senders -> BOOLEAN]
    /\ phase \in [Thread -> {"user", "checked", "blocked", "done"}]
    /\ cc \in [Thread -> {CcOk, CcXpAbort, CcNone}]
    /\ inbox \in [Thread -> Seq(Senders \X BOOLEAN)]
    /\ how \in [Senders -> {"none", "local", "xp", "aborted"}]
    /\ reported \in [Senders -> CPU \cup {Nil}]
    /\ rcvd \in Seq(Senders \X BOOLEAN)
    /\ nmig \in 0..MaxMigrations
    /\ by \in CPU \cup {Nil}

Init ==
    /\ cpu \in [Thread -> CPU]
    /\ st = [x \in Tcb |-> IF x \in Thread THEN Ready ELSE Waiting]
    /\ partner = [x \in Tcb |-> Nil]
    /\ sendQ = [t \in Thread |-> <<>>]
    /\ proxy = [s \in Senders |-> Nil]
    /\ xpCc = [s \in Senders |-> CcNone]
    /\ mb = [s \in Senders |-> Nil]
    /\ dnm = [t \in Thread |-> Nil]
    /\ seen = [s \in Senders |-> Nil]
    /\ fault = [s \in Senders |-> FALSE]
    /\ phase = [t \in Thread |-> "user"]
    /\ cc = [t \in Thread |-> CcNone]
    /\ inbox = [t \in Thread |-> <<>>]
    /\ how = [s \in Senders |-> "none"]
    /\ reported = [s \in Senders |-> Nil]
    /\ rcvd = <<>>
    /\ nmig = 0
    /\ by = Nil
-----------------------------------------------------------------------------
(* Helpers *)

\* The CPU whose kernel runs x: a thread's own; a proxy's, the CPU its
\* request was triggered at.
CpuOf(x) == IF x \in Thread THEN cpu[x] ELSE IF mb[x[2]] = Nil THEN Nil ELSE mb[x[2]].cpu

ReadyToReceive(s) == st[r] = Waiting /\ partner[r] \in {s, Nil}

\* The receiver, locked for s's transfer ("to TCB.state = locked waiting;
\* transmitMessage(); to TCB.partner = A"), gets s's message, with bit 11
\* set when it came from another CPU.
DeliverMsg(s, xp) == inbox' = [inbox EXCEPT ![r] = Append(@, <<s, xp>>)]

\* wakeup_sender("ok") (8.4.1): xp_cc, from.proxy = NULL, and the mailbox
\* sent back as the reply to the sender's CPU, read now.
WakeupSender(s) ==
    /\ xpCc' = [xpCc EXCEPT ![s] = CcOk]
    /\ proxy' = [proxy EXCEPT ![s] = Nil]
    /\ mb' = [mb EXCEPT ![s] = [state |-> "reply", cpu |-> cpu[s], to |-> r]]

Done(t) == phase' = [phase EXCEPT ![t] = "done"]
-----------------------------------------------------------------------------
(***************************************************************************)
(* The sender's send path up to its check of the receiver's CPU.  Same     *)
(* CPU: the uniprocessor path, atomic (the receiver is local); it delivers *)
(* if the receiver waits, else the sender polls.  Another CPU and the      *)
(* fault bit set: abort with the receiver's CPU number (7.2).  Another CPU *)
(* otherwise: remember the CPU read and, with LockTarget, take the         *)
(* receiver's do-not-migrate lock (spinning while it is held).             *)
(***************************************************************************)
SenderCheck(s, f) ==
    LET b == cpu[r] IN
    /\ phase[s] = "user" /\ st[s] = Ready
    /\ fault' = [fault EXCEPT ![s] = f]
    /\ IF b = cpu[s]
       THEN /\ how' = [how EXCEPT ![s] = "local"]
            /\ IF ReadyToReceive(s)
               THEN /\ st' = [st EXCEPT ![r] = LockedWaiting]
                    /\ partner' = [partner EXCEPT ![r] = s]
                    /\ DeliverMsg(s, FALSE) /\ Done(s)
                    /\ cc' = [cc EXCEPT ![s] = CcOk]
                    /\ UNCHANGED sendQ
               ELSE /\ st' = [st EXCEPT ![s] = Polling]
                    /\ partner' = [partner EXCEPT ![s] = r]
                    /\ sendQ' = [sendQ EXCEPT ![r] = Append(@, s)]
                    /\ phase' = [phase EXCEPT ![s] = "blocked"]
                    /\ UNCHANGED <<cc, inbox>>
            /\ UNCHANGED <<dnm, seen, reported>>
       ELSE IF f
       THEN /\ how' = [how EXCEPT ![s] = "aborted"]
            /\ reported' = [reported EXCEPT ![s] = b]
            /\ cc' = [cc EXCEPT ![s] = CcXpAbort]
            /\ Done(s)
            /\ UNCHANGED <<st, partner, sendQ, inbox, dnm, seen>>
       ELSE /\ LockTarget => dnm[r] = Nil
            /\ dnm' = IF LockTarget THEN [dnm EXCEPT ![r] = s] ELSE dnm
            /\ seen' = [seen EXCEPT ![s] = b]
            /\ phase' = [phase EXCEPT ![s] = "checked"]
            /\ UNCHANGED <<st, partner, sendQ, cc, inbox, how, reported>>
    /\ by' = cpu[s]
    /\ UNCHANGED <<cpu, proxy, xpCc, mb, rcvd, nmig>>

(***************************************************************************)
(* The XP send path goes on (8.3.5): write and trigger the mailbox at the  *)
(* CPU it read, set the proxy pointer, locked_waiting, switchTo(Anyone).   *)
(***************************************************************************)
SenderTrigger(s) ==
    /\ phase[s] = "checked"
    /\ mb' = [mb EXCEPT ![s] = [state |-> "request", cpu |-> seen[s], to |-> r]]
    /\ proxy' = [proxy EXCEPT ![s] = Px(s)]
    /\ st' = [st EXCEPT ![s] = LockedWaiting]
    /\ phase' = [phase EXCEPT ![s] = "blocked"]
    /\ how' = [how EXCEPT ![s] = "xp"]
    /\ seen' = [seen EXCEPT ![s] = Nil]
    /\ by' = cpu[s]
    /\ UNCHANGED <<cpu, partner, sendQ, xpCc, dnm, fault, cc, inbox, reported, rcvd, nmig>>

(* A local sender the receiver reactivated transfers its message.          *)
SenderTransfer(s) ==
    /\ s \in Senders /\ st[s] = LockedRunning
    /\ DeliverMsg(s, FALSE)
    /\ st' = [st EXCEPT ![r] = LockedWaiting, ![s] = Ready]
    /\ partner' = [partner EXCEPT ![r] = s, ![s] = Nil]
    /\ cc' = [cc EXCEPT ![s] = CcOk]
    /\ Done(s)
    /\ by' = cpu[s]
    /\ UNCHANGED <<cpu, sendQ, proxy, xpCc, mb, dnm, seen, fault, how, reported, rcvd, nmig>>

(* The reply reaches the CPU it was sent to; check_n_ack there sets the    *)
(* sender running, which runs XP_RETURN and returns xp_cc.                 *)
SenderXpReturn(s) ==
    /\ mb[s] # Nil /\ mb[s].state = "reply"
    /\ mb' = [mb EXCEPT ![s] = Nil]
    /\ st' = [st EXCEPT ![s] = Ready]
    /\ cc' = [cc EXCEPT ![s] = xpCc[s]]
    /\ xpCc' = [xpCc EXCEPT ![s] = CcNone]
    /\ Done(s)
    /\ by' = mb[s].cpu
    /\ UNCHANGED <<cpu, partner, sendQ, proxy, dnm, seen, fault, inbox, how, reported, rcvd, nmig>>
-----------------------------------------------------------------------------
(* The proxy, on the CPU its request was triggered at.                     *)

\* check_n_ack on CPU c (8.3.4: "while mailbox flags != 0 do ... od", one
\* atomic run): every request flagged at c is linked into its proxy's list
\* and the proxy made ready, all in one step.
Requests(c) == {s \in Senders : mb[s] # Nil /\ mb[s].state = "request" /\ mb[s].cpu = c}

CheckAndAck(c) ==
    /\ Requests(c) # {}
    /\ mb' = [s \in Senders |-> IF s \in Requests(c) THEN [mb[s] EXCEPT !.state = "linked"] ELSE mb[s]]
    /\ st' = [x \in Tcb |-> IF x \in {Px(s) : s \in Requests(c)} THEN Ready ELSE st[x]]
    /\ by' = c
    /\ UNCHANGED <<cpu, partner, sendQ, proxy, xpCc, dnm, seen, fault, phase, cc, inbox, how,
                   reported, rcvd, nmig>>

\* The receiver waits for s: transfer and wake the sender; else the sender
\* goes into the receiver's send queue and the proxy polls.
ProxyOnRequest(s) ==
    /\ IF ReadyToReceive(s)
       THEN /\ st' = [st EXCEPT ![r] = LockedWaiting, ![Px(s)] = Waiting]
            /\ partner' = [partner EXCEPT ![r] = s]
            /\ DeliverMsg(s, TRUE) /\ WakeupSender(s)
            /\ UNCHANGED sendQ
       ELSE /\ st' = [st EXCEPT ![Px(s)] = Polling]
            /\ partner' = [partner EXCEPT ![Px(s)] = r]
            /\ sendQ' = [sendQ EXCEPT ![r] = Append(@, s)]
            /\ UNCHANGED <<inbox, proxy, xpCc, mb>>
    /\ UNCHANGED <<phase, how, cc>>

\* The sender's send restarts on the uniprocessor path: its mailbox and
\* proxy pointer freed, it transfers at once if the receiver waits for it,
\* else polls in the receiver's send queue.
ProxyRestartsLocally(s) ==
    /\ mb' = [mb EXCEPT ![s] = Nil]
    /\ proxy' = [proxy EXCEPT ![s] = Nil]
    /\ how' = [how EXCEPT ![s] = "local"]
    /\ UNCHANGED xpCc
    /\ IF ReadyToReceive(s)
       THEN /\ st' = [st EXCEPT ![r] = LockedWaiting, ![s] = Ready, ![Px(s)] = Waiting]
            /\ partner' = [partner EXCEPT ![r] = s]
            /\ DeliverMsg(s, FALSE) /\ Done(s)
            /\ cc' = [cc EXCEPT ![s] = CcOk]
            /\ UNCHANGED sendQ
       ELSE /\ st' = [st EXCEPT ![s] = Polling, ![Px(s)] = Waiting]
            /\ partner' = [partner EXCEPT ![s] = r]
            /\ sendQ' = [sendQ EXCEPT ![r] = Append(@, s)]
            /\ UNCHANGED <<inbox, phase, cc>>

(* xp_send_path: the proxy has started, so the target's lock is released.  *)
(* A request that migrated with its receiver onto its sender's CPU is      *)
(* restarted as a local IPC (8.5: "we can restart the IPC locally for both *)
(* threads"); any other goes on as in XpIpc.                               *)
ProxyXpSendPath(s) ==
    /\ st[Px(s)] = Ready /\ mb[s] # Nil /\ mb[s].state = "linked"
    /\ dnm' = [dnm EXCEPT ![r] = IF @ = s THEN Nil ELSE @]
    /\ IF cpu[s] = mb[s].cpu
       THEN ProxyRestartsLocally(s)
       ELSE ProxyOnRequest(s)
    /\ by' = mb[s].cpu
    /\ UNCHANGED <<cpu, seen, fault, reported, rcvd, nmig>>

(* The proxy the receiver activated transfers and wakes the sender.        *)
ProxyTransfer(s) ==
    /\ st[Px(s)] = LockedRunning
    /\ DeliverMsg(s, TRUE) /\ WakeupSender(s)
    /\ st' = [st EXCEPT ![r] = LockedWaiting, ![Px(s)] = Waiting]
    /\ partner' = [partner EXCEPT ![r] = s, ![Px(s)] = Nil]
    /\ by' = mb[s].cpu
    /\ UNCHANGED <<cpu, sendQ, dnm, seen, fault, phase, cc, how, reported, rcvd, nmig>>
-----------------------------------------------------------------------------
(* The receiver, on its CPU.                                               *)

NextSources == IF OpenReceive THEN {Nil} ELSE {s \in Senders : \A i \in DOMAIN rcvd : rcvd[i][1] # s}

(* The receive path (8.3.5): the closed source or the send queue's head;   *)
(* on this CPU the sender itself, else its proxy through one read of the   *)
(* proxy pointer; if it polls for the receiver, activate it, else wait.    *)
ReceiverReceive ==
    /\ phase[r] = "user" /\ st[r] = Ready /\ Len(rcvd) < Cardinality(Senders)
    /\ \E src \in NextSources :
         LET from == IF src # Nil \/ sendQ[r] = <<>> THEN src ELSE Head(sendQ[r])
             sp   == IF from = Nil THEN Nil ELSE IF cpu[from] = cpu[r] THEN from ELSE proxy[from]
         IN IF sp # Nil /\ st[sp] = Polling /\ partner[sp] = r
            THEN /\ st' = [st EXCEPT ![sp] = LockedRunning, ![r] = LockedWaiting]
                 /\ sendQ' = [sendQ EXCEPT ![r] = SelectSeq(@, LAMBDA x : x # from)]
                 /\ UNCHANGED partner
            ELSE /\ st' = [st EXCEPT ![r] = Waiting]
                 /\ partner' = [partner EXCEPT ![r] = src]
                 /\ UNCHANGED sendQ
    /\ phase' = [phase EXCEPT ![r] = "blocked"]
    /\ by' = cpu[r]
    /\ UNCHANGED <<cpu, proxy, xpCc, mb, dnm, seen, fault, cc, inbox, how, reported, rcvd, nmig>>

(* After the transfer: returnIPC, with the message and its bit 11.         *)
ReceiverReturn ==
    /\ st[r] = LockedWaiting /\ inbox[r] # <<>>
    /\ rcvd' = Append(rcvd, Head(inbox[r]))
    /\ inbox' = [inbox EXCEPT ![r] = <<>>]
    /\ st' = [st EXCEPT ![r] = Ready]
    /\ partner' = [partner EXCEPT ![r] = Nil]
    /\ cc' = [cc EXCEPT ![r] = CcOk]
    /\ phase' = [phase EXCEPT ![r] = IF Len(rcvd') = Cardinality(Senders) THEN "done" ELSE "user"]
    /\ by' = cpu[r]
    /\ UNCHANGED <<cpu, sendQ, proxy, xpCc, mb, dnm, seen, fault, how, reported, nmig>>
-----------------------------------------------------------------------------
(***************************************************************************)
(* Migration of t to CPU d, on t's CPU, once that CPU is between kernel    *)
(* paths (not inside a sender's XP path, which holds its CPU from its      *)
(* check to its trigger).  Not while t is inside a uniprocessor IPC (see   *)
(* the header); with LockTarget not while a sender holds t's lock; with    *)
(* KeepSender not while t's mailbox is out.  With MigrateRequests, the     *)
(* requests to t that no proxy has delivered go with it: their old         *)
(* proxies stop and their senders leave t's send queue; each request is    *)
(* flagged anew at d, where a proxy takes it up again (ProxyXpSendPath,    *)
(* which restarts it as a local IPC if its sender sits on d).              *)
(***************************************************************************)
InLocalIpc(t) ==
    \/ st[t] \in {Polling, LockedRunning}
    \/ \E x \in Range(sendQ[t]) : st[x] = Polling
    \/ \E x \in Tcb : st[x] = LockedRunning /\ partner[x] = t

Undelivered(t) == {s \in Senders : mb[s] # Nil /\ mb[s].to = t /\ mb[s].state \in {"request", "linked"}}

Migrate(t, d) ==
    LET moved == IF MigrateRequests THEN Undelivered(t) ELSE {} IN
    /\ nmig < MaxMigrations /\ d # cpu[t]
    /\ ~\E x \in Senders : phase[x] = "checked" /\ cpu[x] = cpu[t]
    /\ ~InLocalIpc(t)
    /\ LockTarget => dnm[t] = Nil
    /\ KeepSender => (t \in Senders => mb[t] = Nil)
    /\ cpu' = [cpu EXCEPT ![t] = d]
    /\ mb' = [s \in Senders |-> IF s \in moved THEN [mb[s] EXCEPT !.state = "request", !.cpu = d] ELSE mb[s]]
    /\ st' = [x \in Tcb |-> IF x \in Proxy /\ x[2] \in moved THEN Waiting ELSE st[x]]
    /\ partner' = [x \in Tcb |-> IF x \in Proxy /\ x[2] \in moved THEN Nil ELSE partner[x]]
    /\ sendQ' = [sendQ EXCEPT ![t] = SelectSeq(@, LAMBDA x : x \notin moved)]
    /\ nmig' = nmig + 1
    /\ by' = cpu[t]
    /\ UNCHANGED <<proxy, xpCc, dnm, seen, fault, phase, cc, inbox, how, reported, rcvd>>
-----------------------------------------------------------------------------
Next ==
    \/ \E s \in Senders :
         \/ \E f \in BOOLEAN : SenderCheck(s, f)
         \/ SenderTrigger(s) \/ SenderTransfer(s) \/ SenderXpReturn(s)
         \/ ProxyXpSendPath(s) \/ ProxyTransfer(s)
    \/ \E c \in CPU : CheckAndAck(c)
    \/ ReceiverReceive \/ ReceiverReturn
    \/ \E t \in Thread, d \in CPU : Migrate(t, d)

Spec == Init /\ [][Next]_vars

\* Every kernel continuation eventually runs (a fair dispatcher and IPI
\* delivery, as in XpIpc); the receiver's program goes on receiving.
\* Senders need not start, and migrations need not happen.
Fairness ==
    /\ \A s \in Senders :
         /\ WF_vars(SenderTrigger(s)) /\ WF_vars(SenderTransfer(s)) /\ WF_vars(SenderXpReturn(s))
         /\ WF_vars(ProxyXpSendPath(s)) /\ WF_vars(ProxyTransfer(s))
    /\ \A c \in CPU : WF_vars(CheckAndAck(c))
    /\ WF_vars(ReceiverReceive) /\ WF_vars(ReceiverReturn)

FairSpec == Spec /\ Fairness
-----------------------------------------------------------------------------
(* Safety: every cross-processor operation is on its thread's CPU.         *)

\* Race 2: a request whose proxy has not started is flagged at the
\* receiver's CPU.
RequestReachesReceiverInv ==
    \A s \in Senders : (mb[s] # Nil /\ mb[s].state = "request") => mb[s].cpu = cpu[mb[s].to]

\* Race 3: a proxy that has started on a request (polling, or about to
\* transfer) runs on the receiver's CPU.
ProxyWithReceiverInv ==
    \A s \in Senders : (mb[s] # Nil /\ mb[s].state = "linked") => mb[s].cpu = cpu[mb[s].to]

\* Race 1: the reply goes to the sender's CPU.
ReplyReachesSenderInv ==
    \A s \in Senders : (mb[s] # Nil /\ mb[s].state = "reply") => mb[s].cpu = cpu[s]

\* Implementation decision 3: a TCB's state, partner, send queue, inbox
\* and completion code change only on its CPU (before or after the step).
LocalFields(x) ==
    IF x \in Thread THEN <<st[x], partner[x], sendQ[x], inbox[x], cc[x]>> ELSE <<st[x], partner[x]>>
LocalityProp ==
    [][\A x \in Tcb : LocalFields(x)' # LocalFields(x) => by' \in {CpuOf(x), CpuOf(x)'}]_vars

(* The IPC itself (as in XpIpc and UhligRace).                             *)

\* Guideline 1 of 8.3.3: at most one IPC set up to the receiver.
LockedFor == {x \in Tcb : st[x] = LockedRunning /\ partner[x] = r}
OneIpcPerReceiverInv == Cardinality(LockedFor) + Len(inbox[r]) <= 1

\* A message sits only in the buffer of the receiver, locked in a receive.
InboxInv ==
    /\ inbox[r] # <<>> => st[r] = LockedWaiting /\ phase[r] = "blocked"
    /\ \A s \in Senders : inbox[s] = <<>>

\* "Polls for the receiver": a local sender itself, or a sender's proxy.
PollsFor(s) ==
    \/ st[s] = Polling /\ partner[s] = r
    \/ proxy[s] # Nil /\ st[proxy[s]] = Polling /\ partner[proxy[s]] = r

\* No sender polls for a receiver that waits for it (a lost wakeup).
NoLostWakeupInv == \A s \in Senders : ~(PollsFor(s) /\ ReadyToReceive(s))

\* Every queued sender polls for the receiver, once.
SendQueueInv == NoDuplicates(sendQ[r]) /\ \A s \in Range(sendQ[r]) : PollsFor(s)

\* Partners as the paths set them; both partners of a transfer are locked.
PartnerInv ==
    /\ \A x \in Tcb : st[x] \in {Polling, LockedRunning} => partner[x] = r
    /\ \A x \in Tcb : st[x] = LockedRunning => st[r] = LockedWaiting
    /\ inbox[r] # <<>> => partner[r] = inbox[r][Len(inbox[r])][1]
    /\ \A s \in Senders : phase[s] = "done" => partner[s] = Nil

\* A transfer into a waiting receiver comes from its closed source (or the
\* receive is open).
ClosedSourceProp ==
    [][(st[r] = Waiting /\ inbox'[r] # inbox[r]) =>
          partner[r] \in {Nil, inbox'[r][Len(inbox'[r])][1]}]_vars

\* The proxy pointer is set exactly while a proxy holds the request, and
\* xp_cc exactly while the reply is on its way; a sender with a mailbox out
\* is locked_waiting in its send.
ProxyPointerInv ==
    \A s \in Senders :
        /\ proxy[s] # Nil <=> (mb[s] # Nil /\ mb[s].state \in {"request", "linked"})
        /\ xpCc[s] # CcNone <=> (mb[s] # Nil /\ mb[s].state = "reply")
        /\ mb[s] # Nil => st[s] = LockedWaiting /\ phase[s] = "blocked"

\* Where each sender's program is, and what it has to show: none before it
\* sends, the CPU it read while between check and trigger, a code and its
\* way (local, xp, aborted) once done.
ProgressInv ==
    \A s \in Senders :
        /\ (seen[s] # Nil) <=> (phase[s] = "checked")
        /\ (how[s] = "none") <=> (phase[s] \in {"user", "checked"})
        /\ (phase[s] = "done") <=> (cc[s] # CcNone)
        /\ phase[s] = "done" => st[s] = Ready

(* Detection (6.2.3, 7.2).                                                 *)

\* A send with the fault bit set never goes through a proxy; one that
\* aborted returned a CPU other than the sender's (the receiver's, as read
\* by the check).
XpFaultInv ==
    \A s \in Senders :
        /\ fault[s] => how[s] # "xp"
        /\ how[s] = "aborted" => fault[s] /\ cc[s] = CcXpAbort /\ reported[s] \in CPU

\* Bit 11 of every returned message says whether it came through a proxy.
XpBitInv == \A i \in DOMAIN rcvd : rcvd[i][2] <=> how[rcvd[i][1]] = "xp"

\* Each message reaches the receiver at most once.
MsgOnceInv == \A i, j \in DOMAIN rcvd : i # j => rcvd[i][1] # rcvd[j][1]

(* Liveness *)

\* Every send that started completes: the sender returns from it.
SendCompletesProp == \A s \in Senders : phase[s] \in {"checked", "blocked"} ~> phase[s] = "done"
=============================================================================
