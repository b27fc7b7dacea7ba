------------------------------- MODULE MCXpIpc -------------------------------
(***************************************************************************)
(* Model-checking concerns for XpIpc, kept out of the spec: symmetry, the  *)
(* view, and witnesses expected to fail.  Every config in                  *)
(* model-configs/XpIpc checks this module (header line "spec: MCXpIpc").   *)
(***************************************************************************)
EXTENDS XpIpc

(***************************************************************************)
(* Witnesses, expected to fail.                                            *)
(*                                                                         *)
(* Section 8.3.1 makes call atomic "to allow the server to reply with a    *)
(* zero timeout".  Across CPUs it is not: the caller enters its receive    *)
(* phase only in XP_RETURN, after its proxy's reply mailbox has reached    *)
(* its CPU, so a server that received the call and replies at once with a *)
(* zero timeout finds the caller not yet waiting, and the reply fails.     *)
(* The thesis proposes no fix; this witness (a's first IPC is a call to b *)
(* on another CPU, b has received it, and b's second IPC, a send to a,    *)
(* failed with a send timeout while a is still in its call) documents it. *)
(***************************************************************************)
DebugZeroReplyToXpCaller ==
    ~\E a, b \in Thread :
        /\ ~Local(a, b) /\ nops[a] = 1 /\ InIpc(a)
        /\ args[a].op = OpCall /\ args[a].dest = b
        /\ Len(rcvdBy[<<a, 1>>]) = 1
        /\ nops[b] = 2 /\ sentTo[<<b, 2>>] = a /\ cc[b] = CcSendTimeout

(***************************************************************************)
(* Section 8.3.5's own caveat: "if the receiver specified timeout zero, it *)
(* will find the sender not ready to send and got woken up by the timeout, *)
(* though the sender started its send phase already".  The witness fails  *)
(* in the step where a zero-timeout receive times out while a request to  *)
(* the receiver sits in a mailbox whose proxy has not run yet (its config  *)
(* has only open receives, which would have taken that request).          *)
(***************************************************************************)
DebugZeroReceiveMissesProxy ==
    [][~\E b, t \in Thread :
          /\ ThreadReceive(b) /\ cc'[b] = CcReceiveTimeout
          /\ mb[t] # Nil /\ mb[t].to = b /\ mb[t].state \in {"request", "linked"}]_vars

(***************************************************************************)
(* Each action can fire: every witness below fails in the first step that *)
(* takes its action (configs XpIpcFires<Action>), so a guard that can     *)
(* never hold is noticed.                                                  *)
(***************************************************************************)
DebugThreadReceiveFires == [][~\E t \in Thread : ThreadReceive(t)]_vars
DebugThreadSendLocalFires == [][~\E t \in Thread : ThreadSendLocal(t)]_vars
DebugThreadSendRemoteFires == [][~\E t \in Thread : ThreadSendRemote(t)]_vars
DebugSenderTransferFires == [][~\E t \in Thread : SenderTransfer(t)]_vars
DebugReceiverReturnFires == [][~\E t \in Thread : ReceiverReturn(t)]_vars
DebugCheckAndAckFires == [][~\E c \in CPU : CheckAndAck(c)]_vars
DebugProxyXpSendPathFires == [][~\E t \in Thread : ProxyXpSendPath(t)]_vars
DebugProxyTransferFires == [][~\E t \in Thread : ProxyTransfer(t)]_vars
DebugSenderXpReturnFires == [][~\E t \in Thread : SenderXpReturn(t)]_vars
DebugTimerExpireReceiverFires == [][~\E c \in CPU, t \in Thread : TimerExpireReceiver(c, t)]_vars
DebugTimerExpireSenderFires == [][~\E c \in CPU, t \in Thread : TimerExpireSender(c, t)]_vars
DebugTimerExpireProxyFires == [][~\E c \in CPU, t \in Thread : TimerExpireProxy(c, t)]_vars
DebugTimerExpireXpSenderFires == [][~\E c \in CPU, t \in Thread : TimerExpireXpSender(c, t)]_vars
DebugThreadCheckRemoteFires == [][~\E t \in Thread : ThreadCheckRemote(t)]_vars
DebugThreadActRemoteFires == [][~\E t \in Thread : ThreadActRemote(t)]_vars
DebugAbortCancelFires == [][~\E t \in Thread : AbortCancel(t)]_vars
DebugAbortTransferFires == [][~\E t \in Thread : AbortTransfer(t)]_vars
DebugAbortXpSenderFires == [][~\E t \in Thread : AbortXpSender(t)]_vars
DebugProxyCancelFires == [][~\E t \in Thread : ProxyCancel(t)]_vars
DebugProxyTransferFailsFires ==
    [][~\E t \in Thread, e \in TransferErrors : ProxyTransferFails(t, e)]_vars

\* Thread deletion (Events "kill"): the dying thread's CPU stops it; a
\* partner on another CPU ends its IPC in a deletion's step on its CPU; an
\* IPC that names a dead thread ends not_existent.
DebugDeletePartFires ==
    [][~\E c \in CPU, D \in SUBSET Thread :
          DeletePart(c, D) /\ \E t \in D : st'[t] = Dead]_vars
DebugDeleteTellsRemoteFires ==
    [][~\E c \in CPU, D \in SUBSET Thread :
          /\ DeletePart(c, D)
          /\ \E x \in Thread, t \in D :
                cpu[x] = c /\ cpu[t] # c /\ st[t] # Dead /\ InIpc(x) /\ ~InIpc(x)']_vars
DebugThreadPartnerGoneFires == [][~\E t \in Thread : ThreadPartnerGone(t)]_vars

(***************************************************************************)
(* An XP caller canceled while its reply is on its way: its message was   *)
(* delivered, and XP_RETURN ends the call with receive_canceled instead    *)
(* of entering the receive phase (section 8.4.3).  Expected to fail: the  *)
(* path exists.                                                            *)
(***************************************************************************)
DebugCanceledAfterXpSend ==
    [][~\E t \in Thread : SenderXpReturn(t) /\ cc'[t] = CcReceiveCanceled]_vars

(***************************************************************************)
(* Model checking.                                                         *)
(*                                                                         *)
(* Symmetry: no thread and no CPU is singled out (programs are chosen by   *)
(* each thread at run time, the placement cpu by Init over all functions,  *)
(* and no property names one), so permuting both is sound for safety.     *)
(* Not used with PROPERTIES that are temporal, where TLC may miss          *)
(* violations under symmetry.                                              *)
(*                                                                         *)
(* View: `by` is written by every step and read by none, so two states     *)
(* that differ only in `by` have the same futures; state invariants do not *)
(* mention it and action properties are checked on every transition       *)
(* before its target is looked up.  `dying` is constant ({}) without      *)
(* "kill" in Events, so leaving it out of the view then is sound; with it *)
(* out, the configs without deletions keep their fingerprints (and their  *)
(* state counts, measured, docs/specs.md).                                 *)
(***************************************************************************)
Symmetry == {p @@ q : p \in Permutations(Thread), q \in Permutations(CPU)}
View == IF "kill" \in Events
        THEN <<cpu, tcbVars, queueVars, xpSeen, sentTo, rcvdBy, dying>>
        ELSE <<cpu, tcbVars, queueVars, xpSeen, sentTo, rcvdBy>>
=============================================================================
