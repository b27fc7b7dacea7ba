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
(* before its target is looked up.                                         *)
(***************************************************************************)
Symmetry == {p @@ q : p \in Permutations(Thread), q \in Permutations(CPU)}
View == <<cpu, tcbVars, queueVars, xpSeen, sentTo, rcvdBy>>
=============================================================================
