------------------------------ MODULE MCXpMigration ------------------------------
(***************************************************************************)
(* Model-checking concerns for XpMigration: symmetry and view.             *)
(*                                                                         *)
(* Symmetry: CPUs are interchangeable (Init places threads in every way,   *)
(* the spec names no CPU), and so are the senders (each sends once to the  *)
(* receiver; a closed receive picks its source at run time).  Sound for    *)
(* safety; the liveness configs use neither.  View: `by` is written by     *)
(* every step and read by none (LocalityProp reads it only in the step     *)
(* that writes it).                                                        *)
(***************************************************************************)
EXTENDS XpMigration

Symmetry == {p @@ q : p \in Permutations(CPU), q \in Permutations(Senders)}
View == <<cpu, st, partner, sendQ, proxy, xpCc, mb, dnm, seen, fault, phase, cc, inbox,
          how, reported, rcvd, nmig>>

(***************************************************************************)
(* Witnesses, each expected to fail in its config, so that a spec in which *)
(* a path can no longer happen is noticed: a message from another CPU and  *)
(* one from the same CPU received, a send aborted by the fault bit, a      *)
(* request moved with its receiver, a request restarted locally.           *)
(***************************************************************************)
DebugXpReceived == ~\E i \in DOMAIN rcvd : rcvd[i][2]
DebugLocalReceived == ~\E i \in DOMAIN rcvd : ~rcvd[i][2]
DebugAborted == \A s \in Senders : how[s] # "aborted"
DebugRequestMoved == [][~\E t \in Thread, d \in CPU : Migrate(t, d) /\ mb' # mb]_vars
DebugRestartedLocally == [][~\E s \in Senders : ProxyXpSendPath(s) /\ cpu[s] = mb[s].cpu]_vars
=============================================================================
