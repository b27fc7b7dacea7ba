------------------------------ MODULE L4Common ------------------------------
(***************************************************************************)
(* Definitions shared by the l4smp mechanism specifications (XpIpc,        *)
(* ProxyWakeup, MigrationBarriers, UhligRace).                             *)
(*                                                                         *)
(* Source: M. Voelp, "Prototypical Design and Implementation of L4-SMP     *)
(* Microkernel Mechanisms", draft of 22 April 2002 (the thesis):           *)
(*   - thread states: section 8.3.2 (send and receive paths);              *)
(*   - timeouts: section 8.3.1 ("Timeouts");                               *)
(*   - completion codes: the L4 Version X IPC error codes that the         *)
(*     thesis's abortIPC / returnIPC / wakeup_sender calls return.         *)
(*                                                                         *)
(* The Java kernel uses exactly these names (l4smp.kernel), so that the    *)
(* refinement mapping from kernel state to spec variables is the identity  *)
(* on them.                                                                *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    CPU,        \* the processors; a set of model values (at most 15, section 7)
    Thread,     \* the user threads; a set of model values
    Nil         \* "no thread", "no proxy", "no mailbox": a model value

ASSUME CommonAssumptions ==
    /\ CPU # {}
    /\ Thread # {}
    /\ Nil \notin Thread \cup CPU

(***************************************************************************)
(* Thread states of section 8.3.2.  `polling` is the sender waiting for    *)
(* its receiver (inactively: it sits in the receiver's send queue);        *)
(* the locked states mark the two partners of an IPC being transmitted,    *)
(* so that no other IPC is set up to them in between.                      *)
(***************************************************************************)
Running       == "running"
Ready         == "ready"
Waiting       == "waiting"
Polling       == "polling"
LockedRunning == "locked_running"
LockedWaiting == "locked_waiting"
Dead          == "dead"

ThreadState ==
    {Running, Ready, Waiting, Polling, LockedRunning, LockedWaiting, Dead}

\* States in which a thread may be picked by the dispatcher (section 8.3.2:
\* a locked_running sender "is ready to run, so it can be scheduled").
Runnable == {Running, Ready, LockedRunning}

(***************************************************************************)
(* Timeouts (section 8.3.1).  The specs abstract time away: a `finite`     *)
(* timeout may expire at any moment while the thread still waits (its own  *)
(* action, run on the thread's CPU by the timer tick), a `zero` timeout    *)
(* expires before the thread blocks, a `never` timeout never expires and   *)
(* keeps the thread out of the wakeup queue (section 8.7.3).               *)
(***************************************************************************)
TimeoutZero   == "zero"
TimeoutFinite == "finite"
TimeoutNever  == "never"

Timeout == {TimeoutZero, TimeoutFinite, TimeoutNever}

(***************************************************************************)
(* IPC operations of the Version X API (section 8.3.1).                    *)
(***************************************************************************)
OpSend         == "send"
OpReceive      == "receive"          \* closed receive: from one given thread
OpOpenReceive  == "open_receive"     \* from anyone
OpCall         == "call"             \* send, then closed receive from the same partner
OpReplyAndWait == "reply_and_wait"   \* send, then open receive

IpcOp == {OpSend, OpReceive, OpOpenReceive, OpCall, OpReplyAndWait}

HasSendPhase(op)    == op \in {OpSend, OpCall, OpReplyAndWait}
HasReceivePhase(op) == op \in {OpReceive, OpOpenReceive, OpCall, OpReplyAndWait}

(***************************************************************************)
(* Completion codes: the L4 Version X IPC error codes (the value in bits   *)
(* 4..7 of the result message dope is given beside each).  A code that     *)
(* names a phase says whether the send or the receive phase failed.        *)
(***************************************************************************)
CcOk                 == "ok"                     \* 0x00
CcNotExistent        == "not_existent"           \* 0x10 destination or source does not exist
CcReceiveTimeout     == "receive_timeout"        \* 0x20
CcSendTimeout        == "send_timeout"           \* 0x30
CcReceiveCanceled    == "receive_canceled"       \* 0x40 by lthread_ex_regs
CcSendCanceled       == "send_canceled"          \* 0x50 by lthread_ex_regs
CcReceiveMapFailed   == "receive_map_failed"     \* 0x60
CcSendMapFailed      == "send_map_failed"        \* 0x70
CcReceiveSndPfTimeout == "receive_snd_pf_timeout" \* 0x80 sender's page fault timed out, receive phase
CcSendSndPfTimeout   == "send_snd_pf_timeout"    \* 0x90
CcReceiveRcvPfTimeout == "receive_rcv_pf_timeout" \* 0xA0 receiver's page fault timed out
CcSendRcvPfTimeout   == "send_rcv_pf_timeout"    \* 0xB0
CcReceiveAborted     == "receive_aborted"        \* 0xC0
CcSendAborted        == "send_aborted"           \* 0xD0
CcReceiveCut         == "receive_cut"            \* 0xE0 receive window exceeded
CcSendCut            == "send_cut"               \* 0xF0

CompletionCode ==
    { CcOk, CcNotExistent, CcReceiveTimeout, CcSendTimeout,
      CcReceiveCanceled, CcSendCanceled, CcReceiveMapFailed, CcSendMapFailed,
      CcReceiveSndPfTimeout, CcSendSndPfTimeout, CcReceiveRcvPfTimeout,
      CcSendRcvPfTimeout, CcReceiveAborted, CcSendAborted, CcReceiveCut,
      CcSendCut }

\* "No completion code yet": the IPC is still in progress.
CcNone == "none"

(***************************************************************************)
(* Small helpers on sequences used as queues (send queues, ready lists,    *)
(* wakeup queues, mailbox lists).                                          *)
(***************************************************************************)
Range(s) == {s[i] : i \in DOMAIN s}

\* The sequence s without every occurrence of x.
Remove(s, x) == SelectSeq(s, LAMBDA y : y # x)

\* No element occurs twice.
NoDuplicates(s) == \A i, j \in DOMAIN s : i # j => s[i] # s[j]

=============================================================================
