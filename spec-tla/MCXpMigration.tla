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
=============================================================================
